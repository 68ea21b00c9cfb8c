import ScorecardCore

/// Vertical bars of counts per bucket (score distribution), the caller's bucket highlighted.
struct Histogram {
    var buckets: [(label: String, count: Int)]
    /// Index of a bucket to highlight (the viewer's own score), if any.
    var highlight: Int?
    /// What the counts are, for the label ("people").
    var unit = "people"
    var title = "Score distribution"

    static let width = 420.0
    static let height = 180.0

    var svg: String {
        let w = Histogram.width, h = Histogram.height
        let top = 18.0, bottom = 24.0
        let plotH = h - top - bottom
        let label = "\(title): " + buckets.map { "\($0.label) \($0.count) \(unit)" }.joined(separator: ", ")
        var out = SVG.open(width: w, height: h, label: label, className: "chart histogram")
        let maxCount = max(1, buckets.map(\.count).max() ?? 1)
        let slot = w / Double(max(1, buckets.count))
        let barW = slot * 0.72
        out += "<line class=\"grid\" x1=\"0\" x2=\"\(SVG.number(w))\" y1=\"\(SVG.number(top + plotH))\" y2=\"\(SVG.number(top + plotH))\"/>"
        for (i, b) in buckets.enumerated() {
            let barH = Double(b.count) / Double(maxCount) * plotH
            let x = Double(i) * slot + (slot - barW) / 2
            let y = top + plotH - barH
            let cls = i == highlight ? "bar bar-highlight" : "bar"
            out += "<rect class=\"\(cls)\" x=\"\(SVG.number(x))\" y=\"\(SVG.number(y))\" width=\"\(SVG.number(barW))\" height=\"\(SVG.number(max(barH, b.count > 0 ? 1 : 0)))\" rx=\"2\"><title>\(SVG.escape(b.label)): \(b.count)</title></rect>"
            if b.count > 0 {
                out += "<text class=\"value\" x=\"\(SVG.number(x + barW / 2))\" y=\"\(SVG.number(y - 4))\" text-anchor=\"middle\">\(b.count)</text>"
            }
            out += "<text class=\"axis\" x=\"\(SVG.number(x + barW / 2))\" y=\"\(SVG.number(h - 8))\" text-anchor=\"middle\">\(SVG.escape(b.label))</text>"
        }
        return out + "</svg>"
    }
}
