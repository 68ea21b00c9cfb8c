import Foundation
import ScorecardCore
import ScorecardServer
import ScorecardTesting
import Testing

/// `serve --scheduler`: one tick scores the weeks that ended since the checkpoint, chains the
/// flagged reviews, and once per UTC day refreshes goals and reviews the people left over.
@Suite("Scheduler")
struct SchedulerTests {
    let w = Weeks.w40

    /// Four flagged people (pA 0, pB 20, pC 40, pE 41) and pD at 85, all in 2026-W40, a goal for
    /// pD on the composite, automatic reviews on, at most two per run.
    func seed(_ store: any ServerStore) async throws -> Goal {
        try await ReviewServiceTests().seedUnscored(store, only: ["pA", "pB", "pC", "pD", "pE"])
        let now = Timestamp.now()
        let goal = Goal(
            id: "goal-pD", personID: "pD", domain: .support, metricKey: "composite_score", label: "Reach 90", targetValue: 90,
            comparison: .gte, deadline: "2099-12-31", createdByPersonID: "mgr", createdAt: now, updatedAt: now)
        try await store.createGoal(goal)
        try await store.set("review_generation_enabled", .bool(true))
        try await store.set("max_reviews_per_run", .number(2))
        return goal
    }

    @Test(arguments: TestBackend.all) func tickScoresChainsReviewsAndRefreshesGoalsOncePerDay(backend: TestBackend) async throws {
        try await withStore(backend: backend) { store, _ in
            let goal = try await seed(store)
            let log = CoachLog()
            let scheduler = Scheduler(
                store: store, reviews: ReviewService(store: store, logger: quietLogger, makeCoach: TestCoach.factory(log: log)),
                logger: quietLogger)
            let tuesday = Weeks.w41.monday.adding(days: 1)

            await scheduler.tick(today: tuesday)
            #expect(try await store.jobState(ScoringJob.checkpointKey) == "2026-W40")
            #expect(try await store.snapshots(period: w.description).count == 5)
            // Lowest first: pA and pB are reviewed in the first run.
            #expect(Array(await log.people.prefix(2)) == ["pA", "pB"])
            #expect(try await store.review(personID: "pA", period: w.description) != nil)
            #expect(try await store.review(personID: "pB", period: w.description) != nil)
            let refreshed = try #require(try await store.goal(id: goal.id))
            #expect(refreshed.currentValue == 85)
            #expect(refreshed.status == .active)

            // The same day again: nothing to score, the daily jobs have run.
            let calls = await log.people.count
            await scheduler.tick(today: tuesday)
            #expect(await log.people.count == calls)
            #expect(try await store.goal(id: goal.id)?.version == refreshed.version)

            // The next day: whoever was left gets a review; pD (85) never does.
            await scheduler.tick(today: tuesday.adding(days: 1))
            for id in ["pA", "pB", "pC", "pE"] {
                #expect(try await store.review(personID: id, period: w.description) != nil, "\(id)")
            }
            #expect(try await store.review(personID: "pD", period: w.description) == nil)
            #expect(await log.people.count == 4)
        }
    }

    /// Seed 002: "max `max_reviews_per_run` reviews per run, remainder queued for next run". The
    /// first tick after a week ends runs the chained flagged run and then the daily leftover pass
    /// back to back, so the leftovers are not queued: twice the cap is written at once.
    @Test(arguments: TestBackend.all) func oneTickWritesAtMostMaxReviewsPerRun(backend: TestBackend) async throws {
        try await withStore(backend: backend) { store, _ in
            _ = try await seed(store)
            let log = CoachLog()
            let scheduler = Scheduler(
                store: store, reviews: ReviewService(store: store, logger: quietLogger, makeCoach: TestCoach.factory(log: log)),
                logger: quietLogger)
            await scheduler.tick(today: Weeks.w41.monday.adding(days: 1))
            let written = await log.people.count
            #expect(written == 2, "one tick wrote \(written) reviews with max_reviews_per_run = 2")
        }
    }
}
