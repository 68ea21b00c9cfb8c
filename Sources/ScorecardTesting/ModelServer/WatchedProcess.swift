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
        var fds: [Int32] = [0, 0]
        guard Glibc.pipe(&fds) == 0, fcntl(fds[0], F_SETFD, FD_CLOEXEC) == 0, fcntl(fds[1], F_SETFD, FD_CLOEXEC) == 0 else {
            throw ModelServerError("pipe failed: errno \(errno)")
        }
        let (readEnd, writeEnd) = (fds[0], fds[1])
        let argv = (["sh", "-c", Self.script, "scorecard-watchdog", logPath] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, readEnd, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, envp)
        close(readEnd)
        guard spawned == 0 else {
            close(writeEnd)
            throw ModelServerError("cannot run /bin/sh: errno \(spawned)")
        }
        self.pid = pid
        self.logPath = logPath
        self.pipe = Mutex(writeEnd)
        Self.register(self)
    }

    deinit { stop() }

    /// Whether the watchdog (and so the child) is still running.
    var isRunning: Bool {
        guard pipe.withLock({ $0 }) != nil else { return false }
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == 0
    }

    /// The child's output so far.
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Kills the child's group and waits (at most 5 s) for the watchdog. Idempotent; synchronous,
    /// so it can run from an atexit hook.
    func stop() {
        guard let writeEnd = pipe.withLock({ fd -> Int32? in defer { fd = nil }; return fd }) else { return }
        _ = Self.running.withLock { $0.watchdogs.removeValue(forKey: pid) }
        close(writeEnd)
        var status: Int32 = 0
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid || (result == -1 && errno == ECHILD) { return }
            usleep(10_000)
        }
        kill(-pid, SIGKILL)
        _ = waitpid(pid, &status, 0)
    }

    private static let running = Mutex<(hooked: Bool, watchdogs: [pid_t: WatchedProcess])>((false, [:]))

    private static func register(_ process: WatchedProcess) {
        let hook = running.withLock { state -> Bool in
            state.watchdogs[process.pid] = process
            defer { state.hooked = true }
            return !state.hooked
        }
        if hook { atexit { WatchedProcess.stopAll() } }
    }

    static func stopAll() {
        let all = running.withLock { state in
            defer { state.watchdogs = [:] }
            return Array(state.watchdogs.values)
        }
        all.forEach { $0.stop() }
    }
}

/// Why the model server could not be started or used.
public struct ModelServerError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
