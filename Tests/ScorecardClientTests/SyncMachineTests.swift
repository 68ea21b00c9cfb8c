import Foundation
import ScorecardCore
import ScorecardSync
import Testing

/// The sync rules as a value: no sockets, no files, no clock.
@Suite struct SyncMachineTests {
    static func policy(maxAttempts: Int = 8, baseDelay: Double = 0.25, maxDelay: Double = 30, maxRetryAfter: Double = 60)
        -> SyncMachine.Policy
    {
        var policy = SyncMachine.Policy()
        policy.maxAttempts = maxAttempts
        policy.baseDelay = baseDelay
        policy.maxDelay = maxDelay
        policy.maxRetryAfter = maxRetryAfter
        return policy
    }

    static let reset = SyncMachine.Failure.transient("connection reset", retryAfter: nil)

    @Test func transientFailuresBackOffWithFullJitterUnderTheCapAndStopAfterMaxAttempts() {
        let policy = Self.policy(maxAttempts: 12, baseDelay: 0.5, maxDelay: 10)
        var samples: [Int: [Double]] = [:]  // attempt → waits over many seeds
        for seed in UInt64(0)..<300 {
            var machine = SyncMachine(cursor: 40, policy: policy, seed: seed)
            #expect(machine.start() == .fetch(since: 40))
            for attempt in 1..<policy.maxAttempts {
                guard case .wait(let seconds) = machine.failed(Self.reset) else {
                    Issue.record("seed \(seed) attempt \(attempt): expected a wait")
                    break
                }
                let cap = min(policy.maxDelay, policy.baseDelay * pow(2, Double(attempt)))
                #expect(seconds >= 0 && seconds <= cap, "seed \(seed) attempt \(attempt): \(seconds) outside 0...\(cap)")
                samples[attempt, default: []].append(seconds)
                #expect(machine.attempt == attempt)
                #expect(machine.timerFired() == .fetch(since: 40), "a retry fetches the same page again")
            }
            guard case .finish(.failed(let message)) = machine.failed(Self.reset) else {
                Issue.record("seed \(seed): the \(policy.maxAttempts)th failure must end the run")
                continue
            }
            #expect(message.contains("\(policy.maxAttempts) attempts"))
            #expect(machine.cursor == 40)
        }
        // Full jitter: uniform over 0...cap, so waits spread over the whole interval (not "cap ± a bit").
        for (attempt, waits) in samples {
            let cap = min(policy.maxDelay, policy.baseDelay * pow(2, Double(attempt)))
            let mean = waits.reduce(0, +) / Double(waits.count)
            #expect(waits.min()! < 0.15 * cap && waits.max()! > 0.85 * cap, "attempt \(attempt): waits should span 0...\(cap)")
            #expect(abs(mean - cap / 2) < 0.12 * cap, "attempt \(attempt): mean \(mean) should be near \(cap / 2)")
        }
        // The cap is reached and holds for later attempts.
        #expect(samples[11]!.allSatisfy { $0 <= policy.maxDelay })
        #expect(samples[11]!.contains { $0 > policy.baseDelay * 8 }, "late attempts wait longer than early ones can")
    }

    @Test func sameSeedSameWaits() {
        func waits(_ seed: UInt64) -> [SyncMachine.Action] {
            var machine = SyncMachine(cursor: 0, policy: Self.policy(), seed: seed)
            return (0..<7).map { _ in machine.failed(Self.reset) }
        }
        #expect(waits(7) == waits(7))
        #expect(waits(7) != waits(8))
    }

    @Test func retryAfterIsHonouredAndCapped() {
        var machine = SyncMachine(cursor: 5, policy: Self.policy(maxAttempts: 5, maxDelay: 2, maxRetryAfter: 60))
        #expect(machine.failed(.transient("503", retryAfter: 7)) == .wait(seconds: 7), "Retry-After beats the backoff cap")
        #expect(machine.timerFired() == .fetch(since: 5))
        #expect(machine.failed(.transient("429", retryAfter: 3600)) == .wait(seconds: 60), "capped at maxRetryAfter")
        #expect(machine.failed(.transient("503", retryAfter: -4)) == .wait(seconds: 0), "never negative")
        #expect(machine.failed(.transient("503", retryAfter: 0)) == .wait(seconds: 0))
        guard case .finish(.failed) = machine.failed(.transient("503", retryAfter: 1)) else {
            Issue.record("Retry-After answers count towards maxAttempts")
            return
        }
    }

    @Test func offlineUnauthorizedAndRejectedStopAtOnce() {
        var machine = SyncMachine(cursor: 9, policy: Self.policy())
        #expect(machine.failed(.offline("connection refused")) == .finish(.offline("connection refused")))
        machine = SyncMachine(cursor: 9, policy: Self.policy())
        #expect(machine.failed(.unauthorized("token expired")) == .finish(.loginRequired("token expired")))
        machine = SyncMachine(cursor: 9, policy: Self.policy())
        #expect(machine.failed(.rejected("HTTP 403")) == .finish(.failed("HTTP 403")))
        // Also after some transient failures: offline is not retried.
        machine = SyncMachine(cursor: 9, policy: Self.policy())
        _ = machine.failed(Self.reset)
        _ = machine.failed(Self.reset)
        #expect(machine.failed(.offline("down")) == .finish(.offline("down")))
    }

    @Test func pagesAdvanceTheCursorUntilHasMoreIsFalse() {
        var machine = SyncMachine(cursor: 0, policy: Self.policy())
        #expect(machine.start() == .fetch(since: 0))
        #expect(machine.pageApplied(next: 50, hasMore: true) == .fetch(since: 50))
        #expect(machine.pageApplied(next: 100, hasMore: true) == .fetch(since: 100))
        #expect(machine.pageApplied(next: 120, hasMore: false) == .finish(.upToDate))
        #expect(machine.cursor == 120)
        #expect(machine.pages == 3)
    }

    @Test func cursorExpiredRunsAFullResyncFromZero() {
        var machine = SyncMachine(cursor: 120, policy: Self.policy())
        #expect(machine.start() == .fetch(since: 120))
        #expect(machine.failed(.cursorExpired) == .beginResync)
        #expect(machine.resyncStarted() == .fetch(since: 0))
        #expect(machine.resyncing)
        #expect(machine.cursor == 0)
        #expect(machine.pageApplied(next: 50, hasMore: true) == .fetch(since: 50))
        // A transient failure inside the resync retries the resync's own page.
        guard case .wait = machine.failed(Self.reset) else {
            Issue.record("expected a wait")
            return
        }
        #expect(machine.timerFired() == .fetch(since: 50))
        #expect(machine.pageApplied(next: 130, hasMore: false) == .finishResync, "the last page swaps the fresh tables in")
        #expect(machine.resyncFinished() == .finish(.upToDate))
        #expect(!machine.resyncing)
        #expect(machine.cursor == 130)
    }

    @Test func anInterruptedResyncResumesWhereItStopped() {
        var machine = SyncMachine(cursor: 70, resyncing: true, policy: Self.policy())
        #expect(machine.start() == .fetch(since: 70))
        #expect(machine.pageApplied(next: 90, hasMore: false) == .finishResync)
        #expect(machine.resyncFinished() == .finish(.upToDate))
    }

    @Test func cursorExpiredDuringAResyncNeverLoops() {
        // From seq 0 the server must never answer 410; if it does, stop.
        var machine = SyncMachine(cursor: 10, policy: Self.policy())
        _ = machine.failed(.cursorExpired)
        _ = machine.resyncStarted()
        guard case .finish(.failed) = machine.failed(.cursorExpired) else {
            Issue.record("410 at seq 0 must end the run")
            return
        }
        // Part-way through a resync: at most a bounded number of restarts, then stop.
        machine = SyncMachine(cursor: 10, policy: Self.policy())
        var action = machine.failed(.cursorExpired)
        var restarts = 0
        while action == .beginResync, restarts < 100 {
            restarts += 1
            _ = machine.resyncStarted()
            _ = machine.pageApplied(next: 50, hasMore: true)
            action = machine.failed(.cursorExpired)
        }
        guard case .finish(.failed) = action else {
            Issue.record("a server that keeps answering 410 during a resync must not keep the client resyncing forever")
            return
        }
        #expect(restarts <= 2)
    }

    @Test func theAttemptCounterResetsAfterEveryPage() {
        var machine = SyncMachine(cursor: 0, policy: Self.policy(maxAttempts: 3))
        for _ in 0..<5 {
            guard case .wait = machine.failed(Self.reset), case .wait = machine.failed(Self.reset) else {
                Issue.record("two failures in a row are within maxAttempts 3")
                return
            }
            #expect(machine.attempt == 2)
            let next = machine.cursor + 10
            #expect(machine.pageApplied(next: next, hasMore: true) == .fetch(since: next))
            #expect(machine.attempt == 0)
        }
        _ = machine.failed(Self.reset)
        _ = machine.failed(Self.reset)
        guard case .finish(.failed) = machine.failed(Self.reset) else {
            Issue.record("the third failure in a row ends the run")
            return
        }
    }

    /// A simulated server (a feed with a head and a floor) and a flaky network drive thousands of
    /// runs; every run must end — up to date, or failed after exactly `maxAttempts` transient
    /// failures without a page applied in between — within a bounded number of steps. The server follows DESIGN.md: a cursor
    /// below the floor answers 410, a full resync (from seq 0) never expires.
    @Test func seededSimulationAlwaysEnds() {
        var rng = SplitMix64(seed: 0x5C0A_EC4D)
        func roll(_ rng: inout SplitMix64) -> Double { Double(rng.next() >> 11) * 0x1.0p-53 }
        var outcomes: [String: Int] = [:]
        var resyncs = 0
        for run in 0..<5_000 {
            let policy = Self.policy(
                maxAttempts: 1 + Int(rng.next() % 8), baseDelay: 0.25, maxDelay: 30, maxRetryAfter: 60)
            let head = Int64(rng.next() % 400)
            // Some feeds had tombstones pruned: below the floor a cursor answers 410 (never from 0).
            let floor = rng.next() % 4 == 0 ? Int64(rng.next() % UInt64(head + 1)) : 0
            let pageSize = Int64(1 + rng.next() % 1000)
            let failureRate = roll(&rng) * 0.7
            let start = Int64(rng.next() % UInt64(head + 1))
            var machine = SyncMachine(cursor: start, policy: policy, seed: rng.next())
            var position = start  // where the simulated mirror's (or resync's) cursor is
            var resyncing = false
            var inARow = 0  // transient failures since the last applied page
            var steps = 0
            let bound = 10 + (Int(head / pageSize) + 2) * policy.maxAttempts * 6
            var action = machine.start()
            simulation: while true {
                steps += 1
                if steps > bound {
                    Issue.record("run \(run) did not end within \(bound) steps (head \(head), floor \(floor), page \(pageSize))")
                    break
                }
                switch action {
                case .push:
                    Issue.record("run \(run): a run with nothing to push pushed")
                    break simulation
                case .fetchWindow:
                    Issue.record("run \(run): a mirror that is not new fetched a window")
                    break simulation
                case .fetch(let since):
                    #expect(since == position, "run \(run): fetches from the applied cursor")
                    if roll(&rng) < failureRate {
                        inARow += 1
                        let retryAfter: Double? = rng.next() % 3 == 0 ? Double(rng.next() % 120) : nil
                        action = machine.failed(.transient("flaky", retryAfter: retryAfter))
                    } else if since > 0 && since < floor && !resyncing {
                        action = machine.failed(.cursorExpired)
                    } else {
                        inARow = 0
                        let next = min(head, since + pageSize)
                        position = next
                        action = machine.pageApplied(next: next, hasMore: next < head)
                    }
                case .beginResync:
                    resyncs += 1
                    resyncing = true
                    position = 0
                    action = machine.resyncStarted()
                case .finishResync:
                    #expect(resyncing, "run \(run): finishResync without a resync")
                    resyncing = false
                    action = machine.resyncFinished()
                case .wait(let seconds):
                    #expect(seconds >= 0 && seconds <= max(policy.maxDelay, policy.maxRetryAfter), "run \(run): wait \(seconds)")
                    action = machine.timerFired()
                case .finish(let outcome):
                    switch outcome {
                    case .upToDate:
                        outcomes["upToDate", default: 0] += 1
                        #expect(position == head && !resyncing, "run \(run): up to date at \(position) of \(head)")
                    case .failed(let message):
                        outcomes["failed", default: 0] += 1
                        #expect(inARow == policy.maxAttempts, "run \(run): failed after \(inARow) failures in a row: \(message)")
                    case .offline, .loginRequired:
                        Issue.record("run \(run): \(outcome) was never injected")
                    }
                    break simulation
                }
            }
        }
        #expect(outcomes["upToDate", default: 0] > 1_000)
        #expect(outcomes["failed", default: 0] > 100)
        #expect(resyncs > 100)
    }

    /// The push phase: it comes first, retries like a pull, and a refused push still lets the
    /// mirror update before the run reports it.
    @Test func pushComesFirstRetriesAndNeverBlocksThePull() {
        var machine = SyncMachine(cursor: 7, seed: 1)
        #expect(machine.start(pushPending: true) == .push)
        guard case .wait = machine.failed(.transient("reset", retryAfter: nil)) else {
            Issue.record("a transient push failure waits")
            return
        }
        #expect(machine.timerFired() == .push, "and then pushes again")
        #expect(machine.pushed(more: true) == .push)
        #expect(machine.attempt == 0)
        #expect(machine.pushed(more: false) == .fetch(since: 7))
        #expect(machine.pageApplied(next: 9, hasMore: false) == .finish(.upToDate))

        var refused = SyncMachine(cursor: 3, seed: 2)
        #expect(refused.start(pushPending: true) == .push)
        #expect(refused.failed(.rejected("HTTP 413: too large")) == .fetch(since: 3), "the pull still runs")
        guard case .finish(.failed(let message)) = refused.pageApplied(next: 4, hasMore: false) else {
            Issue.record("the run ends failed")
            return
        }
        #expect(message.contains("413"))

        var offline = SyncMachine(cursor: 0, seed: 3)
        #expect(offline.start(pushPending: true) == .push)
        #expect(offline.failed(.offline("refused")) == .finish(.offline("refused")))
        var nothing = SyncMachine(cursor: 5, seed: 4)
        #expect(nothing.start(pushPending: false) == .fetch(since: 5))
    }

    @Test func aNewMirrorFetchesTheWindowFirstThenTheHistory() {
        var machine = SyncMachine(cursor: 0, needsWindow: true, seed: 1)
        #expect(machine.start(pushPending: false) == .fetchWindow)
        // A transient failure retries the window, not the history.
        guard case .wait = machine.failed(.transient("flaky", retryAfter: nil)) else {
            Issue.record("a transient failure waits")
            return
        }
        #expect(machine.timerFired() == .fetchWindow)
        #expect(machine.windowApplied() == .fetch(since: 0))
        #expect(!machine.needsWindow)
        #expect(machine.pageApplied(next: 100, hasMore: true) == .fetch(since: 100))
        #expect(machine.pageApplied(next: 150, hasMore: false) == .finish(.upToDate))

        // Pending edits go up first; the window follows them.
        var pushing = SyncMachine(cursor: 0, needsWindow: true, seed: 2)
        #expect(pushing.start(pushPending: true) == .push)
        #expect(pushing.pushed(more: false) == .fetchWindow)

        // A server without the window (404): the history alone, as before.
        var old = SyncMachine(cursor: 0, needsWindow: true, seed: 3)
        #expect(old.start(pushPending: false) == .fetchWindow)
        #expect(old.failed(.rejected("HTTP 404: no route")) == .fetch(since: 0))
        // Offline during the window ends the run as any offline request does.
        var offline = SyncMachine(cursor: 0, needsWindow: true, seed: 4)
        _ = offline.start(pushPending: false)
        #expect(offline.failed(.offline("down")) == .finish(.offline("down")))

        // A mirror that is not new, or is resyncing, never fetches one.
        var resumed = SyncMachine(cursor: 42, needsWindow: true, seed: 5)
        #expect(resumed.start(pushPending: false) == .fetch(since: 42))
        var resyncing = SyncMachine(cursor: 0, resyncing: true, needsWindow: true, seed: 6)
        #expect(resyncing.start(pushPending: false) == .fetch(since: 0))
    }
}
