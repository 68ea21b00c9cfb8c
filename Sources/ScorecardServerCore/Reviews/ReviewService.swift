import Foundation
import Logging
import ScorecardCore

/// Writes coaching reviews: flagged ones after scoring, on-demand ones for managers and admins,
/// with seed 002's caps (per run, per manager per day, cooldown, one per person and period).
public struct ReviewService: Sendable {
    /// Makes the coach the settings ask for.
    public typealias CoachFactory = @Sendable (Settings) throws -> any Coach

    public let store: any ServerStore
    public let logger: Logger
    public let makeCoach: CoachFactory

    /// How many scored weeks back a flagged run looks for people still without a review.
    public static let flaggedLookbackWeeks = 4

    public init(store: any ServerStore, logger: Logger, makeCoach: @escaping CoachFactory = ReviewService.defaultCoach) {
        self.store = store
        self.logger = logger
        self.makeCoach = makeCoach
    }

    /// What a flagged run did.
    public struct FlaggedRun: Sendable, Equatable, Codable {
        public var generated = 0
        public var failed = 0
        /// Flagged people left for the next run by `max_reviews_per_run`.
        public var remaining = 0
        /// Why nothing ran, when nothing did.
        public var skipped: String?
    }

    /// Reviews for flagged people (composite below `flagged_threshold`) of the latest scored
    /// weeks who have none yet, lowest scores first, at most `max_reviews_per_run`. A failure is
    /// recorded and the batch goes on.
    public func runFlagged() async throws -> FlaggedRun {
        let settings = try await store.settings()
        var run = FlaggedRun()
        guard settings.bool("review_generation_enabled") else {
            run.skipped = "review generation is disabled (setting review_generation_enabled is false)"
            return run
        }
        if settings.wantsLLM && settings.llm == nil {
            run.skipped = "llm_provider asks for an LLM but vllm_base_url or vllm_model is not set"
            return run
        }
        guard let latest = try await store.latestScoredPeriod().flatMap(ISOWeek.init) else { return run }
        var periods: [String] = []
        var week = latest
        for _ in 0..<ReviewService.flaggedLookbackWeeks {
            periods.append(week.description)
            week = week.previous
        }
        let candidates = try await store.flaggedWithoutReview(periods: periods, threshold: settings.double("flagged_threshold"))
        let cap = settings.int("max_reviews_per_run")
        for snapshot in candidates.prefix(cap) {
            do {
                // A manager may be asking for this person's review right now, in this or another process.
                let written = try await store.withJobLease(ReviewService.personLease(snapshot.personID)) {
                    try await self.write(snapshot: snapshot, trigger: "flagged", actor: nil, settings: settings)
                }
                if written == nil {
                    run.remaining += 1
                    continue
                }
                run.generated += 1
            } catch let error as ReviewRefusal {
                run.failed += 1
                logger.warning("review for \(snapshot.personID) \(snapshot.period) failed: \(error.message)")
            }
        }
        run.remaining += max(0, candidates.count - cap)
        return run
    }

    /// The lease held while a review of `personID` is checked and written, so that the cooldown
    /// holds across concurrent requests and server processes.
    static func personLease(_ personID: String) -> String { "review-of:" + personID }
    /// The lease held while `actorID`'s manual review is counted and written (the daily cap).
    static func actorLease(_ actorID: String) -> String { "review-by:" + actorID }

    /// An on-demand review of `personID` for `period` (default: their latest scored week), asked
    /// for by `actor`, who must be allowed to manage that person (the route checks scope).
    ///
    /// The cooldown and the daily cap are counted from the database under leases (the reviewed
    /// person's, then the actor's), so they hold however many requests and server processes race;
    /// a request that finds a lease taken answers `review_in_progress`.
    public func generate(personID: String, period: String?, actor: Person, force: Bool, now: Date = Date()) async throws -> Review {
        let busy = ReviewRefusal(.inProgress, "a review of \(personID) is being written right now; try again in a moment", retryAfter: 5)
        let review = try await store.withJobLease(ReviewService.personLease(personID)) { () async throws -> Review in
            if actor.role == .admin { return try await self.generateLeased(personID: personID, period: period, actor: actor, force: force, now: now) }
            let review = try await self.store.withJobLease(ReviewService.actorLease(actor.id)) {
                try await self.generateLeased(personID: personID, period: period, actor: actor, force: force, now: now)
            }
            guard let review else { throw ReviewRefusal(.inProgress, "another review you asked for is being written right now; try again in a moment", retryAfter: 5) }
            return review
        }
        guard let review else { throw busy }
        return review
    }

    func generateLeased(personID: String, period: String?, actor: Person, force: Bool, now: Date) async throws -> Review {
        let settings = try await store.settings()
        guard let snapshot = try await store.snapshot(personID: personID, period: period) else {
            throw StoreError(.notFound, "\(personID) has no scores\(period.map { " for \($0)" } ?? ""); run scoring first")
        }
        let nowSeconds = Int(now.timeIntervalSince1970)
        if let existing = try await store.review(personID: personID, period: snapshot.period),
            let created = Timestamp.epochSeconds(existing.createdAt)
        {
            let until = created + settings.int("review_cooldown_hours") * 3600
            if nowSeconds < until && !(force && actor.role == .admin) {
                throw ReviewRefusal(
                    .cooldown, "\(personID) already has a review for \(snapshot.period) from \(existing.createdAt); try again after the cooldown"
                        + (actor.role == .admin ? " or pass force" : ""), retryAfter: until - nowSeconds)
            }
        }
        if actor.role != .admin {
            let midnight = nowSeconds - nowSeconds % 86_400
            let used = try await store.manualReviewCount(actorPersonID: actor.id, since: midnight)
            if used >= settings.int("review_manual_daily_limit_per_manager") {
                throw ReviewRefusal(.dailyLimit, "you have asked for \(used) reviews today, the daily limit; try again tomorrow (UTC)", retryAfter: midnight + 86_400 - nowSeconds)
            }
        }
        if settings.wantsLLM && settings.llm == nil {
            let reason = "llm_provider asks for an LLM but vllm_base_url or vllm_model is not set"
            try await store.recordReviewRun(
                ReviewRun(trigger: "manual", actorPersonID: actor.id, personID: personID, period: snapshot.period, status: "failed", reason: reason, model: nil))
            throw ReviewRefusal(.coachFailed, reason)
        }
        return try await write(snapshot: snapshot, trigger: "manual", actor: actor.id, settings: settings)
    }

    /// Gathers the evidence, asks the coach, and stores the review with its run and audit entry.
    func write(snapshot: Snapshot, trigger: String, actor: String?, settings: Settings) async throws -> Review {
        let period = ISOWeek(snapshot.period)!
        let person = try await store.person(id: snapshot.personID)
        let samples = try await store.reviewSamples(
            personID: snapshot.personID, period: period, tickets: settings.int("review_sample_tickets"),
            conversations: settings.int("review_sample_conversations"), workOrders: settings.int("review_sample_work_orders"))
        let teamAverages = try await teamAverages(of: snapshot)
        let input = ReviewInput(
            personID: snapshot.personID, personName: person?.name ?? snapshot.personID, snapshot: snapshot, teamAverages: teamAverages,
            samples: samples, sampleMaxChars: settings.int("review_sample_max_chars"))
        let output: CoachOutput
        do {
            output = try await makeCoach(settings).review(input)
        } catch {
            let reason = (error as? CoachError)?.reason ?? "the coach failed: \(error)"
            try await store.recordReviewRun(
                ReviewRun(
                    trigger: trigger, actorPersonID: actor, personID: snapshot.personID, period: snapshot.period, status: "failed",
                    reason: reason, model: settings.llm?.model ?? "rule-based"))
            throw ReviewRefusal(.coachFailed, reason)
        }
        let review = Review(
            id: UUID().uuidString.lowercased(), personID: snapshot.personID, periodStart: snapshot.periodStart, periodEnd: snapshot.periodEnd,
            compositeScore: snapshot.compositeScore, domainScores: snapshot.domainScores, content: output.content, model: output.model,
            tokensIn: output.tokensIn, tokensOut: output.tokensOut, createdAt: Timestamp.now())
        return try await store.saveReview(
            review, period: snapshot.period,
            run: ReviewRun(
                trigger: trigger, actorPersonID: actor, personID: snapshot.personID, period: snapshot.period, status: "succeeded", reason: nil,
                model: output.model))
    }

    /// The mean of each metric over the snapshots of the person's team in the same week.
    func teamAverages(of snapshot: Snapshot) async throws -> [String: Double] {
        guard let team = snapshot.teamID else { return [:] }
        var sums: [String: (Double, Int)] = [:]
        for other in try await store.snapshots(period: snapshot.period) where other.teamID == team {
            for domain in other.domains {
                for (key, value) in domain.metrics where !key.hasSuffix("_points") {
                    sums[key, default: (0, 0)].0 += value
                    sums[key, default: (0, 0)].1 += 1
                }
            }
        }
        return sums.mapValues { ScoringEngine.round($0.0 / Double($0.1)) }
    }
}

/// Why a review was not written: cooldown, daily limit, one already being written, or a coach failure.
public struct ReviewRefusal: Error, Sendable {
    public enum Code: String, Sendable {
        case cooldown = "review_cooldown"
        case dailyLimit = "review_daily_limit"
        /// Another request is writing a review of the same person (or by the same manager) now.
        case inProgress = "review_in_progress"
        case coachFailed = "review_failed"
    }

    public var code: Code
    public var message: String
    /// Seconds until asking again can succeed.
    public var retryAfter: Int?

    public init(_ code: Code, _ message: String, retryAfter: Int? = nil) {
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }
}
