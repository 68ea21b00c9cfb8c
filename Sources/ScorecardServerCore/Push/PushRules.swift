import Foundation
import ScorecardCore

/// What each mutation does to the current server state: pure, so the store applies it inside
/// the transaction that also stores the result.
public enum PushRules {
    /// The outcome of a mutation on an entity.
    public enum Outcome<Entity: Sendable>: Sendable {
        /// Write this entity (nil: nothing changes, e.g. a repeated ack), then answer applied.
        case apply(Entity?)
        /// Answer conflict with these fields; nothing is written.
        case conflict([String])
        case reject(String)
    }

    /// `ack_review`: the reviewed person only. The client's `acknowledged_at` is kept unless it
    /// is in the future or before the review was written; then the server's time is used.
    public static func ack(_ review: Review?, by personID: String, acknowledgedAt: String?, now: Int) -> Outcome<Review> {
        guard let review, review.personID == personID else { return .reject("no review with that id is yours to acknowledge") }
        guard !review.isAcknowledged else { return .apply(nil) }
        var at = Timestamp.format(epochSeconds: now)
        if let asked = acknowledgedAt {
            guard let seconds = Timestamp.epochSeconds(asked) else { return .reject("acknowledged_at '\(asked)' is not a timestamp like 2026-11-16T09:30:00Z") }
            let created = Timestamp.epochSeconds(review.createdAt) ?? 0
            if seconds <= now && seconds >= created { at = Timestamp.format(epochSeconds: seconds) }
        }
        var acked = review
        acked.isAcknowledged = true
        acked.acknowledgedAt = at
        return .apply(acked)
    }

    /// `update_goal`: a three-way merge of `changes` (made on `base`) into `current`.
    /// A field only the client changed takes the client's value; a field the server changed to a
    /// different value than the client's is a conflict; a field both changed alike is fine.
    public static func update(_ current: Goal?, by personID: String, baseVersion: Int?, base: [String: JSONValue], changes: [String: JSONValue]) -> Outcome<Goal> {
        guard let current, current.personID == personID else { return .reject("no goal with that id is yours to edit") }
        guard !changes.isEmpty else { return .reject("update_goal needs at least one field in changes") }
        for key in changes.keys where !Goal.editableFields.contains(key) {
            return .reject("\(key) is not a field a goal edit may change (\(Goal.editableFields.joined(separator: ", ")))")
        }
        guard current.status == .active else { return .reject("the goal is \(current.status.rawValue); only active goals can be edited") }
        let theirs = current.editableValues
        var conflicts: [String] = []
        var apply: [String: JSONValue] = [:]
        for (key, mine) in changes {
            let server = theirs[key] ?? .null
            if baseVersion == current.version || same(server, base[key] ?? .null) {
                apply[key] = mine  // the server did not change this field since the base
            } else if !same(server, mine) {
                conflicts.append(key)
            }
        }
        if !conflicts.isEmpty { return .conflict(conflicts.sorted()) }
        var goal = current
        do {
            try GoalRules.apply(apply, to: &goal)
        } catch let error as StoreError {
            return .reject(error.message)
        } catch {
            return .reject("\(error)")
        }
        return .apply(goal == current ? nil : goal)
    }

    /// `cancel_goal`: cancels an active goal; a canceled one stays canceled; one the server
    /// marked achieved or missed since is a conflict on `status`.
    public static func cancel(_ current: Goal?, by personID: String) -> Outcome<Goal> {
        guard let current, current.personID == personID else { return .reject("no goal with that id is yours to cancel") }
        switch current.status {
        case .canceled: return .apply(nil)
        case .achieved, .missed: return .conflict(["status"])
        case .active:
            var goal = current
            goal.status = .canceled
            return .apply(goal)
        }
    }

    static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
        if case .number(let x) = a, case .number(let y) = b { return x == y }
        return a == b
    }
}
