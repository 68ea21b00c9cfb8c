import ScorecardCore

/// Calls per day: an inbound and an outbound bar side by side for each day.
struct GroupedBars {
    var days: [(label: String, inbound: Int, outbound: Int)]

    static let height = 220.0

    var svg: String {
        let slot = days.count > 20 ? 26.0 : 56.0
        let w = max(320, Double(days.count) * slot + 36)
        let h = GroupedBars.height, top = 16.0, bottom = 28.0, left = 32.0
        let plotH = h - top - bottom
        let label = "Calls per day, inbound and outbound: "
            + days.map { "\($0.label) \($0.inbound) in, \($0.outbound) out" }.joined(separator: "; ")
        var out = SVG.open(width: w, height: h, label: label, className: "chart grouped")
        let peak = max(1, days.map { max($0.inbound, $0.outbound) }.max() ?? 1)
        let scale = GroupedBars.niceCeiling(peak)
        for i in 0...4 {
            let v = Double(scale) * Double(i) / 4
            let y = top + plotH - v / Double(scale) * plotH
            out += "<line class=\"grid\" x1=\"\(SVG.number(left))\" x2=\"\(SVG.number(w))\" y1=\"\(SVG.number(y))\" y2=\"\(SVG.number(y))\"/>"
            out += "<text class=\"axis\" x=\"\(SVG.number(left - 5))\" y=\"\(SVG.number(y + 4))\" text-anchor=\"end\">\(SVG.number(v, places: 0))</text>"
        }
        let daySlot = (w - left) / Double(max(1, days.count))
        let barW = daySlot * 0.34
        for (i, d) in days.enumerated() {
            let x0 = left + Double(i) * daySlot + daySlot * 0.14
            for (k, (count, cls, word)) in [(d.inbound, "bar-in", "inbound"), (d.outbound, "bar-out", "outbound")].enumerated() {
                let barH = Double(count) / Double(scale) * plotH
                out += "<rect class=\"\(cls)\" x=\"\(SVG.number(x0 + Double(k) * barW))\" y=\"\(SVG.number(top + plotH - barH))\" width=\"\(SVG.number(barW - 1))\" height=\"\(SVG.number(barH))\" rx=\"1.5\"><title>\(SVG.escape(d.label)): \(count) \(word)</title></rect>"
            }
            if days.count <= 20 || i % 3 == 0 {
                out += "<text class=\"axis\" x=\"\(SVG.number(x0 + barW))\" y=\"\(SVG.number(h - 8))\" text-anchor=\"middle\">\(SVG.escape(d.label))</text>"
            }
        }
        return out + "</svg>"
    }

    /// The smallest of 1, 2, 5 × 10ⁿ (times 4, for four grid steps) at or above `value`.
    static func niceCeiling(_ value: Int) -> Int {
        var magnitude = 1
        while true {
            for m in [1, 2, 5] where m * magnitude * 4 >= value { return m * magnitude * 4 }
            magnitude *= 10
        }
    }
}
