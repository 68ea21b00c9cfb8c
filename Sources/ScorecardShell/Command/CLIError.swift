import ScorecardCache
import ScorecardSync

/// The exit codes `scorecard` documents (docs/shell.md): 0 ok, 1 a command failed, 2 usage,
/// 4 login needed, 5 the network was needed and was not there, 6 history still syncing, 7 the
/// mirror differs from the server (`verify`).
public enum ExitStatus: Int32, Sendable {
    case ok = 0, failure = 1, usage = 2, loginNeeded = 4, offline = 5
    /// A new mirror's history has not reached the range asked for yet (`stats`).
    case historySyncing = 6
    /// `verify` found the mirror different from the server (and did not, or could not, repair it).
    case differs = 7
}

/// A failure reported as one line on stderr with a documented exit code.
public struct CLIError: Error, CustomStringConvertible, Sendable {
    public var status: ExitStatus
    public var description: String

    public init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.description = message
    }

    /// Maps a sync failure (or any other error) to an exit code.
    public static func from(_ error: any Error) -> CLIError {
        if let error = error as? CLIError { return error }
        if let error = error as? MirrorError { return CLIError(.failure, error.message) }
        guard let failure = error as? SyncMachine.Failure else { return CLIError(.failure, "\(error)") }
        switch failure {
        case .offline(let m): return CLIError(.offline, "offline: \(m)")
        case .unauthorized(let m): return CLIError(.loginNeeded, "\(m) — run `scorecard login`")
        case .transient(let m, _): return CLIError(.failure, m)
        case .rejected(let m): return CLIError(.failure, m)
        case .cursorExpired: return CLIError(.failure, "the server's feed expired; run `scorecard sync` again")
        }
    }
}

/// Runs mirror work, turning ``MirrorError`` into a ``CLIError`` (exit 1) with its message.
func mirrorCall<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as MirrorError {
        throw CLIError(.failure, error.message)
    }
}
