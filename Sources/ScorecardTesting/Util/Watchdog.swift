import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// What ``DriverWatchdog`` (chromedriver and Chromium) and ``WatchedProcess`` (the model server)
/// share: a `/bin/sh` watchdog in its own process group whose standard input is a pipe only this
/// process writes to, so the script's cleanup runs when ``finish(pid:pipe:)`` closes the pipe,
/// when the atexit hook does, or when this process dies in any way (even SIGKILL).
enum Watchdog {
    /// Starts `/bin/sh -c script name arguments…` with the pipe's read end as its standard input,
    /// standard output and error to /dev/null, default signal handling, in a process group of its
    /// own (so Ctrl-C on `swift test` does not kill it before it has cleaned up), and no other
    /// descriptor of this process. Returns the shell's pid and the pipe's write end, or why not.
    static func spawn(script: String, name: String, arguments: [String], environment: [String: String]) -> Result<(pid: pid_t, pipe: Int32), Failure> {
        // Close-on-exec, so no other child of this process holds the pipe open (FD_CLOEXEC set
        // right after pipe(): Glibc's pipe2 is not visible to Swift without _GNU_SOURCE).
        var fds: [Int32] = [0, 0]
        guard Glibc.pipe(&fds) == 0, fcntl(fds[0], F_SETFD, FD_CLOEXEC) == 0, fcntl(fds[1], F_SETFD, FD_CLOEXEC) == 0 else {
            return .failure(Failure(message: "pipe failed: errno \(errno)"))
        }
        let (readEnd, writeEnd) = (fds[0], fds[1])
        let argv = (["sh", "-c", script, name] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, readEnd, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // Nothing else this process has open (another test's files, sockets) leaks into the
        // children, where it would stay open as long as they run.
        // (glibc 2.34+; looked up at run time, Swift does not see its declaration.)
        if let closeFrom = addCloseFrom { _ = closeFrom(&actions, 3) }

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
            return .failure(Failure(message: "cannot run /bin/sh: errno \(spawned)"))
        }
        return .success((pid, writeEnd))
    }

    /// Why ``spawn(script:name:arguments:environment:)`` failed.
    struct Failure: Error {
        let message: String
    }

    /// Closes the pipe (the watchdog then cleans up) and waits at most 5 s for the watchdog to end;
    /// false when it did not (the caller kills what it should have killed).
    static func finish(pid: pid_t, pipe: Int32) -> Bool {
        unregister(pid)
        close(pipe)
        var status: Int32 = 0
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid || (result == -1 && errno == ECHILD) { return true }
            usleep(10_000)
        }
        return false
    }

    /// Whether the watchdog shell `pid` is still running.
    static func isRunning(_ pid: pid_t) -> Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == 0
    }

    // MARK: Stopping at exit

    /// The watchdogs still running, stopped by the atexit hook.
    private static let running = Mutex<(hooked: Bool, stops: [pid_t: @Sendable () -> Void])>((false, [:]))

    /// Runs `stop` at exit unless the watchdog `pid` was finished before.
    static func register(_ pid: pid_t, stop: @escaping @Sendable () -> Void) {
        let hook = running.withLock { state -> Bool in
            state.stops[pid] = stop
            defer { state.hooked = true }
            return !state.hooked
        }
        if hook { atexit { Watchdog.stopAll() } }
    }

    private static func unregister(_ pid: pid_t) {
        _ = running.withLock { $0.stops.removeValue(forKey: pid) }
    }

    /// Stops every watchdog still running; the atexit hook.
    static func stopAll() {
        let stops = running.withLock { state in
            defer { state.stops = [:] }
            return Array(state.stops.values)
        }
        stops.forEach { $0() }
    }

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32
    private static let addCloseFrom: AddCloseFrom? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)
    }()
}
