import Foundation
import ScorecardCore
import ScorecardServer
import ScorecardTesting
import Testing

/// The weekly scoring job: idempotent upserts (a re-run adds no rows, bumps no versions and
/// writes no feed entries) and the `last_scored_period` backfill checkpoint.
@Suite("Scoring job")
struct ScoringJobTests {
    let w = Weeks.w40

    @Test(arguments: TestBackend.all) func rerunAddsNoRowsNoVersionsNoFeedEntries(backend: TestBackend) async throws {
        try await withStore(backend: backend) { store, temp in
            try await store.addTeam("R", type: .support)
            try await store.addPerson("r1", team: "R")
            try await store.addPerson("r2", team: "R")
            try await store.ingest(ScoringWeightsTests.mixedWeek("r1", w))  // support, operations, data_quality
            try await store.ingest([Activity.ticket("r2-t", "r2", resolved: w.at(2), sla: true, csat: 4)])  // support only

            let first = try await store.score(w)
            #expect(first.people == 2)
            #expect(first.saved.inserted == 2)
            let snapshotRows = "SELECT COUNT(*) FROM snapshots"
            let domainRows = "SELECT COUNT(*) FROM domain_scores"
            #expect(try await temp.count(snapshotRows) == 2)
            #expect(try await temp.count(domainRows) == 4)  // 3 for r1, 1 for r2
            let feed1 = try await store.feed("r1")
            let feed2 = try await store.feed("r2")
            #expect(feed1.map(\.id) == ["r1:2026-W40"])
            #expect(feed1.map(\.stream) == [.snapshots])
            let before = try #require(try await store.snapshot(personID: "r1", period: w.description))
            #expect(before.version == 1)

            // The same facts again: nothing is written.
            let second = try await store.score(w)
            #expect(second.saved.inserted == 0)
            #expect(second.saved.updated == 0)
            #expect(second.saved.unchanged == 2)
            #expect(try await temp.count(snapshotRows) == 2)
            #expect(try await temp.count(domainRows) == 4)
            #expect(try await store.feed("r1") == feed1)
            #expect(try await store.feed("r2") == feed2)
            #expect(try await store.snapshot(personID: "r1", period: w.description) == before)

            // A changed fact rewrites that one snapshot: new version, one feed entry, no new rows.
            let changed = try await Ingest.activities(
                try Ingest.parseActivities(try activitiesBody([Activity.ticket("r2-t", "r2", resolved: w.at(2), sla: true, csat: 2)])),
                store: store)
            #expect(changed.updated == 1)
            let third = try await store.score(w)
            #expect(third.saved.updated == 1)
            #expect(third.saved.unchanged == 1)
            #expect(try await temp.count(snapshotRows) == 2)
            #expect(try await temp.count(domainRows) == 4)
            let r2 = try #require(try await store.snapshot(personID: "r2", period: w.description))
            #expect(r2.version == 2)
            #expect(r2.compositeScore == 64)  // 40 + 0 + 20 + 2×2
            let newFeed = try await store.feed("r2")
            #expect(newFeed.count == 1, "the change log keeps one row per entity")
            #expect(newFeed.first?.seq == (feed2.first?.seq ?? 0) + 1)
            #expect(try await store.feed("r1") == feed1)
        }
    }

    /// A person whose only activity moved to another week has no activity in this one any more:
    /// re-scoring the week must not keep serving the old snapshot (docs/scoring.md: "a person
    /// with no activity in a week gets no snapshot").
    @Test(arguments: TestBackend.all) func rescoringDropsASnapshotWhoseActivityLeftTheWeek(backend: TestBackend) async throws {
        try await withStore(backend: backend) { store, temp in
            try await store.addPerson("mover")
            try await store.addPerson("stayer")
            try await store.ingest([
                Activity.ticket("t-move", "mover", resolved: w.at(2), sla: true),
                Activity.ticket("t-stay", "stayer", resolved: w.at(2), sla: true),
            ])
            try await store.score(w)
            #expect(try await store.snapshot(personID: "mover", period: w.description) != nil)

            // The ticket was really resolved the next week: the source system corrects it.
            try await store.ingest([Activity.ticket("t-move", "mover", resolved: Weeks.w41.at(2), sla: true)])
            let run = try await store.score(w)
            #expect(run.people == 1)
            #expect(
                try await store.snapshot(personID: "mover", period: w.description) == nil, "stale snapshot kept for a week without activity"
            )
            #expect(
                try await temp.count("SELECT COUNT(*) FROM domain_scores WHERE person_id = 'mover' AND period = '2026-W40'") == 0)
            #expect(try await store.snapshot(personID: "stayer", period: w.description) != nil)
        }
    }

    @Test(arguments: TestBackend.all) func backfillAfterASkippedWeek(backend: TestBackend) async throws {
        try await withStore(backend: backend) { store, _ in
            try await store.addPerson("b1")
            try await store.addPerson("b2")
            let job = ScoringJob(store: store, logger: quietLogger)
            try await store.ingest([Activity.ticket("b1-w40", "b1", resolved: w.at(1), sla: true)])

            // Wednesday of W41: the last complete week is W40; the first run starts at the earliest activity.
            let first = try await job.backfill(today: Weeks.w41.monday.adding(days: 2))
            #expect(first.map(\.period) == ["2026-W40"])
            #expect(try await store.jobState(ScoringJob.checkpointKey) == "2026-W40")
            // Again the same day: nothing to do.
            #expect(try await job.backfill(today: Weeks.w41.monday.adding(days: 2)).isEmpty)

            // No run happens during W42 (W41 is skipped); activity arrives for W41 and W42.
            try await store.ingest([
                Activity.ticket("b1-w41", "b1", resolved: Weeks.w41.at(3), sla: true),
                Activity.ticket("b2-w42", "b2", resolved: Weeks.w42.at(4), sla: false),
            ])
            // Tuesday of W43: W41 and W42 are scored, in order, and the checkpoint moves to W42.
            let second = try await job.backfill(today: Weeks.w43.monday.adding(days: 1))
            #expect(second.map(\.period) == ["2026-W41", "2026-W42"])
            #expect(second.map(\.people) == [1, 1])
            #expect(try await store.jobState(ScoringJob.checkpointKey) == "2026-W42")
            #expect(try await store.snapshot(personID: "b1", period: "2026-W41")?.compositeScore == 60)  // 40 + 0 + 20 + 0
            #expect(try await store.snapshot(personID: "b2", period: "2026-W42")?.compositeScore == 20)  // 0 + 0 + 20 + 0
            #expect(try await store.snapshot(personID: "b1", period: "2026-W42") == nil)
            // W40 was not scored again.
            #expect(try await store.snapshot(personID: "b1", period: "2026-W40")?.version == 1)
            // The current week (W43) is never scored before it ends.
            #expect(try await job.backfill(today: Weeks.w43.monday.adding(days: 6)).isEmpty)
        }
    }

    @Test(arguments: TestBackend.all) func firstBackfillStartsAtTheEarliestActivity(backend: TestBackend) async throws {
        try await withStore(backend: backend) { store, _ in
            try await store.addPerson("e1")
            try await store.ingest([
                Activity.task("k-early", "e1", assigned: Weeks.w38.at(3)),
                Activity.lead("d-late", "e1", created: w.at(1), status: "won", closed: w.at(2)),
            ])
            let runs = try await ScoringJob(store: store, logger: quietLogger).backfill(today: Weeks.w41.monday)
            #expect(runs.map(\.period) == ["2026-W38", "2026-W39", "2026-W40"])
            #expect(runs.map(\.people) == [1, 0, 1])
            #expect(try await store.jobState(ScoringJob.checkpointKey) == "2026-W40")
        }
    }

    /// ISO weeks cross the calendar year: 2026 has 53 weeks, and 2027-01-02 (a Saturday) is in 2026-W53.
    @Test(arguments: TestBackend.all) func backfillAcrossTheISOYearBoundary(backend: TestBackend) async throws {
        try await withStore(backend: backend) { store, _ in
            try await store.addPerson("y1")
            try await store.ingest([
                Activity.ticket("y-1", "y1", resolved: "2026-12-31T12:00:00Z", sla: true),
                Activity.ticket("y-2", "y1", resolved: "2027-01-02T12:00:00Z", sla: false),
                Activity.ticket("y-3", "y1", resolved: "2027-01-04T00:00:00Z", sla: true),
            ])
            let runs = try await ScoringJob(store: store, logger: quietLogger).backfill(today: CivilDate("2027-01-12")!)
            #expect(runs.map(\.period) == ["2026-W53", "2027-W01"])
            #expect(try await store.jobState(ScoringJob.checkpointKey) == "2027-W01")
            let w53 = try #require(try await store.snapshot(personID: "y1", period: "2026-W53"))
            #expect(w53.periodStart == "2026-12-28")
            #expect(w53.periodEnd == "2027-01-03")
            #expect(w53.metrics(.support)["sla_compliance_rate"] == 50)  // y-1 met, y-2 missed
            #expect(try await store.snapshot(personID: "y1", period: "2027-W01")?.metrics(.support)["sla_compliance_rate"] == 100)
            // The latest week is 2027-W01, not 2026-W53 (ordering is by week, not by text accident).
            #expect(try await store.snapshot(personID: "y1", period: nil)?.period == "2027-W01")
        }
    }

    @Test(arguments: TestBackend.all) func nothingToBackfillWithoutActivity(backend: TestBackend) async throws {
        try await withStore(backend: backend) { store, _ in
            try await store.addPerson("quiet")
            #expect(try await ScoringJob(store: store, logger: quietLogger).backfill(today: Weeks.w41.monday).isEmpty)
            #expect(try await store.jobState(ScoringJob.checkpointKey) == nil)
        }
    }

    @Test(arguments: TestBackend.all) func scoringDisabledWritesNothing(backend: TestBackend) async throws {
        try await withStore(backend: backend) { store, temp in
            try await store.addPerson("d1")
            try await store.ingest([Activity.ticket("t", "d1", resolved: w.at(1), sla: true)])
            try await store.set("scoring_enabled", .bool(false))
            let job = ScoringJob(store: store, logger: quietLogger)
            await #expect(throws: StoreError.self) { try await job.score(period: w) }
            await #expect(throws: StoreError.self) { try await job.backfill(today: Weeks.w41.monday) }
            #expect(try await store.jobState(ScoringJob.checkpointKey) == nil)
            #expect(try await temp.count("SELECT COUNT(*) FROM snapshots") == 0)
        }
    }
}
