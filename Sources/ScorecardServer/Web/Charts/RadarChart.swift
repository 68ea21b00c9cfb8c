import Foundation
import ScorecardCore

/// A six-axis radar of domain scores (0–100): this period filled, the previous one dashed.
struct RadarChart {
    /// Axis names, clockwise from the top.
    var axes: [String]
    /// Scores per axis this period; nil where the domain had no activity (drawn at 0).
    var current: [Double?]
    /// Scores per axis in the previous period, if it was scored.
    var previous: [Double?]?
    var currentLabel = "This week"
    var previousLabel = "Previous week"

    static let width = 360.0
    static let height = 270.0
    static let radius = 100.0

    var svg: String {
        let cx = RadarChart.width / 2, cy = RadarChart.height / 2, r = RadarChart.radius
        func describe(_ values: [Double?]) -> String {
            zip(axes, values).map { "\($0) \($1.map { SVG.number($0) } ?? "no activity")" }.joined(separator: ", ")
        }
        var label = "Domain scores. \(currentLabel): \(describe(current))"
        if let previous { label += ". \(previousLabel): \(describe(previous))" }
        var out = SVG.open(width: RadarChart.width, height: RadarChart.height, label: label, className: "chart radar")
        let n = max(axes.count, 1)
        func point(_ i: Int, _ value: Double, clamp: Bool = true) -> (Double, Double) {
            let angle = -Double.pi / 2 + Double(i) * 2 * Double.pi / Double(n)
            let d = r * (clamp ? min(100, max(0, value)) : value) / 100
            return (cx + d * cos(angle), cy + d * sin(angle))
        }
        func polygon(_ values: [Double?]) -> String {
            values.enumerated().map { i, v in
                let (x, y) = point(i, v ?? 0)
                return "\(SVG.number(x)),\(SVG.number(y))"
            }.joined(separator: " ")
        }
        for ring in [25.0, 50, 75, 100] {
            out += "<polygon class=\"grid\" fill=\"none\" points=\"\(polygon(Array(repeating: ring, count: n)))\"/>"
        }
        for (i, axis) in axes.enumerated() {
            let (x, y) = point(i, 100)
            out += "<line class=\"grid\" x1=\"\(SVG.number(cx))\" y1=\"\(SVG.number(cy))\" x2=\"\(SVG.number(x))\" y2=\"\(SVG.number(y))\"/>"
            let (lx, ly) = point(i, 114, clamp: false)
            let anchor = abs(lx - cx) < 8 ? "middle" : (lx > cx ? "start" : "end")
            out += "<text class=\"axis\" x=\"\(SVG.number(lx))\" y=\"\(SVG.number(ly + 4))\" text-anchor=\"\(anchor)\">\(SVG.escape(axis))</text>"
        }
        if let previous {
            out += "<polygon class=\"radar-previous\" points=\"\(polygon(previous))\"><title>\(SVG.escape(previousLabel)): \(SVG.escape(describe(previous)))</title></polygon>"
        }
        out += "<polygon class=\"radar-current\" points=\"\(polygon(current))\"><title>\(SVG.escape(currentLabel)): \(SVG.escape(describe(current)))</title></polygon>"
        for (i, v) in current.enumerated() {
            guard let v else { continue }
            let (x, y) = point(i, v)
            out += "<circle class=\"radar-dot\" cx=\"\(SVG.number(x))\" cy=\"\(SVG.number(y))\" r=\"3\"/>"
        }
        return out + "</svg>"
    }
}
