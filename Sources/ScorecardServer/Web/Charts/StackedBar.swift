import ScorecardCore

/// One horizontal bar split into shares (time utilization: busy, idle, pause, wrap-up, dial).
struct StackedBar {
    var segments: [(label: String, className: String, value: Double)]
    /// How values read in the label (`HH:MM:SS` for seconds).
    var format: (Double) -> String

    static let width = 600.0
    static let height = 28.0

    var svg: String {
        let total = segments.reduce(0) { $0 + max(0, $1.value) }
        func share(_ v: Double) -> String { total > 0 ? SVG.number(v / total * 100, places: 1) + "%" : "0%" }
        let label = "Time utilization: " + segments.map { "\($0.label) \(format($0.value)) (\(share($0.value)))" }.joined(separator: ", ")
        var out = SVG.open(width: StackedBar.width, height: StackedBar.height, label: label, className: "chart stacked", stretch: true)
        out += "<rect class=\"stack-track\" x=\"0\" y=\"0\" width=\"\(SVG.number(StackedBar.width))\" height=\"\(SVG.number(StackedBar.height))\" rx=\"6\"/>"
        var x = 0.0
        if total > 0 {
            for s in segments where s.value > 0 {
                let w = s.value / total * StackedBar.width
                out += "<rect class=\"seg \(s.className)\" x=\"\(SVG.number(x))\" y=\"0\" width=\"\(SVG.number(w))\" height=\"\(SVG.number(StackedBar.height))\"><title>\(SVG.escape(s.label)): \(SVG.escape(format(s.value))) (\(share(s.value)))</title></rect>"
                x += w
            }
        }
        return out + "</svg>"
    }
}
