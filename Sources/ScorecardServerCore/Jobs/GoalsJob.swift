import Foundation
import Logging
import ScorecardCore

/// Daily goal progress (seed 002's `update_goal_progress`): current values from each person's
/// latest snapshot; achieved once met, missed once the deadline has passed unmet.
public struct GoalsJob: Sendable {
    /// What a refresh did.
    public struct Run: Sendable, Equatable, Codable {
        public var checked = 0
        public var changed = 0
    }

    public let store: any ServerStore
    public let logger: Logger

    public init(store: any ServerStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// Checks every active goal on `today` (UTC). Safe to re-run: unchanged goals are not written.
    public func refresh(today: CivilDate) async throws -> Run {
        let latest = try await store.latestSnapshots()
        var run = Run()
        for goal in try await store.activeGoals() {
            run.checked += 1
            let snapshot = latest[goal.personID]
            guard GoalRules.progressed(goal, latest: snapshot, today: today) != goal else { continue }
            do {
                // Re-derived from the goal as it is inside the write, so a concurrent edit is never undone.
                let updated = try await store.updateGoal(id: goal.id, expectedVersion: nil) { GoalRules.progressed($0, latest: snapshot, today: today) }
                if updated.version != goal.version { run.changed += 1 }
            } catch let error as StoreError where error.code == .notFound {
                continue
            }
        }
        logger.info("goal progress: \(run.checked) active goals checked, \(run.changed) changed")
        return run
    }
}
