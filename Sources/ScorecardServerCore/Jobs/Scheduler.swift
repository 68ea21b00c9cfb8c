import Foundation
import Logging
import ScorecardCore
import ServiceLifecycle

/// `serve --scheduler`: runs the jobs on seed 002's cadence inside the server process.
///
/// Every `interval` it checks: when a week has ended since the scoring checkpoint (Monday,
/// UTC), it scores the missed weeks and chains the flagged reviews; once per UTC day it
/// refreshes goal progress and gives flagged people left over by `max_reviews_per_run` their
/// reviews. Each job is idempotent, so a tick that runs twice changes nothing.
public struct Scheduler: Service {
    public let store: any ServerStore
    public let reviews: ReviewService
    public let interval: Duration
    public let logger: Logger

    /// The job state key of the last UTC day the daily jobs ran.
    static let dailyKey = "daily_jobs_ran_on"

    public init(store: any ServerStore, reviews: ReviewService, interval: Duration = .seconds(600), logger: Logger) {
        self.store = store
        self.reviews = reviews
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await tick(today: DateRange.today())
            try? await Task.sleep(for: interval)
        }
    }

    /// The job lease the scheduler holds while it runs: with several processes running
    /// `serve --scheduler` on one database, each tick's jobs run in one of them.
    public static let leaseName = "scheduler"

    /// One check, unless another process is running the jobs right now; failures are logged and
    /// retried at the next tick.
    public func tick(today: CivilDate) async {
        do {
            let ran: Void? = try await store.withJobLease(Scheduler.leaseName) { await self.runJobs(today: today) }
            if ran == nil { logger.debug("another process is running the scheduled jobs") }
        } catch {
            logger.error("the scheduler's lease could not be taken: \(error)")
        }
    }

    func runJobs(today: CivilDate) async {
        var reviewed = false
        do {
            let runs = try await ScoringJob(store: store, logger: logger).backfill(today: today)
            if !runs.isEmpty {
                reviewed = true
                let flagged = try await reviews.runFlagged()
                logger.info("flagged reviews: \(flagged.generated) written, \(flagged.failed) failed, \(flagged.remaining) left for the next run")
            }
        } catch {
            logger.error("weekly scoring failed: \(error)")
        }
        do {
            guard try await store.jobState(Scheduler.dailyKey) != today.description else { return }
            _ = try await GoalsJob(store: store, logger: logger).refresh(today: today)
            if !reviewed {  // one flagged run per tick: leftovers wait for the next run
                let flagged = try await reviews.runFlagged()
                if flagged.generated + flagged.failed > 0 {
                    logger.info("flagged reviews: \(flagged.generated) written, \(flagged.failed) failed, \(flagged.remaining) left")
                }
            }
            try await store.setJobState(Scheduler.dailyKey, today.description)
        } catch {
            logger.error("daily jobs failed: \(error)")
        }
    }
}
