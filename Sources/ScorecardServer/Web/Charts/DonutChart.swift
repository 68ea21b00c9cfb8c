import Foundation
import ScorecardCore

/// A donut of shares (dispositions): the largest slices by count, the rest as "Other".
struct DonutChart {
    var slices: [(label: String, count: Int)]
    /// Slices drawn separately; the rest are summed into "Other".
    static let maxSlices = 7
    static let size = 200.0

    /// The slices as drawn: largest first (ties by name), the tail folded into "Other".
    static func fold(_ counts: [String: Int]) -> [(label: String, count: Int)] {
        let sorted = counts.filter { $0.value > 0 }.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        guard sorted.count > maxSlices else { return sorted.map { ($0.key, $0.value) } }
        let head = sorted.prefix(maxSlices - 1).map { ($0.key, $0.value) }
        return head + [("Other", sorted.dropFirst(maxSlices - 1).reduce(0) { $0 + $1.value })]
    }

    var svg: String {
        let total = slices.reduce(0) { $0 + $1.count }
        let label = total == 0 ? "Dispositions: no calls"
            : "Dispositions: " + slices.map { "\($0.label) \($0.count) (\(SVG.number(Double($0.count) / Double(total) * 100, places: 1))%)" }.joined(separator: ", ")
        var out = SVG.open(width: DonutChart.size, height: DonutChart.size, label: label, className: "chart donut")
        let c = DonutChart.size / 2, r = 70.0
        let circumference = 2 * Double.pi * r
        out += "<circle class=\"donut-track\" cx=\"\(SVG.number(c))\" cy=\"\(SVG.number(c))\" r=\"\(SVG.number(r))\" fill=\"none\" stroke-width=\"28\"/>"
        var offset = 0.0
        if total > 0 {
            for (i, s) in slices.enumerated() {
                let length = Double(s.count) / Double(total) * circumference
                // Each slice is a dashed circle: one dash as long as its share, started where the previous one ended.
                out += "<circle class=\"slice slice-\(i)\" cx=\"\(SVG.number(c))\" cy=\"\(SVG.number(c))\" r=\"\(SVG.number(r))\" fill=\"none\" stroke-width=\"28\" "
                    + "stroke-dasharray=\"\(SVG.number(length)) \(SVG.number(circumference - length))\" stroke-dashoffset=\"\(SVG.number(-offset))\" "
                    + "transform=\"rotate(-90 \(SVG.number(c)) \(SVG.number(c)))\"><title>\(SVG.escape(s.label)): \(s.count)</title></circle>"
                offset += length
            }
        }
        out += "<text class=\"donut-total\" x=\"\(SVG.number(c))\" y=\"\(SVG.number(c + 2))\" text-anchor=\"middle\">\(total)</text>"
        out += "<text class=\"donut-caption\" x=\"\(SVG.number(c))\" y=\"\(SVG.number(c + 20))\" text-anchor=\"middle\">calls</text>"
        return out + "</svg>"
    }
}
