/// A week's anonymised peer figures for one person, stored with their snapshot when the week is
/// scored (docs/scoring.md, "Peer figures"): either the figures, or why they are hidden.
///
/// On the wire (inside the snapshot, key `peer`): `{"percentile", "team_average", "team_size",
/// "distribution": [{"from", "to", "count"}]}`, or `{"hidden": true, "reason": "…"}`.
public struct PeerFigures: Codable, Hashable, Sendable {
    /// Share of the other scored teammates below this person (ties half), percent, one decimal.
    public var percentile: Double?
    /// Mean composite of the scored teammates, the person included, two decimals.
    public var teamAverage: Double?
    /// Scored teammates, the person included.
    public var teamSize: Int?
    /// Ten 10-point buckets of composites, `0–10` … `90–100` (100 falls in the last); counts only.
    public var distribution: [Bucket]?
    /// Why the figures are hidden (no team, or fewer than `peer_comparison_min_team_size`); nil when shown.
    public var reason: String?

    /// Whether the figures are hidden (then only ``reason`` is set).
    public var hidden: Bool { reason != nil }

    /// One histogram bucket: composites from `from` up to but not including `to` (100 in the last).
    public struct Bucket: Codable, Hashable, Sendable {
        public var from: Int
        public var to: Int
        public var count: Int

        public init(from: Int, to: Int, count: Int) {
            self.from = from
            self.to = to
            self.count = count
        }
    }

    /// Shown figures.
    public init(percentile: Double, teamAverage: Double, teamSize: Int, distribution: [Bucket]) {
        self.percentile = percentile
        self.teamAverage = teamAverage
        self.teamSize = teamSize
        self.distribution = distribution
    }

    /// Hidden figures, with the reason.
    public init(hiddenBecause reason: String) { self.reason = reason }

    enum CodingKeys: String, CodingKey {
        case percentile, distribution, hidden, reason
        case teamAverage = "team_average"
        case teamSize = "team_size"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if try c.decodeIfPresent(Bool.self, forKey: .hidden) == true {
            reason = try c.decodeIfPresent(String.self, forKey: .reason) ?? ""
            return
        }
        percentile = try c.decodeIfPresent(Double.self, forKey: .percentile)
        teamAverage = try c.decodeIfPresent(Double.self, forKey: .teamAverage)
        teamSize = try c.decodeIfPresent(Int.self, forKey: .teamSize)
        distribution = try c.decodeIfPresent([Bucket].self, forKey: .distribution)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if let reason {
            try c.encode(true, forKey: .hidden)
            try c.encode(reason, forKey: .reason)
        } else {
            try c.encodeIfPresent(percentile, forKey: .percentile)
            try c.encodeIfPresent(teamAverage, forKey: .teamAverage)
            try c.encodeIfPresent(teamSize, forKey: .teamSize)
            try c.encodeIfPresent(distribution, forKey: .distribution)
        }
    }
}
