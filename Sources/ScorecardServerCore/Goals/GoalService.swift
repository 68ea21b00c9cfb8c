import ScorecardCore

/// Goal reads and edits on behalf of a caller, shared by the goals API and the goal forms of the
/// pages (the sync push has its own entry through the store, with the same ``GoalRules``).
public struct GoalService: Sendable {
    public let store: any ServerStore

    public init(store: any ServerStore) { self.store = store }

    /// The goal, when the caller may see its person; `notFound` otherwise (never a hint that it exists).
    public func visibleGoal(id: String, scope: AccessScope) async throws -> Goal {
        guard let goal = try await store.goal(id: id), scope.contains(goal.personID) else {
            throw StoreError(.notFound, "No goal with id '\(id)' that you may see.")
        }
        return goal
    }

    /// Creates a goal for `draft.personID` (default: the caller), who must be in scope and active.
    public func create(_ draft: GoalRules.Draft, scope: AccessScope, today: CivilDate = DateRange.today(), now: String = Timestamp.now()) async throws -> Goal {
        let personID = try scope.effectivePerson(draft.personID)
        guard try await store.person(id: personID)?.active == true else {
            throw StoreError(.notFound, "No active person '\(personID)' to set a goal for.")
        }
        let goal = try GoalRules.create(draft, personID: personID, createdBy: scope.caller.id, today: today, now: now)
        try await store.createGoal(goal)
        return goal
    }

    /// Applies `fields` to the goal at `expectedVersion`; throws `VersionMismatch<Goal>` with the
    /// goal as it is now when it moved on, `invalid` for a bad value, `notFound` out of scope.
    public func update(id: String, expectedVersion: Int, fields: [String: JSONValue], scope: AccessScope) async throws -> Goal {
        _ = try await visibleGoal(id: id, scope: scope)
        return try await store.updateGoal(id: id, expectedVersion: expectedVersion) { current in
            var goal = current
            try GoalRules.apply(fields, to: &goal)
            return goal
        }
    }
}
