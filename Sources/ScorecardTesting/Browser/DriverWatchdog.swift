import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A `/bin/sh` watchdog that runs chromedriver in its own session (so chromedriver and every
/// Chromium process it starts share one process group) and kills that group when its standard
/// input reaches end of file. Its standard input is a pipe only this process writes to, so the
/// group dies when ``stop()`` closes the pipe, when the atexit hook does, or when this process
/// dies in any way at all (even SIGKILL), since the kernel then closes the pipe.
///
/// The kill is SIGKILL (nothing of a test browser is worth a graceful shutdown); the watchdog then
/// waits, at most 2.5 s, until the group is gone. Chromium's own children are orphaned by the kill
/// and only PID 1 reaps them: at once on most systems, after about a second in some containers.
/// Chromium's crashpad handlers leave the group, and exit with the browser.
///
/// The watchdog runs in its own process group, so Ctrl-C on `swift test` does not kill it before
/// it has cleaned up; it also removes the driver's temporary directory (profiles, log).
final class DriverWatchdog: Sendable {
    /// The watchdog shell's pid.
    let pid: pid_t
    /// The directory holding the log, the driver's pid and (as TMPDIR) Chromium's profiles.
    let directory: String
    private let pipe: Mutex<Int32?>

    var logPath: String { directory + "/chromedriver.log" }
    var driverPIDPath: String { directory + "/chromedriver.pid" }

    private static let script = """
        driver="$1"; log="$2"; dir="$3"
        if command -v setsid >/dev/null 2>&1; then
          setsid "$driver" --port=0 --enable-chrome-logs </dev/null >"$log" 2>&1 &
          pid=$!; group="-$pid"
        else
          "$driver" --port=0 --enable-chrome-logs </dev/null >"$log" 2>&1 &
          pid=$!; group="$pid"
        fi
        echo "$pid" >"$dir/chromedriver.pid"
        read -r _ || true
        kill -KILL "$group" 2>/dev/null
        wait "$pid" 2>/dev/null
        i=0
        while kill -0 "$group" 2>/dev/null && [ "$i" -lt 50 ]; do sleep 0.05; i=$((i+1)); done
        rm -rf "$dir" 2>/dev/null || { sleep 0.2; rm -rf "$dir"; }
        """

    /// Starts the watchdog and, under it, `chromedriver --port=0 --enable-chrome-logs` (Chromium's
    /// own output in the log, to explain a browser that does not start).
    init(chromedriver: String) throws {
        // Short: Chromium puts a Unix socket in it, and socket paths end at 107 bytes.
        let temporary = FileManager.default.temporaryDirectory.path
        let parent = temporary.utf8.count <= 24 ? temporary : "/tmp"
        let directory = parent + "/scorecard-chrome-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // Close-on-exec, so no other child of this process holds the pipe open (FD_CLOEXEC set
        // right after pipe(): Glibc's pipe2 is not visible to Swift without _GNU_SOURCE).
        var fds: [Int32] = [0, 0]
        guard Glibc.pipe(&fds) == 0, fcntl(fds[0], F_SETFD, FD_CLOEXEC) == 0, fcntl(fds[1], F_SETFD, FD_CLOEXEC) == 0 else {
            try? FileManager.default.removeItem(atPath: directory)
            throw WebDriverError(code: WebDriverError.startFailed, message: "pipe failed: errno \(errno)")
        }
        let (readEnd, writeEnd) = (fds[0], fds[1])

        var environment = ProcessInfo.processInfo.environment
        environment["TMPDIR"] = directory
        let arguments: [String] = ["sh", "-c", Self.script, "scorecard-chromedriver", chromedriver, directory + "/chromedriver.log", directory]
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, readEnd, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // Nothing else this process has open (another test's files, sockets) leaks into the
        // browser processes, where it would stay open as long as they run.
        // (glibc 2.34+; looked up at run time, Swift does not see its declaration.)
        if let closeFrom = Self.addCloseFrom { _ = closeFrom(&actions, 3) }

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
            try? FileManager.default.removeItem(atPath: directory)
            throw WebDriverError(code: WebDriverError.startFailed, message: "cannot run /bin/sh: errno \(spawned)")
        }
        self.pid = pid
        self.directory = directory
        self.pipe = Mutex(writeEnd)
        Self.register(self)
    }

    deinit { stop() }

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32
    private static let addCloseFrom: AddCloseFrom? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)
    }()

    /// Whether chromedriver has exited (or never started): its pid is gone or a zombie.
    var driverExited: Bool {
        guard let text = try? String(contentsOfFile: driverPIDPath, encoding: .utf8) else { return false }  // not written yet
        let pid = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return kill(pid_t(pid) ?? 0, 0) != 0 }
        // "pid (comm) S …": the state follows the last parenthesis.
        guard let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: close)...].trimmingPrefix(while: \.isWhitespace).first == "Z"
    }

    /// chromedriver's output so far.
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Whether the watchdog (and so, normally, chromedriver) is still running.
    var isRunning: Bool {
        guard pipe.withLock({ $0 }) != nil else { return false }
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == 0
    }

    /// Kills chromedriver and every Chromium process, and waits (normally a few milliseconds, at
    /// most about 5 s) for the watchdog to have done so. Idempotent; synchronous, so it can run from an atexit hook.
    func stop() {
        guard let writeEnd = pipe.withLock({ fd -> Int32? in defer { fd = nil }; return fd }) else { return }
        Self.unregister(pid)
        close(writeEnd)
        var status: Int32 = 0
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid || (result == -1 && errno == ECHILD) {
                try? FileManager.default.removeItem(atPath: directory)
                return
            }
            usleep(10_000)
        }
        // The watchdog itself is stuck: kill what it should have killed, then it.
        if let text = try? String(contentsOfFile: driverPIDPath, encoding: .utf8), let driver = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            kill(-driver, SIGKILL)
            kill(driver, SIGKILL)
        }
        kill(-pid, SIGKILL)
        _ = waitpid(pid, &status, 0)
        try? FileManager.default.removeItem(atPath: directory)
    }

    // MARK: Stopping at exit

    /// The watchdogs still running, stopped by the atexit hook.
    private static let running = Mutex<(hooked: Bool, watchdogs: [pid_t: DriverWatchdog])>((false, [:]))

    private static func register(_ watchdog: DriverWatchdog) {
        let hook = running.withLock { state -> Bool in
            state.watchdogs[watchdog.pid] = watchdog
            defer { state.hooked = true }
            return !state.hooked
        }
        if hook { atexit { DriverWatchdog.stopAll() } }
    }

    private static func unregister(_ pid: pid_t) {
        _ = running.withLock { $0.watchdogs.removeValue(forKey: pid) }
    }

    /// Stops every watchdog still running; the atexit hook.
    static func stopAll() {
        let watchdogs = running.withLock { state in
            defer { state.watchdogs = [:] }
            return Array(state.watchdogs.values)
        }
        watchdogs.forEach { $0.stop() }
    }
}
