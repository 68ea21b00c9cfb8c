import ScorecardCore

/// Small helpers the chart builders share: escaping and compact number text.
///
/// The builders write SVG as text (no DOM): every piece of text that comes from data goes
/// through ``escape(_:)``, and numbers through ``number(_:)``, so the output is stable and safe
/// to embed in a page unescaped.
enum SVG {
    /// Escapes text for an SVG/HTML text node or a double-quoted attribute.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// A coordinate or value with at most `places` decimals and no trailing zeros (`12`, `12.5`).
    static func number(_ value: Double, places: Int = 2) -> String {
        guard value.isFinite else { return "0" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int(rounded)) }
        var text = String(rounded)
        if text.contains("e") { return String(Int(rounded)) }
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// The opening tag of a responsive chart: scales to its container, keeps its aspect ratio,
    /// and carries its numbers in `aria-label` for screen readers.
    static func open(width: Double, height: Double, label: String, className: String, stretch: Bool = false) -> String {
        "<svg class=\"\(className)\" viewBox=\"0 0 \(number(width)) \(number(height))\" role=\"img\" aria-label=\"\(escape(label))\" "
            + "preserveAspectRatio=\"\(stretch ? "none" : "xMidYMid meet")\">"
    }
}
