import Foundation
import Logging
import ScorecardCore

/// Weekly scoring (seed 002's `compute_weekly_scores`): batch facts → engine → upsert.
///
/// Safe to re-run: a week scored twice with the same facts changes nothing. The backfill
/// checkpoint `last_scored_period` makes a run after missed weeks score each of them.
public struct ScoringJob: Sendable {
    /// What one week's run did.
    public struct Run: Sendable, Equatable, Codable {
        public var period: String
        public var people: Int
        public var saved: ScoreSaveResult
        /// SQL statements the batch read ran.
        public var statements: Int
    }

    /// The checkpoint key: the last week the backfill scored.
    public static let checkpointKey = "last_scored_period"
    /// The furthest back a first backfill reaches.
    public static let maxBackfillWeeks = 104

    public let store: any ServerStore
    public let logger: Logger

    public init(store: any ServerStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// The last week that has ended on `today` (UTC): the one before today's.
    public static func lastCompleteWeek(today: CivilDate) -> ISOWeek { ISOWeek(containing: today).previous }

    /// Scores one week. Throws when scoring is disabled.
    public func score(period: ISOWeek, now: Date = Date()) async throws -> Run {
        let settings = try await store.settings()
        guard settings.bool("scoring_enabled") else { throw StoreError(.invalid, "scoring is disabled (setting scoring_enabled is false)") }
        return try await score(period: period, settings: settings, now: now)
    }

    func score(period: ISOWeek, settings: Settings, now: Date) async throws -> Run {
        let facts = try await store.scoringFacts(period: period, channels: settings.channels)
        let results = ScoringEngine.score(facts, settings: settings)
        let saved = try await store.saveScores(period: period, results: results, now: Int(now.timeIntervalSince1970))
        logger.info("scored \(period): \(results.count) people, \(saved.inserted) new, \(saved.updated) changed, \(saved.unchanged) unchanged")
        return Run(period: period.description, people: results.count, saved: saved, statements: facts.statements)
    }

    /// Scores every complete week after the checkpoint (or from the earliest activity on a
    /// first run), moving the checkpoint after each week so an interrupted run resumes.
    public func backfill(today: CivilDate, now: Date = Date()) async throws -> [Run] {
        let settings = try await store.settings()
        guard settings.bool("scoring_enabled") else { throw StoreError(.invalid, "scoring is disabled (setting scoring_enabled is false)") }
        let last = ScoringJob.lastCompleteWeek(today: today)
        var week: ISOWeek
        if let checkpoint = try await store.jobState(ScoringJob.checkpointKey).flatMap(ISOWeek.init) {
            week = checkpoint.next
        } else if let earliest = try await store.earliestActivity(), let day = CivilDate(earliest.prefix(10)) {
            week = ISOWeek(containing: day)
        } else {
            return []
        }
        let floor = ISOWeek(containing: last.monday.adding(days: -7 * (ScoringJob.maxBackfillWeeks - 1)))
        if week < floor { week = floor }
        var runs: [Run] = []
        while week <= last {
            runs.append(try await score(period: week, settings: settings, now: now))
            try await store.setJobState(ScoringJob.checkpointKey, week.description)
            week = week.next
        }
        return runs
    }
}
