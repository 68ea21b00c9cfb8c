import Foundation
import ScorecardCore
import ScorecardServer
import ScorecardTesting
import Testing

/// Flagged reviews on a store, with the LLM replaced by ``TestCoach``: selection (below the
/// threshold, no review yet, active people, lowest first), the per-run cap, the master toggle,
/// failures recorded while the batch goes on, and the audit trail.
@Suite("Review service")
struct ReviewServiceTests {
    let w = Weeks.w40

    /// Support-only weeks without a team, so each composite is the support score:
    /// SLA met 40, resolution minutes (no team) 15 else 0, not escalated 20, CSAT 2 per star.
    static let people: [(id: String, composite: Double, ticket: (sla: Bool, minutes: Double?, escalated: Bool, csat: Int?))] = [
        ("pA", 0, (false, nil, true, nil)),  // 0 + 0 + 0 + 0
        ("pB", 20, (false, nil, false, nil)),  // 0 + 0 + 20 + 0
        ("pC", 40, (true, nil, true, nil)),  // 40 + 0 + 0 + 0
        ("pD", 85, (true, 10, false, 5)),  // 40 + 15 + 20 + 10
        ("pE", 41, (false, 10, false, 3)),  // 0 + 15 + 20 + 6
        ("pF", 70, (true, nil, false, 5)),  // 40 + 0 + 20 + 10: at the threshold, not below it
        ("pG", 10, (false, nil, true, 5)),  // 0 + 0 + 0 + 10
        ("pH", 2, (false, nil, true, 1)),  // 0 + 0 + 0 + 2
    ]

    func seed(_ store: any ServerStore, only: Set<String>? = nil) async throws {
        try await seedUnscored(store, only: only)
        try await store.score(w)
        for p in Self.people where only?.contains(p.id) ?? true {
            #expect(try await store.snapshot(personID: p.id, period: w.description)?.compositeScore == p.composite, "\(p.id)")
        }
    }

    /// The people and their tickets, not scored yet.
    func seedUnscored(_ store: any ServerStore, only: Set<String>? = nil) async throws {
        try await store.addPerson("root", role: .admin)
        try await store.addPerson("mgr", role: .manager)
        for p in Self.people where only?.contains(p.id) ?? true {
            try await store.addPerson(p.id)
            try await store.ingest([
                Activity.ticket(
                    "\(p.id)-t", p.id, resolved: w.at(1), sla: p.ticket.sla, minutes: p.ticket.minutes, escalated: p.ticket.escalated,
                    csat: p.ticket.csat)
            ])
        }
    }

    func service(_ store: any ServerStore, failFor: Set<String> = [], log: CoachLog? = nil) -> ReviewService {
        ReviewService(store: store, logger: quietLogger, makeCoach: TestCoach.factory(failFor: failFor, log: log))
    }

    func admin(_ store: any ServerStore) async throws -> Person { try #require(try await store.person(id: "root")) }

    @Test(arguments: TestBackend.all) func flaggedSelectionLowestFirstWithTheCap(backend: TestBackend) async throws {
        try await withStore(backend: backend) { store, _ in
            try await seed(store)
            let log = CoachLog()
            let reviews = service(store, log: log)
            try await store.set("review_generation_enabled", .bool(true))
            try await store.set("max_reviews_per_run", .number(2))
            // pG already has a review for the week; pH has left.
            _ = try await reviews.generate(personID: "pG", period: w.description, actor: try await admin(store), force: false)
            try await store.deactivatePerson(id: "pH")
            #expect(await log.people == ["pG"])

            // Below 70, without a review, active: pA 0, pB 20, pC 40, pE 41 — lowest first, two per run.
            let first = try await reviews.runFlagged()
            #expect(first.generated == 2)
            #expect(first.failed == 0)
            #expect(first.remaining == 2)
            #expect(first.skipped == nil)
            #expect(await log.people == ["pG", "pA", "pB"])

            let second = try await reviews.runFlagged()
            #expect(second.generated == 2)
            #expect(second.remaining == 0)
            #expect(await log.people == ["pG", "pA", "pB", "pC", "pE"])

            // Everyone flagged has a review now: one per person and week, nothing more to do.
            let third = try await reviews.runFlagged()
            #expect(third.generated == 0)
            #expect(third.remaining == 0)
            #expect(await log.people.count == 5)

            for id in ["pA", "pB", "pC", "pE", "pG"] {
                let review = try #require(try await store.review(personID: id, period: w.description), "\(id)")
                #expect(review.model == TestCoach.model)
                #expect(review.summary == "SUMMARY-MARKER for \(id)")
                #expect(review.periodStart == "2026-09-28")
                #expect(review.periodEnd == "2026-10-04")
                #expect(review.tokensIn == 321)
                #expect(review.tokensOut == 123)
                #expect(review.version == 1)
            }
            for id in ["pD", "pF", "pH"] {
                #expect(try await store.review(personID: id, period: w.description) == nil, "\(id) is not flagged")
            }
            let runs = try await store.reviewRuns(personID: nil)
            #expect(runs.filter { $0.trigger == "flagged" }.map(\.personID) == ["pA", "pB", "pC", "pE"])
            #expect(runs.allSatisfy { $0.status == "succeeded" })
        }
    }

    @Test(arguments: TestBackend.all) func thresholdSettingDecidesWhoIsFlagged(backend: TestBackend) async throws {
        try await withStore(backend: backend) { store, _ in
            try await seed(store, only: ["pB", "pC", "pE"])
            let log = CoachLog()
            try await store.set("review_generation_enabled", .bool(true))
            try await store.set("flagged_threshold", .number(40))
            // Strictly below 40: pB (20) only; pC is at 40.
            let run = try await service(store, log: log).runFlagged()
            #expect(run.generated == 1)
            #expect(await log.people == ["pB"])
        }
    }

    @Test(arguments: TestBackend.all) func disabledGenerationSkipsTheRun(backend: TestBackend) async throws {
        try await withStore(backend: backend) { store, _ in
            try await seed(store, only: ["pA", "pB"])
            let log = CoachLog()
            // review_generation_enabled defaults to false.
            let run = try await service(store, log: log).runFlagged()
            #expect(run.generated == 0)
            #expect(run.failed == 0)
            #expect(run.skipped?.contains("review_generation_enabled") == true)
            #expect(await log.people.isEmpty)
            #expect(try await store.review(personID: "pA", period: w.description) == nil)
            #expect(try await store.reviewRuns(personID: nil).isEmpty)
        }
    }

    @Test(arguments: TestBackend.all) func aFailedReviewIsRecordedAndTheBatchGoesOn(backend: TestBackend) async throws {
        try await withStore(backend: backend) { store, _ in
            try await seed(store, only: ["pA", "pB", "pC"])
            let log = CoachLog()
            try await store.set("review_generation_enabled", .bool(true))
            let reviews = service(store, failFor: ["pB"], log: log)

            let run = try await reviews.runFlagged()
            #expect(run.generated == 2)
            #expect(run.failed == 1)
            #expect(await log.people == ["pA", "pB", "pC"], "the failure in the middle does not stop the batch")
            #expect(try await store.review(personID: "pB", period: w.description) == nil)
            #expect(try await store.review(personID: "pC", period: w.description) != nil)

            let failed = try await store.reviewRuns(personID: "pB")
            #expect(failed.count == 1)
            let run0 = try #require(failed.first)
            #expect(run0.status == "failed")
            #expect(run0.trigger == "flagged")
            #expect(run0.actorPersonID == nil)
            #expect(run0.period == "2026-W40")
            #expect(run0.reason?.contains("test coach has no answer for pB") == true)
            #expect(try await store.feed("pB").filter { $0.stream == .reviews }.isEmpty)

            // The failed person is still flagged: the next run tries again (and records again).
            let again = try await reviews.runFlagged()
            #expect(again.generated == 0)
            #expect(again.failed == 1)
            #expect(try await store.reviewRuns(personID: "pB").count == 2)
        }
    }

    @Test(arguments: TestBackend.all) func auditNamesActorPersonAndModelButNeverTheText(backend: TestBackend) async throws {
        try await withStore(backend: backend) { store, _ in
            try await seed(store, only: ["pA", "pB", "pC"])
            try await store.set("review_generation_enabled", .bool(true))
            let reviews = service(store, failFor: ["pC"])
            let manager = try #require(try await store.person(id: "mgr"))
            _ = try await reviews.generate(personID: "pA", period: nil, actor: manager, force: false)
            _ = try await reviews.runFlagged()  // pB succeeds, pC fails

            let audit = try await store.auditLog()
            let manual = try #require(audit.first { $0.personID == "pA" })
            #expect(manual.action == "review.generated")
            #expect(manual.actorPersonID == "mgr")
            #expect(manual.model == TestCoach.model)
            let flagged = try #require(audit.first { $0.personID == "pB" })
            #expect(flagged.action == "review.generated")
            #expect(flagged.actorPersonID == nil)
            #expect(flagged.model == TestCoach.model)
            let failed = try #require(audit.first { $0.personID == "pC" })
            #expect(failed.action == "review.failed")
            for entry in audit {
                for marker in TestCoach.markers {
                    #expect(
                        !(entry.detail ?? "").contains(marker), "audit entry \(entry.action) for \(entry.personID ?? "-") holds review text"
                    )
                }
            }
            let runs = try await store.reviewRuns(personID: "pA")
            #expect(runs.map(\.trigger) == ["manual"])
            #expect(runs.first?.actorPersonID == "mgr")
            #expect(runs.first?.model == TestCoach.model)
        }
    }

    @Test(arguments: TestBackend.all) func onDemandReviewWithoutScoresIsNotFound(backend: TestBackend) async throws {
        try await withStore(backend: backend) { store, _ in
            try await seed(store, only: ["pA"])
            let reviews = service(store)
            let root = try await self.admin(store)
            await #expect(throws: StoreError.self) {
                _ = try await reviews.generate(personID: "pA", period: "2026-W39", actor: root, force: false)
            }
            await #expect(throws: StoreError.self) {
                _ = try await reviews.generate(personID: "root", period: nil, actor: root, force: false)
            }
        }
    }
}
