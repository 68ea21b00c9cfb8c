import Foundation
import ScorecardCore

/// Goal validation and edits, shared by the goals API and the sync push (one set of rules).
public enum GoalRules {
    /// A new goal as a client sends it (`POST /api/v1/performance/goals`, `create_goal`).
    public struct Draft: Codable, Sendable, Equatable {
        public var id: String?
        public var personID: String?
        public var domain: String
        public var metricKey: String
        public var label: String
        public var targetValue: Double
        public var comparison: String
        public var deadline: String

        public init(
            id: String? = nil, personID: String?, domain: String, metricKey: String, label: String, targetValue: Double, comparison: String,
            deadline: String
        ) {
            self.id = id
            self.personID = personID
            self.domain = domain
            self.metricKey = metricKey
            self.label = label
            self.targetValue = targetValue
            self.comparison = comparison
            self.deadline = deadline
        }

        enum CodingKeys: String, CodingKey {
            case id, domain, label, comparison, deadline
            case personID = "person_id"
            case metricKey = "metric_key"
            case targetValue = "target_value"
        }
    }

    /// Validates a draft into a goal owned by `personID`; throws 422-style `StoreError.invalid`.
    public static func create(_ draft: Draft, personID: String, createdBy: String, today: CivilDate, now: String) throws -> Goal {
        let id = draft.id ?? UUID().uuidString.lowercased()
        guard !id.isEmpty, id.count <= 100, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw StoreError(.invalid, "id: use 1 to 100 letters, digits, '-' or '_' (a UUID is best)")
        }
        var goal = Goal(
            id: id, personID: personID, domain: .support, metricKey: draft.metricKey, label: draft.label,
            targetValue: draft.targetValue, comparison: .gte, deadline: draft.deadline, createdByPersonID: createdBy,
            createdAt: now, updatedAt: now)
        let fields: [String: JSONValue] = [
            "domain": .string(draft.domain), "comparison": .string(draft.comparison), "metric_key": .string(draft.metricKey),
            "label": .string(draft.label), "target_value": .number(draft.targetValue), "deadline": .string(draft.deadline),
        ]
        try apply(fields, to: &goal)
        if let deadline = CivilDate(goal.deadline), deadline < today {
            throw StoreError(.invalid, "deadline: \(goal.deadline) is in the past; pick today or a later day")
        }
        return goal
    }

    /// Sets editable fields from JSON values, validating each and the goal as a whole.
    /// `status` may be set to `active` or `canceled` (achieved and missed belong to the progress job).
    public static func apply(_ fields: [String: JSONValue], to goal: inout Goal) throws {
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
            switch (key, value) {
            case ("label", .string(let s)):
                let label = s.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !label.isEmpty, label.count <= 200 else { throw StoreError(.invalid, "label: use 1 to 200 characters") }
                goal.label = label
            case ("target_value", .number(let n)):
                guard n.isFinite, abs(n) < 1e12 else { throw StoreError(.invalid, "target_value: must be a finite number") }
                goal.targetValue = n
            case ("comparison", .string(let s)):
                guard let c = GoalComparison(rawValue: s) else { throw StoreError(.invalid, "comparison: must be lte or gte") }
                goal.comparison = c
            case ("deadline", .string(let s)):
                guard let d = CivilDate(s) else { throw StoreError(.invalid, "deadline: '\(s)' is not a date like 2026-12-31") }
                goal.deadline = d.description
            case ("domain", .string(let s)):
                guard let d = Domain(rawValue: s) else {
                    throw StoreError(.invalid, "domain: '\(s)' is not one of \(Domain.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                goal.domain = d
            case ("metric_key", .string(let s)):
                goal.metricKey = s
            case ("status", .string(let s)):
                guard s == "active" || s == "canceled" else { throw StoreError(.invalid, "status: may be set to active or canceled only") }
                goal.status = GoalStatus(rawValue: s)!
            case ("label", _), ("target_value", _), ("comparison", _), ("deadline", _), ("domain", _), ("metric_key", _), ("status", _):
                throw StoreError(.invalid, "\(key): has the wrong type")
            default:
                throw StoreError(.invalid, "\(key): is not a field a goal edit may change (\((Goal.editableFields + ["status"]).joined(separator: ", ")))")
            }
        }
        if let problem = MetricCatalogue.goalProblem(metricKey: goal.metricKey, domain: goal.domain) {
            throw StoreError(.invalid, "metric_key: \(problem)")
        }
    }

    /// The value of a goal's metric in a snapshot, if the snapshot has it.
    public static func value(of goal: Goal, in snapshot: Snapshot) -> Double? {
        switch goal.metricKey {
        case "composite_score": return snapshot.compositeScore
        case "domain_score": return snapshot.domainScores[goal.domain.rawValue]
        default: return snapshot.domains.first { $0.domain == goal.domain }?.metrics[goal.metricKey]
        }
    }

    /// The goal after a progress check: current value from the latest snapshot; achieved once
    /// met; missed when the deadline has passed unmet. Canceled, achieved and missed goals stay.
    public static func progressed(_ goal: Goal, latest: Snapshot?, today: CivilDate) -> Goal {
        guard goal.status == .active else { return goal }
        var goal = goal
        if let latest, let value = value(of: goal, in: latest) { goal.currentValue = value }
        if let current = goal.currentValue, goal.comparison.isMet(current, target: goal.targetValue) {
            goal.status = .achieved
        } else if let deadline = CivilDate(goal.deadline), deadline < today {
            goal.status = .missed
        }
        return goal
    }
}

/// A write that named a version the entity no longer has.
public struct VersionMismatch<Entity: Sendable>: Error, Sendable {
    /// The entity as it is now.
    public var current: Entity

    public init(current: Entity) { self.current = current }
}
