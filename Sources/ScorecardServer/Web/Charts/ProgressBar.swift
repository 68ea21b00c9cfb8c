import ScorecardCore

/// A goal's progress towards its target as a thin bar.
struct ProgressBar {
    /// 0…1.
    var fraction: Double
    var label: String
    /// `ok`, `warn` or `done`: the bar's colour class.
    var tone: String

    var svg: String {
        let f = min(1, max(0, fraction.isFinite ? fraction : 0))
        var out = SVG.open(width: 200, height: 8, label: label, className: "chart progress", stretch: true)
        out += "<rect class=\"progress-track\" x=\"0\" y=\"0\" width=\"200\" height=\"8\" rx=\"4\"/>"
        if f > 0 { out += "<rect class=\"progress-fill \(tone)\" x=\"0\" y=\"0\" width=\"\(SVG.number(200 * f))\" height=\"8\" rx=\"4\"/>" }
        return out + "</svg>"
    }
}
