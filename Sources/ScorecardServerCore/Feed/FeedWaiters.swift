import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The long-poll's waiting room: pull requests that found nothing new wait here until the
/// person's feed moves past their cursor, their wait ends, the client goes away, or the server
/// shuts down.
///
/// A waiter costs one suspended task and one dictionary entry; no timer or query per waiter.
/// One loop (``run()``) serves them all: the store reports commits that moved feeds
/// (``ServerStore/watchFeeds(_:)``: in this process, and across processes on PostgreSQL), the
/// loop reads the heads of the waiting people it names in one query and wakes those whose feed
/// passed their cursor. A tick every ``tick`` ends waits whose time is up, and every
/// ``sweepInterval`` the loop checks every waiting person anyway, so a report that never came (a
/// SQLite write from another process, a dropped `LISTEN` connection) delays a wake-up by at most
/// that long. On graceful shutdown every waiter is answered at once and new waits return
/// immediately, so the HTTP server's drain does not wait for them.
public final class FeedWaiters: Service, Sendable {
    /// How waits end.
    public enum Outcome: Sendable, Equatable {
        /// The feed moved past the cursor.
        case moved
        /// The wait's time ran out.
        case timedOut
        /// The server is shutting down, the client went away, or the task was cancelled.
        case released
    }

    private struct Waiter {
        let personID: String
        let since: Int64
        let deadline: ContinuousClock.Instant
        let continuation: CheckedContinuation<Outcome, Never>
    }

    private struct State {
        var waiters: [UInt64: Waiter] = [:]
        var byPerson: [String: Set<UInt64>] = [:]
        var nextID: UInt64 = 0
        /// People to check at the next pass (a report, or a new waiter).
        var pending: Set<String> = []
        /// Check every waiting person at the next pass.
        var pendingAll = false
        var closed = false
        /// Tickets handed out whose wait has not ended, and those released before their wait began.
        var issued: Set<UInt64> = []
        var releasedEarly: Set<UInt64> = []
        /// The most waiters seen at once (for the benchmark and metrics).
        var peak = 0

        mutating func remove(_ id: UInt64) -> Waiter? {
            guard let waiter = waiters.removeValue(forKey: id) else { return nil }
            byPerson[waiter.personID]?.remove(id)
            if byPerson[waiter.personID]?.isEmpty == true { byPerson[waiter.personID] = nil }
            return waiter
        }
    }

    let store: any ServerStore
    let logger: Logger
    /// How often waits whose time is up are ended.
    public let tick: Duration
    /// How often every waiting person is checked, reports or not.
    public let sweepInterval: Duration
    private let state = Mutex(State())
    private let wake: AsyncStream<Void>.Continuation
    private let wakes: AsyncStream<Void>

    public init(store: any ServerStore, logger: Logger, tick: Duration = .milliseconds(250), sweepInterval: Duration = .seconds(2)) {
        self.store = store
        self.logger = logger
        self.tick = tick
        self.sweepInterval = sweepInterval
        (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Requests waiting now.
    public var count: Int { state.withLock { $0.waiters.count } }
    /// The most requests that waited at once since the server started.
    public var peak: Int { state.withLock { $0.peak } }

    /// The waiting room's gauges in Prometheus' text format (appended to `/metrics`).
    public func prometheusText() -> String {
        let (now, peak) = state.withLock { ($0.waiters.count, $0.peak) }
        return """
            # HELP scorecard_pull_waiting Pull requests waiting for their feed to move (wait=).
            # TYPE scorecard_pull_waiting gauge
            scorecard_pull_waiting \(now)
            # HELP scorecard_pull_waiting_peak The most pull requests that waited at once.
            # TYPE scorecard_pull_waiting_peak gauge
            scorecard_pull_waiting_peak \(peak)

            """
    }

    /// A ticket for one wait: ``release(_:)`` with it ends the wait from outside (the client went
    /// away), whether the wait has begun yet or not.
    public func ticket() -> UInt64 {
        state.withLock { s in
            s.nextID += 1
            s.issued.insert(s.nextID)
            return s.nextID
        }
    }

    /// Waits until `personID`'s feed head passes `since`, for at most `timeout`. Cancelling the
    /// calling task, or ``release(_:)`` with its ticket, ends the wait with ``Outcome/released``.
    public func wait(personID: String, since: Int64, timeout: Duration, ticket: UInt64? = nil) async -> Outcome {
        let id = ticket ?? self.ticket()
        defer { state.withLock { _ = $0.issued.remove(id); _ = $0.releasedEarly.remove(id) } }
        let deadline = ContinuousClock.now + timeout
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
                let registered = state.withLock { s -> Bool in
                    guard !s.closed, !Task.isCancelled, !s.releasedEarly.contains(id) else { return false }
                    s.waiters[id] = Waiter(personID: personID, since: since, deadline: deadline, continuation: continuation)
                    s.byPerson[personID, default: []].insert(id)
                    s.peak = max(s.peak, s.waiters.count)
                    // A commit between the caller's empty read and this registration would never
                    // be reported again: check this person once now.
                    s.pending.insert(personID)
                    return true
                }
                if registered { wake.yield() } else { continuation.resume(returning: .released) }
            }
        } onCancel: {
            release(id)
        }
    }

    /// Ends the wait of `ticket` with ``Outcome/released`` (at once, or as soon as it begins);
    /// a ticket whose wait is over is ignored.
    public func release(_ ticket: UInt64) {
        let waiter = state.withLock { s -> Waiter? in
            if let waiter = s.remove(ticket) { return waiter }
            if s.issued.contains(ticket) { s.releasedEarly.insert(ticket) }
            return nil
        }
        waiter?.continuation.resume(returning: .released)
    }

    /// Ends every wait now and makes new waits return at once (graceful shutdown).
    public func close() {
        let all = state.withLock { s in
            s.closed = true
            defer { s.waiters = [:]; s.byPerson = [:] }
            return Array(s.waiters.values)
        }
        for waiter in all { waiter.continuation.resume(returning: .released) }
        wake.finish()
    }

    /// Reports that these people's feeds moved (nil: anyone's may have).
    public func feedsMoved(_ personIDs: [String]?) {
        let wanted = state.withLock { s -> Bool in
            guard !s.waiters.isEmpty else { return false }
            if let personIDs {
                var any = false
                for person in personIDs where s.byPerson[person] != nil {
                    s.pending.insert(person)
                    any = true
                }
                return any
            }
            s.pendingAll = true
            return true
        }
        if wanted { wake.yield() }
    }

    /// Serves the waiters until graceful shutdown (then ``close()``) or cancellation.
    public func run() async throws {
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    while !Task.isCancelled {
                        do {
                            try await self.store.watchFeeds { [weak self] people in self?.feedsMoved(people) }
                        } catch is CancellationError {
                            return
                        } catch {
                            self.logger.warning("long-poll: watching the feeds failed (\(error)); retrying in 1 s")
                        }
                        try? await Task.sleep(for: .seconds(1))
                    }
                }
                group.addTask {
                    var sinceSweep = Duration.zero
                    while !Task.isCancelled {
                        try? await Task.sleep(for: self.tick)
                        sinceSweep += self.tick
                        self.expire()
                        if sinceSweep >= self.sweepInterval {
                            sinceSweep = .zero
                            self.feedsMoved(nil)
                        }
                    }
                }
                group.addTask {
                    for await _ in self.wakes { await self.check() }
                }
                await group.next()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.close()
        }
        close()
    }

    /// One pass: reads the heads of the people to check and wakes the waiters they passed.
    private func check() async {
        let people = state.withLock { s -> [String] in
            defer { s.pending = []; s.pendingAll = false }
            return s.pendingAll ? Array(s.byPerson.keys) : s.pending.filter { s.byPerson[$0] != nil }
        }
        guard !people.isEmpty else { return }
        let heads: [String: Int64]
        do {
            heads = try await store.feedHeads(personIDs: people)
        } catch {
            logger.debug("long-poll: reading feed heads failed (\(error)); the waits go on")
            return
        }
        let woken = state.withLock { s -> [Waiter] in
            var woken: [Waiter] = []
            for (person, head) in heads {
                for id in s.byPerson[person] ?? [] where s.waiters[id].map({ head > $0.since }) == true {
                    if let waiter = s.remove(id) { woken.append(waiter) }
                }
            }
            return woken
        }
        for waiter in woken { waiter.continuation.resume(returning: .moved) }
    }

    /// Ends the waits whose time is up.
    private func expire() {
        let now = ContinuousClock.now
        let due = state.withLock { s -> [Waiter] in
            let ids = s.waiters.filter { $0.value.deadline <= now }.map(\.key)
            return ids.compactMap { s.remove($0) }
        }
        for waiter in due { waiter.continuation.resume(returning: .timedOut) }
    }

}
