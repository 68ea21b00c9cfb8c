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

    /// The comparison for `caller` in `period` (default: their latest scored week): the figures
    /// stored with their snapshot when the week was scored, the same the feed carries to the
    /// client, so the API and the mirror cannot disagree.
    public static func make(for caller: Person, period: String?, store: any ServerStore) async throws -> PeerComparison {
        guard let mine = try await store.snapshot(personID: caller.id, period: period) else {
            return .hidden(period, "you have no scores\(period.map { " for \($0)" } ?? "") yet")
        }
        return PeerComparison(stored: mine)
    }
}

extension PeerComparison {
    /// The comparison a stored snapshot's peer figures answer.
    public init(stored snapshot: Snapshot) {
        guard let peer = snapshot.peer else {
            self = .hidden(
                snapshot.period, "peer figures were not stored when \(snapshot.period) was scored; they appear when the week is scored again")
            return
        }
        if let reason = peer.reason {
            self = .hidden(snapshot.period, reason)
            return
        }
        self.init(
            period: snapshot.period, available: true, reason: nil, teamSize: peer.teamSize, yourScore: snapshot.compositeScore,
            percentile: peer.percentile, teamAverage: peer.teamAverage,
            distribution: peer.distribution?.map { Bucket(range: "\($0.from)-\($0.to)", count: $0.count) })
    }
}
