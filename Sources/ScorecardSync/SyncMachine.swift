import ScorecardCore

/// The sync engine's rules as a value: events in, actions out, no I/O.
///
/// A run first pushes the outbox (batch after batch while pending edits remain); a new mirror
/// then fetches the recent window (``Action/fetchWindow``: this week and last, without moving the
/// cursor), and every run fetches pages from the cursor until `has_more` is false. Transient failures are
/// retried with capped exponential backoff and full jitter (or the server's `Retry-After`),
/// at most `maxAttempts` times in a row; offline and 401 stop at once; 410 starts a full
/// resync from seq 0 into fresh tables.
public struct SyncMachine: Sendable {
    /// Retry tuning.
    public struct Policy: Sendable {
        public var maxAttempts = 8
        public var baseDelay = 0.25
        public var maxDelay = 30.0
        public var maxRetryAfter = 60.0
        public init() {}
    }

    /// Why a request failed.
    public enum Failure: Error, Sendable, Equatable {
        case offline(String)
        case transient(String, retryAfter: Double?)
        case unauthorized(String)
        case cursorExpired
        case rejected(String)

        /// The failure in words.
        public var message: String {
            switch self {
            case .offline(let m): return "offline: \(m)"
            case .transient(let m, _), .unauthorized(let m), .rejected(let m): return m
            case .cursorExpired: return "cursor expired"
            }
        }
    }

    /// What the driver must do next.
    public enum Action: Sendable, Equatable {
        /// Push the next batch of pending edits (then report ``pushed(more:)``).
        case push
        /// Fetch the page after `since` (into the fresh tables when `resync`).
        case fetch(since: Int64)
        /// Fetch and apply the recent window (then report ``windowApplied()``); the cursor stays.
        case fetchWindow
        /// Create the fresh tables of a full resync (then report ``resyncStarted()``).
        case beginResync
        /// Swap the fresh tables in (then report ``resyncFinished()``).
        case finishResync
        /// Sleep, then report ``timerFired()``.
        case wait(seconds: Double)
        /// Stop with this outcome.
        case finish(Outcome)
    }

    /// How a run ended.
    public enum Outcome: Sendable, Equatable {
        case upToDate
        case offline(String)
        case loginRequired(String)
        case failed(String)
    }

    /// A run's parts: the outbox goes up first, then a new mirror's window, then the pages.
    public enum Phase: Sendable, Equatable { case push, window, pull }

    public let policy: Policy
    private var rng: SplitMix64
    private(set) public var phase: Phase = .pull
    /// Set when the server refused a push outright (a 4xx for the whole request): the pull still
    /// runs, and the run then ends failed with this message.
    private(set) public var pushRefused: String?
    private(set) public var cursor: Int64
    private(set) public var resyncing: Bool
    /// The mirror is new and wants the recent window before the history.
    private(set) public var needsWindow: Bool
    private(set) public var attempt = 0
    private(set) public var pages = 0
    /// Full resyncs restarted by a 410 in this run (bounded, so a run always ends).
    private(set) public var resyncRestarts = 0

    /// A machine starting at `cursor`; `resyncing` when a full resync was left unfinished.
    /// `needsWindow`: a new mirror (nothing pulled yet) that fetches the recent window first.
    public init(
        cursor: Int64, resyncing: Bool = false, needsWindow: Bool = false, policy: Policy = Policy(),
        seed: UInt64 = UInt64.random(in: 0...UInt64.max)
    ) {
        self.cursor = cursor
        self.resyncing = resyncing
        self.needsWindow = needsWindow && cursor == 0 && !resyncing
        self.policy = policy
        self.rng = SplitMix64(seed: seed)
    }

    /// The first action of a run that has nothing to push.
    public func start() -> Action { .fetch(since: cursor) }

    /// The first action of a run: push when the outbox has pending edits, else fetch.
    public mutating func start(pushPending: Bool) -> Action {
        if pushPending {
            phase = .push
            return .push
        }
        return afterPush()
    }

    /// The window when the mirror wants one, else the pages.
    mutating func afterPush() -> Action {
        phase = needsWindow ? .window : .pull
        return needsWindow ? .fetchWindow : .fetch(since: cursor)
    }

    /// The window was applied (with its meta, in one transaction); the history follows from the cursor.
    public mutating func windowApplied() -> Action {
        attempt = 0
        needsWindow = false
        phase = .pull
        return .fetch(since: cursor)
    }

    /// A push batch's results were written; `more` when pending edits remain.
    public mutating func pushed(more: Bool) -> Action {
        attempt = 0
        if more { return .push }
        return afterPush()
    }

    /// A page was applied (with its cursor) in one transaction.
    public mutating func pageApplied(next: Int64, hasMore: Bool) -> Action {
        attempt = 0
        pages += 1
        cursor = next
        if hasMore { return .fetch(since: cursor) }
        return resyncing ? .finishResync : finished()
    }

    /// The fresh tables exist; fetch from the start.
    public mutating func resyncStarted() -> Action {
        resyncing = true
        cursor = 0
        return .fetch(since: 0)
    }

    /// The fresh tables were swapped in.
    public mutating func resyncFinished() -> Action {
        resyncing = false
        return finished()
    }

    /// The end of a run whose pull completed.
    func finished() -> Action {
        if let refused = pushRefused { return .finish(.failed("the mirror is up to date, but the server refused the edits: \(refused)")) }
        return .finish(.upToDate)
    }

    /// The backoff sleep ended.
    public func timerFired() -> Action {
        switch phase {
        case .push: .push
        case .window: .fetchWindow
        case .pull: .fetch(since: cursor)
        }
    }

    /// A request failed.
    public mutating func failed(_ failure: Failure) -> Action {
        switch failure {
        case .offline(let message):
            return .finish(.offline(message))
        case .unauthorized(let message):
            return .finish(.loginRequired(message))
        case .rejected where phase == .window, .cursorExpired where phase == .window:
            // A server without the window (an older one answers 404): the history alone, as before.
            return windowApplied()
        case .rejected(let message):
            guard phase == .push else { return .finish(.failed(message)) }
            // A refused push must not keep the mirror from updating: pull, then report it.
            pushRefused = message
            phase = .pull
            attempt = 0
            return .fetch(since: cursor)
        case .cursorExpired where phase == .push:
            return .finish(.failed("the server answered the push with 410"))
        case .cursorExpired:
            if resyncing && cursor == 0 { return .finish(.failed("the server refused a full resync from seq 0")) }
            if resyncing {
                // Resync pages are served below the floor (`resync=1`), so this is a feed replaced under
                // us (cursor beyond its head): restart once; a second time, stop rather than loop.
                guard resyncRestarts < 1 else {
                    return .finish(.failed("the server expired the cursor again during a full resync (at seq \(cursor))"))
                }
                resyncRestarts += 1
            }
            return .beginResync
        case .transient(let message, let retryAfter):
            attempt += 1
            guard attempt < policy.maxAttempts else {
                return .finish(.failed("gave up after \(attempt) attempts: \(message)"))
            }
            if let retryAfter {
                return .wait(seconds: min(max(0, retryAfter), policy.maxRetryAfter))
            }
            let cap = min(policy.maxDelay, policy.baseDelay * Double(1 << min(attempt, 20)))
            return .wait(seconds: Double.random(in: 0...cap, using: &rng))  // full jitter
        }
    }
}
