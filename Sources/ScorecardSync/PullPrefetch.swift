import ScorecardCache
import ScorecardCore
import Synchronization

/// A pull page fetched ahead of the apply loop.
///
/// Once its response is in, the fetch reads `next` and `has_more` from the page's tail
/// (``MirrorPage/peekCursor(_:)``) and, when allowed, starts fetching the following page before it
/// parses this one: the server prepares page N+2 while the client parses N+1 and applies N. A page's
/// successor may start only after the engine has taken the page before it (``allowSuccessor()``),
/// so at most two pages are ever fetched ahead of the one being applied. The engine checks that
/// a successor's `since` is the `next` of the page it decoded before using it.
final class PullPrefetch: Sendable {
    let since: Int64
    let resync: Bool
    /// The feed mark sent with `since`.
    let mark: String?
    private let client: APIClient
    private let limit: Int
    private let state: Mutex<State>

    private struct State {
        var task: Task<PulledPage, any Error>?
        var cursor: (next: Int64, hasMore: Bool, mark: String?)?
        var allowed: Bool
        var successor: PullPrefetch?
        var cancelled = false
    }

    private init(client: APIClient, since: Int64, limit: Int, resync: Bool, mark: String?, allowed: Bool) {
        self.client = client
        self.since = since
        self.mark = mark
        self.limit = limit
        self.resync = resync
        state = Mutex(State(allowed: allowed))
    }

    /// Starts fetching the page after `since`; `allowed`: its successor may start as soon as its
    /// response is in (nothing else is fetched ahead of it).
    static func start(client: APIClient, since: Int64, limit: Int, resync: Bool, mark: String?, format: PullFormat, allowed: Bool) -> PullPrefetch {
        let prefetch = PullPrefetch(client: client, since: since, limit: limit, resync: resync, mark: mark, allowed: allowed)
        let task = Task { try await prefetch.fetch(format: format) }
        prefetch.state.withLock { $0.task = task }
        return prefetch
    }

    private func fetch(format: PullFormat) async throws -> PulledPage {
        let response = try await client.pullResponse(since: since, limit: limit, resync: resync, format: format, mark: mark)
        if let cursor = MirrorPage.peekCursor(response.body) {
            let mark = response.header("X-Feed-Mark")
            state.withLock { $0.cursor = (cursor.next, cursor.hasMore, mark) }
            startSuccessorIfReady()
        }
        return try APIClient.decodePage(response)
    }

    /// The engine took the page before this one: this page's successor may start.
    func allowSuccessor() {
        state.withLock { $0.allowed = true }
        startSuccessorIfReady()
    }

    private func startSuccessorIfReady() {
        state.withLock { s in
            guard s.allowed, !s.cancelled, s.successor == nil, let cursor = s.cursor, cursor.hasMore else { return }
            s.successor = PullPrefetch.start(
                client: client, since: cursor.next, limit: limit, resync: resync, mark: cursor.mark, format: .rows, allowed: false)
        }
    }

    /// The decoded page, once it is in.
    func value() async throws -> PulledPage {
        guard let task = state.withLock({ $0.task }) else { throw CancellationError() }
        return try await task.value
    }

    /// The following page's fetch, when it has started.
    var successor: PullPrefetch? { state.withLock { $0.successor } }

    /// Cancels this fetch and every one started after it.
    func cancel() {
        let (task, successor) = state.withLock { s in
            s.cancelled = true
            return (s.task, s.successor)
        }
        task?.cancel()
        successor?.cancel()
    }
}
