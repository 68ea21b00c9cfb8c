/// How a scored metric's value turns into points (docs/scoring.md, "The metrics"). `max` is the
/// metric's ``MetricInfo/maxPoints``; the input is a share 0…1 for a percentage, else the value.
public enum MetricFormula: Sendable, Hashable {
    /// `share × max`: a percentage where higher is better; absent → 0.
    case share
    /// `max × (1 − share)`: a percentage where lower is better (escalation, blocked).
    case inverseShare
    /// `max × max(0, 1 − value / baseline)` against the team baseline; absent → 0; no baseline
    /// (or one ≤ 0) → `max / 2`.
    case lowerVsTeam
    /// `min(max, value / baseline × max)`, a volume against the team baseline; no baseline (or
    /// one ≤ 0) → `max / 2`.
    case volumeVsTeam
    /// `safe_div(value, 5) × max`: a 1–5 rating; absent → 0.
    case rating
    /// `max × max(0, 1 − value / 60)`: minutes late, nothing left after an hour; absent → 0.
    case delay
    /// `max × min(1, value / 100)`: characters, full from 100; absent → 0.
    case length

    /// Whether the formula compares the value with a team baseline.
    public var usesBaseline: Bool { self == .lowerVsTeam || self == .volumeVsTeam }
}
