/// Whether a goal's metric should end at or below (`lte`) or at or above (`gte`) its target.
public enum GoalComparison: String, Codable, Sendable, CaseIterable {
    case lte, gte

    /// True when `value` meets `target`.
    public func isMet(_ value: Double, target: Double) -> Bool {
        self == .lte ? value <= target : value >= target
    }
}

/// A goal's lifecycle state.
public enum GoalStatus: String, Codable, Sendable, CaseIterable {
    case active, achieved, missed, canceled
}

/// A target on one metric (API.md Goal).
public struct Goal: Codable, Hashable, Sendable {
    public var id: String
    public var personID: String
    public var domain: Domain
    /// A key of ``MetricCatalogue``.
    public var metricKey: String
    public var label: String
    public var targetValue: Double
    /// The metric's latest scored value; null until the progress job has seen one.
    public var currentValue: Double?
    public var comparison: GoalComparison
    /// `YYYY-MM-DD`.
    public var deadline: String
    public var status: GoalStatus
    public var createdByPersonID: String?
    public var createdAt: String
    public var updatedAt: String
    public var version: Int

    public init(
        id: String, personID: String, domain: Domain, metricKey: String, label: String, targetValue: Double,
        currentValue: Double? = nil, comparison: GoalComparison, deadline: String, status: GoalStatus = .active,
        createdByPersonID: String?, createdAt: String, updatedAt: String, version: Int = 1
    ) {
        self.id = id
        self.personID = personID
        self.domain = domain
        self.metricKey = metricKey
        self.label = label
        self.targetValue = targetValue
        self.currentValue = currentValue
        self.comparison = comparison
        self.deadline = deadline
        self.status = status
        self.createdByPersonID = createdByPersonID
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }

    /// The fields a goal edit may change (`update_goal`, PATCH).
    public static let editableFields = ["label", "target_value", "comparison", "deadline", "domain", "metric_key"]

    enum CodingKeys: String, CodingKey {
        case id, domain, label, comparison, deadline, status, version
        case personID = "person_id"
        case metricKey = "metric_key"
        case targetValue = "target_value"
        case currentValue = "current_value"
        case createdByPersonID = "created_by_person_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(personID, forKey: .personID)
        try c.encode(domain, forKey: .domain)
        try c.encode(metricKey, forKey: .metricKey)
        try c.encode(label, forKey: .label)
        try c.encode(targetValue, forKey: .targetValue)
        try c.encode(currentValue, forKey: .currentValue)
        try c.encode(comparison, forKey: .comparison)
        try c.encode(deadline, forKey: .deadline)
        try c.encode(status, forKey: .status)
        try c.encode(createdByPersonID, forKey: .createdByPersonID)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
        try c.encode(version, forKey: .version)
    }
}

extension Goal {
    /// The editable fields as JSON values, keyed as on the wire (the base and theirs of a merge).
    public var editableValues: [String: JSONValue] {
        [
            "label": .string(label), "target_value": .number(targetValue), "comparison": .string(comparison.rawValue),
            "deadline": .string(deadline), "domain": .string(domain.rawValue), "metric_key": .string(metricKey),
        ]
    }

    /// This goal with `changes` laid over it, skipping values of the wrong type (the client's view
    /// of a pending edit; the server validates for real).
    public func applying(_ changes: [String: JSONValue]) -> Goal {
        var goal = self
        for (key, value) in changes {
            switch (key, value) {
            case ("label", .string(let s)): goal.label = s
            case ("target_value", .number(let n)): goal.targetValue = n
            case ("comparison", .string(let s)): goal.comparison = GoalComparison(rawValue: s) ?? goal.comparison
            case ("deadline", .string(let s)): goal.deadline = s
            case ("domain", .string(let s)): goal.domain = Domain(rawValue: s) ?? goal.domain
            case ("metric_key", .string(let s)): goal.metricKey = s
            default: continue
            }
        }
        return goal
    }
}
