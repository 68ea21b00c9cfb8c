import ScorecardCore

/// Six tiny vertical bars, one per domain (0–100), for a leaderboard row.
struct MiniBars {
    var values: [(label: String, value: Double?)]

    static let width = 84.0
    static let height = 28.0

    var svg: String {
        let label = "Domain scores: " + values.map { "\($0.label) \($0.value.map { SVG.number($0) } ?? "none")" }.joined(separator: ", ")
        var out = SVG.open(width: MiniBars.width, height: MiniBars.height, label: label, className: "chart minibars")
        let slot = MiniBars.width / Double(max(1, values.count))
        for (i, v) in values.enumerated() {
            let x = Double(i) * slot + 1.5
            out += "<rect class=\"minibar-track\" x=\"\(SVG.number(x))\" y=\"0\" width=\"\(SVG.number(slot - 3))\" height=\"\(SVG.number(MiniBars.height))\" rx=\"1.5\"/>"
            if let value = v.value {
                let barH = min(100, max(0, value)) / 100 * MiniBars.height
                out += "<rect class=\"minibar\" x=\"\(SVG.number(x))\" y=\"\(SVG.number(MiniBars.height - barH, places: 1))\" width=\"\(SVG.number(slot - 3))\" height=\"\(SVG.number(barH, places: 1))\" rx=\"1.5\"/>"
            }
        }
        return out + "</svg>"
    }
}
