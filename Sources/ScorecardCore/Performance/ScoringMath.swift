/// The two helpers every scoring formula uses (docs/scoring.md, "Rules shared by every metric"
/// and "Rounding"), shared by the server's scoring and the client's what-if.
public enum ScoringMath {
    /// `num / den`, or 0 when `den <= 0` (seed 002's `safe_div`).
    public static func safeDiv(_ num: Double, _ den: Double) -> Double { den > 0 ? num / den : 0 }

    /// Rounds half away from zero to `places` decimals.
    public static func round(_ x: Double, _ places: Int = 2) -> Double {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return (x * scale).rounded(.toNearestOrAwayFromZero) / scale
    }
}
