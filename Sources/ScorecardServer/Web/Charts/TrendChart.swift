import ScorecardCore

/// A line chart of weekly composite scores (0–100) with a dashed threshold line.
struct TrendChart {
    /// One point per week, oldest first; nil where not scored (the line breaks there).
    var points: [(label: String, value: Double?)]
    /// The flagged threshold, drawn as a dashed line.
    var threshold: Double?

    static let width = 640.0
    static let height = 220.0
    static let left = 34.0, right = 12.0, top = 12.0, bottom = 28.0

    var svg: String {
        let w = TrendChart.width, h = TrendChart.height
        let plotW = w - TrendChart.left - TrendChart.right, plotH = h - TrendChart.top - TrendChart.bottom
        let scored = points.compactMap { p in p.value.map { "\(p.label) \(SVG.number($0))" } }
        let label = "Composite score by week" + (scored.isEmpty ? ": no scores yet" : ": " + scored.joined(separator: ", "))
        var out = SVG.open(width: w, height: h, label: label, className: "chart trend")
        func y(_ v: Double) -> Double { TrendChart.top + (100 - min(100, max(0, v))) / 100 * plotH }
        let step = points.count > 1 ? plotW / Double(points.count - 1) : 0
        func x(_ i: Int) -> Double { TrendChart.left + (points.count > 1 ? Double(i) * step : plotW / 2) }
        for tick in stride(from: 0.0, through: 100, by: 25) {
            out += "<line class=\"grid\" x1=\"\(SVG.number(TrendChart.left))\" x2=\"\(SVG.number(w - TrendChart.right))\" y1=\"\(SVG.number(y(tick)))\" y2=\"\(SVG.number(y(tick)))\"/>"
            out += "<text class=\"axis\" x=\"\(SVG.number(TrendChart.left - 6))\" y=\"\(SVG.number(y(tick) + 4))\" text-anchor=\"end\">\(SVG.number(tick))</text>"
        }
        if let threshold {
            out += "<line class=\"threshold\" x1=\"\(SVG.number(TrendChart.left))\" x2=\"\(SVG.number(w - TrendChart.right))\" y1=\"\(SVG.number(y(threshold)))\" y2=\"\(SVG.number(y(threshold)))\"><title>Flagged threshold \(SVG.number(threshold))</title></line>"
        }
        for (i, p) in points.enumerated() where points.count <= 13 || i % 2 == 0 {
            out += "<text class=\"axis\" x=\"\(SVG.number(x(i)))\" y=\"\(SVG.number(h - 8))\" text-anchor=\"middle\">\(SVG.escape(p.label))</text>"
        }
        var segment: [String] = []
        func flush() {
            if segment.count > 1 { out += "<polyline class=\"trend-line\" fill=\"none\" points=\"\(segment.joined(separator: " "))\"/>" }
            segment = []
        }
        for (i, p) in points.enumerated() {
            guard let v = p.value else { flush(); continue }
            segment.append("\(SVG.number(x(i))),\(SVG.number(y(v)))")
        }
        flush()
        for (i, p) in points.enumerated() {
            guard let v = p.value else { continue }
            let below = threshold.map { v < $0 } ?? false
            out += "<circle class=\"trend-dot\(below ? " below" : "")\" cx=\"\(SVG.number(x(i)))\" cy=\"\(SVG.number(y(v)))\" r=\"4\"><title>\(SVG.escape(p.label)): \(SVG.number(v))</title></circle>"
        }
        return out + "</svg>"
    }
}
