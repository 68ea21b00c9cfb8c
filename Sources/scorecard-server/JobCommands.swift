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
            let job = ScoringJob(store: try db.open(), logger: stderrLogger("score", level: .warning))
            let runs: [ScoringJob.Run]
            if backfill {
                runs = try await job.backfill(today: DateRange.today())
            } else {
                runs = [try await job.score(period: period.flatMap(ISOWeek.init) ?? ScoringJob.lastCompleteWeek(today: DateRange.today()))]
            }
            if runs.isEmpty { print("nothing to score") }
            for run in runs {
                print("\(run.period): \(run.people) people scored; snapshots \(run.saved.inserted) new, \(run.saved.updated) changed, \(run.saved.unchanged) unchanged")
            }
        }
    }
}
