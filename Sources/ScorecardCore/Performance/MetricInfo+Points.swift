extension MetricInfo {
    /// The points this metric earns, unrounded and clamped to `[0, maxPoints]`: the one place the
    /// formulas live, called by the server's scoring and by the client's what-if alike.
    ///
    /// `input` is in the formula's terms (``input(forValue:)``): a share 0…1 for a percentage,
    /// else the value; nil when no event had one. `baseline` is the team baseline, for the
    /// formulas that compare with one. A metric without a formula (`composite_score`) earns 0.
    public func points(input: Double?, baseline: Double?) -> Double {
        guard let formula else { return 0 }
        let max = maxPoints
        let points: Double
        switch formula {
        case .share: points = (input ?? 0) * max
        case .inverseShare: points = max * (1 - (input ?? 0))
        case .lowerVsTeam:
            if let input {
                if let baseline, baseline > 0 { points = max * Swift.max(0, 1 - input / baseline) } else { points = max / 2 }
            } else {
                points = 0
            }
        case .volumeVsTeam:
            if let baseline, baseline > 0 { points = Swift.min(max, (input ?? 0) / baseline * max) } else { points = max / 2 }
        case .rating: points = ScoringMath.safeDiv(input ?? 0, 5) * max
        case .delay: points = input.map { max * Swift.max(0, 1 - $0 / 60) } ?? 0
        case .length: points = max * Swift.min(1, (input ?? 0) / 100)
        }
        return Swift.min(max, Swift.max(0, points))
    }

    /// The value a snapshot shows for a formula input: a share × 100 for a percentage.
    public func value(forInput input: Double?) -> Double? { unit == "percent" ? input.map { $0 * 100 } : input }

    /// The formula input for a value as a snapshot shows it: a percentage ÷ 100.
    public func input(forValue value: Double?) -> Double? { unit == "percent" ? value.map { $0 / 100 } : value }

    /// Whether the metric is one a domain score is made of (not `composite_score`, `domain_score`).
    public var isScored: Bool { formula != nil }
}
