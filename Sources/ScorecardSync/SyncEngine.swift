import Foundation
import ScorecardCache
import ScorecardCore

/// Progress of a running sync, for the CLI's progress line.
public struct SyncProgress: Sendable {
    public var changes: Int
    public var pages: Int
    public var bytes: Int
    public var cursor: Int64
    /// The server's feed head when it told us, for an ETA.
    public var head: Int64?
    public var elapsed: Duration
    /// The recent window is in (the history may still be coming).
    public var windowIn = false
}

/// A pull answer: the decoded page, its size and the feed head.
typealias PulledPage = (page: MirrorPage, bytes: Int, head: Int64?)

/// What a sync run did.
public struct SyncReport: Sendable {
    public var outcome: SyncMachine.Outcome
    public var stats = ApplyStats()
    public var pages = 0
    public var requests = 0
    public var bytes = 0
    public var resynced = false
    /// What the push did to the outbox.
    public var pushed = PushSummary()
    /// The window a new mirror fetched first, if it did.
    public var window: MirrorWindow?

    public init(outcome: SyncMachine.Outcome, stats: ApplyStats = ApplyStats()) {
        self.outcome = outcome
        self.stats = stats
    }
}

/// Drives ``SyncMachine`` with real I/O: HTTP through an ``APIClient``, pages into a ``Mirror``.
public struct SyncEngine: Sendable {
    public let mirror: Mirror
    public let client: APIClient
    public var policy = SyncMachine.Policy()
    /// Changes per pull page.
    public var pageSize = 5000
    /// Mutations per push request (the server takes at most 500).
    public var pushBatchSize = 100
    /// Called after every applied page.
    public var progress: (@Sendable (SyncProgress) -> Void)?
    /// A new mirror fetches the recent window before the history (docs/sync.md, "The window first").
    public var windowFirst = true
    /// Whether a run pushes the outbox first (``MirrorVerifier`` syncs without: verifying or
    /// repairing never sends an edit).
    public var pushes = true

    public init(mirror: Mirror, client: APIClient) {
        self.mirror = mirror
        self.client = client
    }

    /// One sync run: push the outbox, then pull until `has_more` is false.
    public func run() async -> SyncReport {
        let started = ContinuousClock.now
        var report = SyncReport(outcome: .upToDate)
        var machine: SyncMachine
        do {
            let resync = try mirror.resyncCursor()
            let cursor = try resync ?? mirror.cursor()
            // A new mirror (nothing pulled, no window yet) fetches the recent window first.
            let hasWindow = try mirror.meta(.windowCallsFrom) != nil
            let isNew = windowFirst && resync == nil && cursor == 0 && !hasWindow
            machine = SyncMachine(cursor: cursor, resyncing: resync != nil, needsWindow: isNew, policy: policy)
        } catch {
            report.outcome = .failed("\(error)")
            return report
        }
        var action = machine.start(pushPending: pushes && ((try? mirror.hasPushable()) ?? false))
        // While a page is applied, the next ones are already on their way (see ``PullPrefetch``).
        var prefetch: PullPrefetch?
        defer { prefetch?.cancel() }
        while true {
            switch action {
            case .fetch(let since):
                report.requests += 1
                let resync = machine.resyncing
                let current: PullPrefetch
                if let p = prefetch, p.since == since, p.resync == resync {
                    current = p
                } else {
                    prefetch?.cancel()
                    // The first request of a run asks for API.md's JSON form (a no-op sync stays one
                    // small exchange); the pages after it, and a new mirror's whole history after
                    // its window, come in the compact `rows` form.
                    let format: PullFormat = report.pages == 0 && report.window == nil ? .json : .rows
                    // The mark stored with the mirror's cursor goes with it (docs/sync.md, "Feed marks").
                    let storedCursor = try? (resync ? mirror.resyncCursor() : mirror.cursor())
                    let mark: String? = storedCursor == since ? ((try? mirror.feedMark(resyncing: resync)) ?? nil) : nil
                    current = PullPrefetch.start(
                        client: client, since: since, limit: pageSize, resync: resync, mark: mark, format: format, allowed: true)
                }
                prefetch = nil
                do {
                    let pulled = try await current.value()
                    let page = pulled.page
                    let successor = current.successor
                    if page.hasMore, let s = successor, s.since == page.next, s.resync == resync {
                        prefetch = s
                    } else {
                        successor?.cancel()
                        if page.hasMore {
                            prefetch = PullPrefetch.start(
                                client: client, since: page.next, limit: pageSize, resync: resync, mark: page.mark, format: .rows, allowed: true)
                        }
                    }
                    prefetch?.allowSuccessor()  // this page is taken: the one after the next may start
                    let stats = try mirror.apply(page)
                    report.stats.add(stats)
                    report.pages += 1
                    report.bytes += pulled.bytes
                    progress?(
                        SyncProgress(
                            changes: report.stats.total, pages: report.pages, bytes: report.bytes, cursor: page.next,
                            head: pulled.head ?? report.window?.head, elapsed: ContinuousClock.now - started, windowIn: report.window != nil))
                    action = machine.pageApplied(next: page.next, hasMore: page.hasMore)
                } catch let failure as SyncMachine.Failure {
                    current.cancel()
                    prefetch?.cancel()
                    prefetch = nil
                    action = machine.failed(failure)
                } catch {
                    action = .finish(.failed("\(error)"))
                }
            case .push:
                report.requests += 1
                var batch: [OutboxEntry] = []
                do {
                    batch = try mirror.nextPushBatch(limit: pushBatchSize)
                    guard !batch.isEmpty else {
                        action = machine.pushed(more: false)
                        continue
                    }
                    let results = try await client.push(batch.map(\.payload))
                    let (summary, unanswered) = try mirror.applyPushResults(results, sent: batch)
                    report.pushed.add(summary)
                    guard unanswered.isEmpty else {
                        // Never loop on a server that skips mutations: stop, keep them pending.
                        try? mirror.recordPushFailure(ids: unanswered, message: "the server sent no result for it")
                        action = .finish(.failed("the server answered \(results.count) of \(batch.count) edits; the rest stay pending"))
                        continue
                    }
                    action = machine.pushed(more: try mirror.hasPushable())
                } catch let failure as SyncMachine.Failure {
                    try? mirror.recordPushFailure(ids: batch.map(\.id), message: failure.message)
                    action = machine.failed(failure)
                } catch {
                    action = .finish(.failed("\(error)"))
                }
            case .fetchWindow:
                report.requests += 1
                do {
                    let (page, window, bytes) = try await client.window()
                    let stats = try mirror.apply(page, window: window)
                    report.stats.add(stats)
                    report.window = window
                    report.bytes += bytes
                    progress?(
                        SyncProgress(
                            changes: report.stats.total, pages: report.pages, bytes: report.bytes, cursor: 0, head: window.head,
                            elapsed: ContinuousClock.now - started, windowIn: true))
                    action = machine.windowApplied()
                } catch let failure as SyncMachine.Failure {
                    action = machine.failed(failure)
                } catch {
                    action = .finish(.failed("\(error)"))
                }
            case .beginResync:
                do {
                    try mirror.beginResync()
                    report.resynced = true
                    action = machine.resyncStarted()
                } catch {
                    action = .finish(.failed("\(error)"))
                }
            case .finishResync:
                do {
                    try mirror.finishResync()
                    action = machine.resyncFinished()
                } catch {
                    action = .finish(.failed("\(error)"))
                }
            case .wait(let seconds):
                try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
                action = machine.timerFired()
            case .finish(let outcome):
                report.outcome = outcome
                try? mirror.recordSync(result: SyncEngine.describe(outcome))
                return report
            }
        }
    }

    /// The one-line result kept in the mirror's meta.
    public static func describe(_ outcome: SyncMachine.Outcome) -> String {
        switch outcome {
        case .upToDate: return "ok"
        case .offline(let m): return "offline: \(m)"
        case .loginRequired(let m): return "login required: \(m)"
        case .failed(let m): return "failed: \(m)"
        }
    }
}
