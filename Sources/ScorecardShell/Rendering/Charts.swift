/// Text charts: horizontal bars in eighths of a cell, stacked bars, sparklines.
public enum Charts {
    static let eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
    static let sparks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// A bar of `fraction` (0…1) of `width` cells in eighths; `track` fills the rest.
    public static func bar(_ fraction: Double, width: Int, track: Character = " ") -> String {
        guard width > 0 else { return "" }
        let f = fraction.isFinite ? min(1, max(0, fraction)) : 0
        let eighthsTotal = Int((f * Double(width) * 8).rounded())
        let full = eighthsTotal / 8
        let part = eighthsTotal % 8
        var s = String(repeating: "█", count: full) + eighths[part]
        let used = full + (part > 0 ? 1 : 0)
        s += String(repeating: track, count: max(0, width - used))
        return s
    }

    /// One segment of a stacked bar.
    public struct Segment: Sendable {
        public var value: Double
        public var glyph: Character
        public var paint: Style.Paint?

        public init(_ value: Double, _ glyph: Character, _ paint: Style.Paint? = nil) {
            self.value = value
            self.glyph = glyph
            self.paint = paint
        }
    }

    /// Cells per segment so that they add up to `width` (largest remainder; a non-zero value
    /// gets at least one cell when there is room). `total` defaults to the segments' sum.
    public static func cells(_ segments: [Segment], width: Int, total: Double? = nil) -> [Int] {
        let sum = total ?? segments.reduce(0) { $0 + max(0, $1.value) }
        guard sum > 0, width > 0 else { return segments.map { _ in 0 } }
        let span = Double(width) * min(1, segments.reduce(0) { $0 + max(0, $1.value) } / sum)
        let exact = segments.map { max(0, $0.value) / sum * Double(width) }
        var cells = exact.map { Int($0) }
        var left = Int(span.rounded()) - cells.reduce(0, +)
        let order = exact.indices.sorted { (exact[$0] - Double(cells[$0]), -$0) > (exact[$1] - Double(cells[$1]), -$1) }
        for i in order where left > 0 {
            cells[i] += 1
            left -= 1
        }
        return cells
    }

    /// A stacked bar: each segment its glyph (and colour when on), scaled so the total is `width`.
    public static func stacked(_ segments: [Segment], width: Int, total: Double? = nil, style: Style) -> String {
        let cells = cells(segments, width: width, total: total)
        var out = ""
        for (segment, n) in zip(segments, cells) where n > 0 {
            let text = String(repeating: segment.glyph, count: n)
            out += segment.paint.map { style.paint(text, $0) } ?? text
        }
        return out
    }

    /// A sparkline of `values` between `low` and `high`; nil values (no data) show as `·`.
    public static func sparkline(_ values: [Double?], low: Double = 0, high: Double = 100) -> String {
        String(
            values.map { v -> Character in
                guard let v else { return "·" }
                let f = high > low ? (min(high, max(low, v)) - low) / (high - low) : 0
                return sparks[min(7, Int((f * 7).rounded()))]
            })
    }
}
