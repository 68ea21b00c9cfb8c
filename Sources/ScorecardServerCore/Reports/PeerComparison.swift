import ScorecardCore

/// The anonymised comparison of a person with their team (seed 002's "My Scorecard").
public struct PeerComparison: Codable, Sendable, Equatable {
    public var period: String?
    public var available: Bool
    /// Why the comparison is hidden, when it is.
    public var reason: String?
    public var teamSize: Int?
    public var yourScore: Double?
    /// The share of teammates scoring below you (ties count half), in percent, one decimal.
    public var percentile: Double?
    public var teamAverage: Double?
    /// Counts of composites per 10-point bucket (`0-10` … `90-100`): no names, no ids.
    public var distribution: [Bucket]?

    /// One histogram bucket.
    public struct Bucket: Codable, Sendable, Equatable {
        public var range: String
        public var count: Int
    }

    enum CodingKeys: String, CodingKey {
        case period, available, reason, percentile, distribution
        case teamSize = "team_size"
        case yourScore = "your_score"
        case teamAverage = "team_average"
    }

    static func hidden(_ period: String?, _ reason: String) -> PeerComparison {
        PeerComparison(period: period, available: false, reason: reason)
    }

    /// The comparison for `caller` in `period` (default: their latest scored week).
    public static func make(for caller: Person, period: String?, store: any ServerStore) async throws -> PeerComparison {
        guard let mine = try await store.snapshot(personID: caller.id, period: period) else {
            return .hidden(period, "you have no scores\(period.map { " for \($0)" } ?? "") yet")
        }
        guard let team = caller.teamID else { return .hidden(mine.period, "you are not in a team") }
        let minimum = try await store.settings().int("peer_comparison_min_team_size")
        let active = Set(try await store.people().filter { $0.active && $0.teamID == team }.map(\.id))
        // The composites only (one batch read, no snapshot documents to decode).
        let week = ISOWeek(mine.period)!
        let scores = try await store.scoreHistory(personIDs: active.sorted(), from: week, to: week).map(\.compositeScore)
        guard scores.count >= minimum else {
            return .hidden(mine.period, "fewer than \(minimum) people in your team have scores for \(mine.period); comparison is hidden for privacy")
        }
        let me = mine.compositeScore
        let below = scores.filter { $0 < me }.count
        let ties = scores.filter { $0 == me }.count - 1
        let others = scores.count - 1
        let percentile = others == 0 ? 100 : (Double(below) + 0.5 * Double(ties)) / Double(others) * 100
        var counts = Array(repeating: 0, count: 10)
        for s in scores { counts[min(9, max(0, Int(s / 10)))] += 1 }
        return PeerComparison(
            period: mine.period, available: true, reason: nil, teamSize: scores.count, yourScore: me,
            percentile: ScoringEngine.round(percentile, 1), teamAverage: ScoringEngine.round(scores.reduce(0, +) / Double(scores.count)),
            distribution: counts.enumerated().map { Bucket(range: "\($0.offset * 10)-\($0.offset * 10 + 10)", count: $0.element) })
    }
}
