/// The kinds of feedback seed 001 tracks.
public enum FeedbackType: String, Codable, Sendable, CaseIterable {
    case correction, enhancement, approval, innovation
}

/// One feedback entry about a person's work (seed 001's `AgentPerformanceRecord`).
public struct FeedbackEntry: Codable, Hashable, Sendable {
    /// The external id it was ingested with.
    public var id: String
    public var personID: String
    public var projectID: String?
    /// `YYYY-MM-DDTHH:MM:SSZ`.
    public var occurredAt: String
    public var feedbackType: FeedbackType
    public var feedback: String
    /// 1…5, optional.
    public var rating: Int?
    public var context: String?
    public var learningPattern: String?
    public var version: Int

    public init(
        id: String, personID: String, projectID: String?, occurredAt: String, feedbackType: FeedbackType,
        feedback: String, rating: Int?, context: String?, learningPattern: String?, version: Int = 1
    ) {
        self.id = id
        self.personID = personID
        self.projectID = projectID
        self.occurredAt = occurredAt
        self.feedbackType = feedbackType
        self.feedback = feedback
        self.rating = rating
        self.context = context
        self.learningPattern = learningPattern
        self.version = version
    }

    enum CodingKeys: String, CodingKey {
        case id, feedback, rating, context, version
        case personID = "person_id"
        case projectID = "project_id"
        case occurredAt = "occurred_at"
        case feedbackType = "feedback_type"
        case learningPattern = "learning_pattern"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(personID, forKey: .personID)
        try c.encode(projectID, forKey: .projectID)
        try c.encode(occurredAt, forKey: .occurredAt)
        try c.encode(feedbackType, forKey: .feedbackType)
        try c.encode(feedback, forKey: .feedback)
        try c.encode(rating, forKey: .rating)
        try c.encode(context, forKey: .context)
        try c.encode(learningPattern, forKey: .learningPattern)
        try c.encode(version, forKey: .version)
    }
}
