import ScorecardCache
import Synchronization

/// What a shell session keeps between commands: the default format, the pager switch, open
/// mirrors, and whether a sync is running (so a typed `sync` and the background one never overlap).
public final class SessionState: Sendable {
    private struct State {
        var format: OutputFormat = .table
        var pager = true
        var mirrors: [String: Mirror] = [:]
        var syncing = false
    }

    private let state = Mutex(State())
    /// Whether mirrors are opened for reads that go on while a sync writes (the interactive
    /// shell, with its background sync), or with one connection (scripts), which opens faster.
    public let concurrentReads: Bool

    public init(concurrentReads: Bool = false) {
        self.concurrentReads = concurrentReads
    }

    /// `\format`.
    public var format: OutputFormat {
        get { state.withLock { $0.format } }
        set { state.withLock { $0.format = newValue } }
    }

    /// `\pager on|off`.
    public var pager: Bool {
        get { state.withLock { $0.pager } }
        set { state.withLock { $0.pager = newValue } }
    }

    func cachedMirror(_ path: String) -> Mirror? { state.withLock { $0.mirrors[path] } }
    func cacheMirror(_ mirror: Mirror, path: String) { state.withLock { $0.mirrors[path] = mirror } }

    /// Claims the sync slot; false when a sync is already running.
    func beginSync() -> Bool {
        state.withLock { s in
            if s.syncing { return false }
            s.syncing = true
            return true
        }
    }

    func endSync() { state.withLock { $0.syncing = false } }

    /// Runs `body` holding the sync slot, waiting for a running sync to end first.
    func exclusiveSync<T: Sendable>(_ body: () async throws -> T) async rethrows -> T {
        while !beginSync() { try? await Task.sleep(for: .milliseconds(50)) }
        defer { endSync() }
        return try await body()
    }
}
