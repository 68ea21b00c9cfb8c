/// One domain's score in a snapshot (API.md `domains[]`).
public struct DomainScore: Codable, Hashable, Sendable {
    public var domain: Domain
    /// 0…100, two decimals.
    public var rawScore: Double
    /// `raw_score × weight / 100` with the effective (renormalised) weight, two decimals.
    public var weightedScore: Double
    /// The metric values behind the score, for drill-down (docs/scoring.md names them).
    public var metrics: [String: Double]

    public init(domain: Domain, rawScore: Double, weightedScore: Double, metrics: [String: Double]) {
        self.domain = domain
        self.rawScore = rawScore
        self.weightedScore = weightedScore
        self.metrics = metrics
    }

    enum CodingKeys: String, CodingKey {
        case domain, metrics
        case rawScore = "raw_score"
        case weightedScore = "weighted_score"
    }
}

/// One person's scores for one ISO week (API.md snapshot).
public struct Snapshot: Codable, Hashable, Sendable {
    /// `<person_id>:<YYYY-Www>`.
    public var id: String
    public var personID: String
    /// `YYYY-Www`.
    public var period: String
    /// The week's Monday, `YYYY-MM-DD`.
    public var periodStart: String
    /// The week's Sunday, `YYYY-MM-DD`.
    public var periodEnd: String
    /// 0…100, two decimals, over the domains that had activity.
    public var compositeScore: Double
    /// Raw score per scored domain.
    public var domainScores: [String: Double]
    /// Effective weight per scored domain, in percent, summing to 100.
    public var weights: [String: Double]
    public var teamID: String?
    public var teamType: String?
    public var salesActivityRatio: Double?
    /// The scored domains in seed order.
    public var domains: [DomainScore]
    /// The week's peer figures for the person's team as stored when the week was scored; nil in a
    /// snapshot scored before they were stored.
    public var peer: PeerFigures?
    /// The team baselines (team averages) the formulas used, metric key → average, four decimals;
    /// empty without a team; nil in a snapshot scored before they were stored.
    public var teamBaselines: [String: Double]?
    public var createdAt: String
    public var updatedAt: String
    public var version: Int

    public init(
        personID: String, period: ISOWeek, compositeScore: Double, domainScores: [String: Double],
        weights: [String: Double], teamID: String?, teamType: String?, salesActivityRatio: Double?,
        domains: [DomainScore], peer: PeerFigures? = nil, teamBaselines: [String: Double]? = nil,
        createdAt: String, updatedAt: String, version: Int
    ) {
        self.id = Snapshot.id(personID: personID, period: period)
        self.personID = personID
        self.period = period.description
        self.periodStart = period.monday.description
        self.periodEnd = period.sunday.description
        self.compositeScore = compositeScore
        self.domainScores = domainScores
        self.weights = weights
        self.teamID = teamID
        self.teamType = teamType
        self.salesActivityRatio = salesActivityRatio
        self.domains = domains
        self.peer = peer
        self.teamBaselines = teamBaselines
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }

    /// The snapshot id of a person and week.
    public static func id(personID: String, period: ISOWeek) -> String { "\(personID):\(period)" }

    enum CodingKeys: String, CodingKey {
        case id, period, weights, domains, version, peer
        case teamBaselines = "team_baselines"
        case personID = "person_id"
        case periodStart = "period_start"
        case periodEnd = "period_end"
        case compositeScore = "composite_score"
        case domainScores = "domain_scores"
        case teamID = "team_id"
        case teamType = "team_type"
        case salesActivityRatio = "sales_activity_ratio"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(personID, forKey: .personID)
        try c.encode(period, forKey: .period)
        try c.encode(periodStart, forKey: .periodStart)
        try c.encode(periodEnd, forKey: .periodEnd)
        try c.encode(compositeScore, forKey: .compositeScore)
        try c.encode(domainScores, forKey: .domainScores)
        try c.encode(weights, forKey: .weights)
        try c.encode(teamID, forKey: .teamID)
        try c.encode(teamType, forKey: .teamType)
        try c.encode(salesActivityRatio, forKey: .salesActivityRatio)
        try c.encode(domains, forKey: .domains)
        try c.encodeIfPresent(peer, forKey: .peer)
        try c.encodeIfPresent(teamBaselines, forKey: .teamBaselines)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
        try c.encode(version, forKey: .version)
    }
}
