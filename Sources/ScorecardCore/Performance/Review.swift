/// One coaching recommendation (seed 002's output schema).
public struct Recommendation: Codable, Hashable, Sendable {
    /// `high`, `medium` or `low`.
    public var priority: String
    /// A short snake_case category such as `response_time`.
    public var category: String
    public var action: String
    /// The expected impact of the action.
    public var impact: String

    public init(priority: String, category: String, action: String, impact: String) {
        self.priority = priority
        self.category = category
        self.action = action
        self.impact = impact
    }

    /// Sort rank of `priority`: high 0, medium 1, low 2, anything else 3.
    public var priorityRank: Int { ["high": 0, "medium": 1, "low": 2][priority] ?? 3 }
}

/// An observation about one sampled item (seed 002's output schema).
public struct Callout: Codable, Hashable, Sendable {
    /// `positive` or `concern`.
    public var type: String
    /// The item, e.g. `Ticket T-1234`.
    public var reference: String
    public var observation: String

    public init(type: String, reference: String, observation: String) {
        self.type = type
        self.reference = reference
        self.observation = observation
    }
}

/// What a coach writes: seed 002's JSON output schema.
public struct ReviewContent: Codable, Hashable, Sendable {
    public var summary: String
    public var strengths: [String]
    public var improvements: [String]
    public var recommendations: [Recommendation]
    public var callouts: [Callout]

    public init(summary: String, strengths: [String], improvements: [String], recommendations: [Recommendation], callouts: [Callout]) {
        self.summary = summary
        self.strengths = strengths
        self.improvements = improvements
        self.recommendations = recommendations
        self.callouts = callouts
    }
}

/// A coaching review of one person for one week (API.md Review).
public struct Review: Codable, Hashable, Sendable {
    public var id: String
    public var personID: String
    public var periodStart: String
    public var periodEnd: String
    public var compositeScore: Double
    public var domainScores: [String: Double]
    public var summary: String
    public var strengths: [String]
    public var improvements: [String]
    public var recommendations: [Recommendation]
    public var callouts: [Callout]
    /// `rule-based`, or the LLM's model id.
    public var model: String
    public var tokensIn: Int
    public var tokensOut: Int
    public var isAcknowledged: Bool
    public var acknowledgedAt: String?
    public var createdAt: String
    public var version: Int

    public init(
        id: String, personID: String, periodStart: String, periodEnd: String, compositeScore: Double,
        domainScores: [String: Double], content: ReviewContent, model: String, tokensIn: Int, tokensOut: Int,
        isAcknowledged: Bool = false, acknowledgedAt: String? = nil, createdAt: String, version: Int = 1
    ) {
        self.id = id
        self.personID = personID
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.compositeScore = compositeScore
        self.domainScores = domainScores
        self.summary = content.summary
        self.strengths = content.strengths
        self.improvements = content.improvements
        self.recommendations = content.recommendations
        self.callouts = content.callouts
        self.model = model
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
        self.isAcknowledged = isAcknowledged
        self.acknowledgedAt = acknowledgedAt
        self.createdAt = createdAt
        self.version = version
    }

    /// The coach's part of the review.
    public var content: ReviewContent {
        ReviewContent(summary: summary, strengths: strengths, improvements: improvements, recommendations: recommendations, callouts: callouts)
    }

    enum CodingKeys: String, CodingKey {
        case id, summary, strengths, improvements, recommendations, callouts, model, version
        case personID = "person_id"
        case periodStart = "period_start"
        case periodEnd = "period_end"
        case compositeScore = "composite_score"
        case domainScores = "domain_scores"
        case tokensIn = "tokens_in"
        case tokensOut = "tokens_out"
        case isAcknowledged = "is_acknowledged"
        case acknowledgedAt = "acknowledged_at"
        case createdAt = "created_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(personID, forKey: .personID)
        try c.encode(periodStart, forKey: .periodStart)
        try c.encode(periodEnd, forKey: .periodEnd)
        try c.encode(compositeScore, forKey: .compositeScore)
        try c.encode(domainScores, forKey: .domainScores)
        try c.encode(summary, forKey: .summary)
        try c.encode(strengths, forKey: .strengths)
        try c.encode(improvements, forKey: .improvements)
        try c.encode(recommendations, forKey: .recommendations)
        try c.encode(callouts, forKey: .callouts)
        try c.encode(model, forKey: .model)
        try c.encode(tokensIn, forKey: .tokensIn)
        try c.encode(tokensOut, forKey: .tokensOut)
        try c.encode(isAcknowledged, forKey: .isAcknowledged)
        try c.encode(acknowledgedAt, forKey: .acknowledgedAt)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(version, forKey: .version)
    }
}
