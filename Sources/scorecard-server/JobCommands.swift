import ArgumentParser
import Foundation
import ScorecardCore
import ScorecardServer

struct ScoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Compute weekly scores (seed 002's six domains) and upsert snapshots.",
        discussion: """
            With no option, scores the last complete ISO week. --backfill scores every complete week after the
            checkpoint (or from the earliest activity), then moves the checkpoint. Re-running changes nothing.
            """)

    @OptionGroup var db: DatabaseOptions
    @Option(help: "An ISO week, YYYY-Www.") var period: String?
    @Flag(help: "Score every complete week since the last backfill.") var backfill = false

    func validate() throws {
        if period != nil && backfill { throw ValidationError("use --period or --backfill, not both") }
        if let period, ISOWeek(period) == nil { throw ValidationError("--period must be an ISO week like 2026-W46") }
    }

    func run() async throws {
        try await reporting {
            let runs = try await db.withStore { store in
                let job = ScoringJob(store: store, logger: stderrLogger("score", level: .warning))
                if backfill { return try await job.backfill(today: DateRange.today()) }
                return [try await job.score(period: period.flatMap(ISOWeek.init) ?? ScoringJob.lastCompleteWeek(today: DateRange.today()))]
            }
            if runs.isEmpty { print("nothing to score") }
            for run in runs {
                print("\(run.period): \(run.people) people scored; snapshots \(run.saved.inserted) new, \(run.saved.updated) changed, \(run.saved.unchanged) unchanged")
            }
        }
    }
}

struct ReviewsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reviews",
        abstract: "Write coaching reviews for flagged people (composite below flagged_threshold) who have none yet.",
        discussion: "Needs review_generation_enabled. At most max_reviews_per_run per run; the rest wait for the next run.")

    @OptionGroup var db: DatabaseOptions
    @Flag(help: "Review the flagged people of the latest scored weeks.") var flagged = false

    func validate() throws {
        guard flagged else { throw ValidationError("pass --flagged (on-demand reviews go through the API)") }
    }

    func run() async throws {
        try await reporting {
            let run = try await db.withStore { store in
                try await ReviewService(store: store, logger: stderrLogger("reviews", level: .warning)).runFlagged()
            }
            if let skipped = run.skipped { throw CLIFailure(skipped) }
            print("\(run.generated) reviews written, \(run.failed) failed, \(run.remaining) left for the next run")
            if run.failed > 0 { throw ExitCode.failure }
        }
    }
}

struct GoalsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "goals", abstract: "Goal jobs.", subcommands: [Refresh.self])

    struct Refresh: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set each active goal's current value from the latest scores; mark achieved or missed.")
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await reporting {
                let run = try await db.withStore { store in
                    try await GoalsJob(store: store, logger: stderrLogger("goals", level: .warning)).refresh(today: DateRange.today())
                }
                print("\(run.checked) active goals checked, \(run.changed) changed")
            }
        }
    }
}
