import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A child process group under a `/bin/sh` watchdog that kills the group (SIGKILL) when its
/// standard input reaches end of file: when ``stop()`` closes the pipe, when the atexit hook does,
/// or when this process dies in any way, even SIGKILL. The model server's Python process is started
/// this way so a killed test run leaves nothing behind. (``DriverWatchdog`` does the same for
/// chromedriver and Chromium.)
final class WatchedProcess: Sendable {
    /// The watchdog shell's pid.
    let pid: pid_t
    /// Where the child's standard output and error go.
    let logPath: String
    private let pipe: Mutex<Int32?>

    private static let script = """
        log="$1"; shift
        if command -v setsid >/dev/null 2>&1; then
          setsid "$@" </dev/null >"$log" 2>&1 &
          pid=$!; group="-$pid"
        else
          "$@" </dev/null >"$log" 2>&1 &
          pid=$!; group="$pid"
        fi
        read -r _ || true
        kill -KILL "$group" 2>/dev/null
        wait "$pid" 2>/dev/null
        """

    /// Starts `arguments[0]` with the rest as its arguments, its output in `logPath`.
    init(_ arguments: [String], logPath: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        switch Watchdog.spawn(script: Self.script, name: "scorecard-watchdog", arguments: [logPath] + arguments, environment: environment) {
        case .failure(let failure): throw ModelServerError(failure.message)
        case .success(let (pid, writeEnd)):
            self.pid = pid
            self.logPath = logPath
            self.pipe = Mutex(writeEnd)
        }
        Watchdog.register(pid) { [self] in stop() }
    }

    deinit { stop() }

    /// Whether the watchdog (and so the child) is still running.
    var isRunning: Bool { pipe.withLock({ $0 }) != nil && Watchdog.isRunning(pid) }

    /// The child's output so far.
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Kills the child's group and waits (at most 5 s) for the watchdog. Idempotent; synchronous,
    /// so it can run from an atexit hook.
    func stop() {
        guard let writeEnd = pipe.withLock({ fd -> Int32? in defer { fd = nil }; return fd }) else { return }
        if Watchdog.finish(pid: pid, pipe: writeEnd) { return }
        kill(-pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
    }
}

/// Why the model server could not be started or used.
public struct ModelServerError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
