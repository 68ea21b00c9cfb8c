/// Terminal text layout: display width (ANSI escapes take none, wide characters two), padding,
/// cutting and wrapping.
public enum Text {
    /// Columns `s` takes on a terminal.
    public static func width(_ s: String) -> Int {
        var n = 0
        var inEscape = false
        for scalar in s.unicodeScalars {
            if inEscape {
                if (0x40...0x7E).contains(scalar.value) && scalar != "[" { inEscape = false }
                continue
            }
            if scalar == "\u{1B}" {
                inEscape = true
                continue
            }
            n += columns(of: scalar)
        }
        return n
    }

    static func columns(of scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }
        if scalar.properties.generalCategory == .nonspacingMark || scalar.properties.generalCategory == .enclosingMark { return 0 }
        if (0x200B...0x200F).contains(v) || v == 0xFE0F { return 0 }
        if (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1FAFF).contains(v) || (0x20000...0x3FFFD).contains(v)
        {
            return 2
        }
        return 1
    }

    /// `s` padded with spaces on the right to `width` columns.
    public static func pad(_ s: String, _ width: Int) -> String {
        let w = Text.width(s)
        return w >= width ? s : s + String(repeating: " ", count: width - w)
    }

    /// `s` padded with spaces on the left to `width` columns.
    public static func padLeft(_ s: String, _ width: Int) -> String {
        let w = Text.width(s)
        return w >= width ? s : String(repeating: " ", count: width - w) + s
    }

    /// `s` cut to at most `width` columns, ending in `…` when cut (plain text only).
    public static func cut(_ s: String, _ width: Int) -> String {
        guard width > 0 else { return "" }
        guard Text.width(s) > width else { return s }
        var out = ""
        var used = 0
        for ch in s {
            let w = ch.unicodeScalars.reduce(0) { $0 + columns(of: $1) }
            if used + w > width - 1 { break }
            out.append(ch)
            used += w
        }
        return out + "…"
    }

    /// `s` cut to `width` when `style.truncate`, whole otherwise.
    public static func fit(_ s: String, _ width: Int, _ style: Style) -> String {
        style.truncate ? cut(s, width) : s
    }

    /// Words of `s` wrapped to lines of at most `width` columns (a longer word gets a line of its own).
    public static func wrap(_ s: String, width: Int) -> [String] {
        let width = max(8, width)
        var lines: [String] = []
        var line = ""
        for word in s.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }) {
            let candidate = line.isEmpty ? String(word) : line + " " + word
            if Text.width(candidate) <= width || line.isEmpty {
                line = candidate
            } else {
                lines.append(line)
                line = String(word)
            }
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }

    /// `s` wrapped to `width`, the first line after `first`, the others after `rest` (same width).
    public static func hanging(_ s: String, first: String, rest: String, width: Int) -> String {
        let lines = wrap(s, width: width - Text.width(first))
        return lines.enumerated().map { i, l in (i == 0 ? first : rest) + l }.joined(separator: "\n") + "\n"
    }

    /// `parts` joined with `separator`, starting a new line (indented by `indent`) before a part
    /// that would pass `width`. Each line ends in a newline.
    public static func flow(_ parts: [String], separator: String = " · ", indent: String = "", width: Int) -> String {
        var lines: [String] = []
        var line = ""
        for part in parts where !part.isEmpty {
            if line.isEmpty {
                line = indent + part
            } else if Text.width(line) + Text.width(separator) + Text.width(part) <= width {
                line += separator + part
            } else {
                lines.append(line)
                line = indent + part
            }
        }
        lines.append(line)
        return lines.joined(separator: "\n") + "\n"
    }

    /// A decimal with `digits` places.
    public static func decimal(_ x: Double, _ digits: Int = 1) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let r = (x * scale).rounded() / scale
        var s = String(Int((abs(r) * scale).rounded()))
        if digits > 0 {
            while s.count <= digits { s = "0" + s }
            s.insert(".", at: s.index(s.endIndex, offsetBy: -digits))
        }
        return (r < 0 ? "-" : "") + s
    }
}
