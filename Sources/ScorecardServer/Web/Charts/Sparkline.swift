import ScorecardCore

/// A 12-week sparkline of composite scores for a leaderboard row.
struct Sparkline {
    /// One point per week, oldest first; nil where the person was not scored.
    var points: [(label: String, value: Double?)]

    static let width = 120.0
    static let height = 32.0

    /// The SVG, with the weeks and scores in its label.
    var svg: String {
        let label = "Composite by week: " + points.map { "\($0.label) \($0.value.map { SVG.number($0) } ?? "not scored")" }.joined(separator: ", ")
        var out = SVG.open(width: Sparkline.width, height: Sparkline.height, label: label, className: "chart spark")
        let step = points.count > 1 ? (Sparkline.width - 6) / Double(points.count - 1) : 0
        func y(_ v: Double) -> Double { 3 + (100 - min(100, max(0, v))) / 100 * (Sparkline.height - 6) }
        var segment: [String] = []
        var segments: [[String]] = []
        var last: (Double, Double)?
        for (i, point) in points.enumerated() {
            guard let v = point.value else {
                if !segment.isEmpty { segments.append(segment) }
                segment = []
                continue
            }
            let x = 3 + Double(i) * step
            segment.append("\(SVG.number(x, places: 1)),\(SVG.number(y(v), places: 1))")
            last = (x, y(v))
        }
        if !segment.isEmpty { segments.append(segment) }
        for s in segments where s.count > 1 {
            out += "<polyline class=\"spark-line\" fill=\"none\" points=\"\(s.joined(separator: " "))\"/>"
        }
        if let (x, y) = last { out += "<circle class=\"spark-dot\" cx=\"\(SVG.number(x, places: 1))\" cy=\"\(SVG.number(y, places: 1))\" r=\"2.5\"/>" }
        return out + "</svg>"
    }
}
