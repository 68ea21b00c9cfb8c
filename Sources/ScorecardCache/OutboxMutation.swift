import Foundation
import ScorecardCore

/// A new goal as the client makes it offline (`create_goal`); the id is made here, a UUID.
public struct GoalDraft: Sendable, Equatable {
    public var id: String
    public var domain: Domain
    /// A key of the server's metric catalogue; the server checks it (a newer server may know more).
    public var metricKey: String
    public var label: String
    public var targetValue: Double
    public var comparison: GoalComparison
    /// `YYYY-MM-DD`.
    public var deadline: String

    public init(
        id: String = UUID().uuidString.lowercased(), domain: Domain, metricKey: String, label: String, targetValue: Double,
        comparison: GoalComparison, deadline: String
    ) {
        self.id = id
        self.domain = domain
        self.metricKey = metricKey
        self.label = label
        self.targetValue = targetValue
        self.comparison = comparison
        self.deadline = deadline
    }

    /// The goal as the user sees it while the create waits in the outbox.
    public func goal(personID: String, createdAt: String) -> Goal {
        Goal(
            id: id, personID: personID, domain: domain, metricKey: metricKey, label: label, targetValue: targetValue,
            comparison: comparison, deadline: deadline, createdByPersonID: personID, createdAt: createdAt, updatedAt: createdAt,
            version: 0)
    }
}

/// One offline edit, as API.md's push mutations define them.
public enum OutboxMutation: Sendable, Equatable {
    /// `ack_review {review_id, acknowledged_at}`.
    case ackReview(reviewID: String, acknowledgedAt: String)
    /// `create_goal {goal: {…}}`.
    case createGoal(GoalDraft)
    /// `update_goal {goal_id, base_version, base, changes}`: `base` holds what the user saw of every
    /// changed field, so the server can merge field by field.
    case updateGoal(goalID: String, baseVersion: Int, base: [String: JSONValue], changes: [String: JSONValue])
    /// `cancel_goal {goal_id, base_version}`.
    case cancelGoal(goalID: String, baseVersion: Int)

    /// The wire type, e.g. `ack_review`.
    public var type: String {
        switch self {
        case .ackReview: return "ack_review"
        case .createGoal: return "create_goal"
        case .updateGoal: return "update_goal"
        case .cancelGoal: return "cancel_goal"
        }
    }

    /// The review or goal it changes.
    public var entityID: String {
        switch self {
        case .ackReview(let id, _): return id
        case .createGoal(let draft): return draft.id
        case .updateGoal(let id, _, _, _), .cancelGoal(let id, _): return id
        }
    }

    /// The mutation object sent in `POST /api/v1/sync/push`, with its id.
    public func wire(id: String) -> JSONValue {
        var object: [String: JSONValue] = ["id": .string(id), "type": .string(type)]
        switch self {
        case .ackReview(let reviewID, let at):
            object["review_id"] = .string(reviewID)
            object["acknowledged_at"] = .string(at)
        case .createGoal(let d):
            object["goal"] = [
                "id": .string(d.id), "domain": .string(d.domain.rawValue), "metric_key": .string(d.metricKey),
                "label": .string(d.label), "target_value": .number(d.targetValue), "comparison": .string(d.comparison.rawValue),
                "deadline": .string(d.deadline),
            ]
        case .updateGoal(let goalID, let baseVersion, let base, let changes):
            object["goal_id"] = .string(goalID)
            object["base_version"] = .number(Double(baseVersion))
            object["base"] = .object(base)
            object["changes"] = .object(changes)
        case .cancelGoal(let goalID, let baseVersion):
            object["goal_id"] = .string(goalID)
            object["base_version"] = .number(Double(baseVersion))
        }
        return .object(object)
    }

    /// Reads back a stored mutation object; nil when it is not one this client writes.
    public init?(wire: JSONValue) {
        guard case .object(let o) = wire, case .string(let type)? = o["type"] else { return nil }
        func string(_ v: JSONValue?) -> String? {
            if case .string(let s)? = v { return s }
            return nil
        }
        func int(_ v: JSONValue?) -> Int? {
            if case .number(let n)? = v { return Int(exactly: n) }
            return nil
        }
        func object(_ v: JSONValue?) -> [String: JSONValue]? {
            if case .object(let x)? = v { return x }
            return nil
        }
        switch type {
        case "ack_review":
            guard let id = string(o["review_id"]), let at = string(o["acknowledged_at"]) else { return nil }
            self = .ackReview(reviewID: id, acknowledgedAt: at)
        case "create_goal":
            guard let g = object(o["goal"]), let id = string(g["id"]), let domain = string(g["domain"]).flatMap(Domain.init(rawValue:)),
                let metric = string(g["metric_key"]), let label = string(g["label"]), case .number(let target)? = g["target_value"],
                let comparison = string(g["comparison"]).flatMap(GoalComparison.init(rawValue:)), let deadline = string(g["deadline"])
            else { return nil }
            self = .createGoal(
                GoalDraft(id: id, domain: domain, metricKey: metric, label: label, targetValue: target, comparison: comparison, deadline: deadline))
        case "update_goal":
            guard let id = string(o["goal_id"]), let version = int(o["base_version"]), let base = object(o["base"]),
                let changes = object(o["changes"])
            else { return nil }
            self = .updateGoal(goalID: id, baseVersion: version, base: base, changes: changes)
        case "cancel_goal":
            guard let id = string(o["goal_id"]), let version = int(o["base_version"]) else { return nil }
            self = .cancelGoal(goalID: id, baseVersion: version)
        default:
            return nil
        }
    }
}

/// Where an outbox entry stands.
public enum OutboxState: String, Sendable, Equatable, CaseIterable {
    /// Waiting to be pushed (or pushed, with the answer not yet recorded).
    case pending
    /// The server found both sides changed a field; waits for `goal resolve`.
    case conflict
    /// The server refused it, with a reason; waits for `outbox drop`.
    case rejected
}

/// One row of the outbox.
public struct OutboxEntry: Sendable, Equatable {
    /// The mutation id (a UUID) the server stores the result under.
    public var id: String
    public var position: Int
    public var type: String
    public var entityID: String
    /// The mutation; nil when the stored object cannot be read back.
    public var mutation: OutboxMutation?
    /// The stored mutation object, as sent.
    public var payload: String
    public var state: OutboxState
    public var createdAt: String
    /// How many pushes carried it.
    public var attempts: Int
    /// The last transport error, conflict or rejection reason.
    public var lastError: String?
    /// The server's answer for a conflict or a rejection.
    public var result: PushResult?

    public init(
        id: String, position: Int, type: String, entityID: String, mutation: OutboxMutation?, payload: String, state: OutboxState,
        createdAt: String, attempts: Int, lastError: String?, result: PushResult?
    ) {
        self.id = id
        self.position = position
        self.type = type
        self.entityID = entityID
        self.mutation = mutation
        self.payload = payload
        self.state = state
        self.createdAt = createdAt
        self.attempts = attempts
        self.lastError = lastError
        self.result = result
    }
}

/// What a push's results did to the outbox.
public struct PushSummary: Sendable, Equatable {
    public var applied = 0
    public var conflicts = 0
    public var rejected = 0

    public init() {}

    /// Mutations answered in all.
    public var total: Int { applied + conflicts + rejected }

    /// Adds another batch's counts.
    public mutating func add(_ other: PushSummary) {
        applied += other.applied
        conflicts += other.conflicts
        rejected += other.rejected
    }
}

/// How `goal resolve` settles a conflict.
public enum ConflictResolution: Sendable, Equatable {
    /// Send my edit again on top of the server's current goal.
    case mine
    /// Keep the server's goal; drop my edit.
    case theirs
    /// Send my edit with these fields replaced (the new value for a conflicting field).
    case set([String: JSONValue])
}
