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
        var environment = ProcessInfo.processInfo.environment
        environment["TMPDIR"] = directory
        let arguments = [chromedriver, directory + "/chromedriver.log", directory]
        switch Watchdog.spawn(script: Self.script, name: "scorecard-chromedriver", arguments: arguments, environment: environment) {
        case .failure(let failure):
            try? FileManager.default.removeItem(atPath: directory)
            throw WebDriverError(code: WebDriverError.startFailed, message: failure.message)
        case .success(let (pid, writeEnd)):
            self.pid = pid
            self.directory = directory
            self.pipe = Mutex(writeEnd)
        }
        Watchdog.register(pid) { [self] in stop() }
    }

    deinit { stop() }

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
    var isRunning: Bool { pipe.withLock({ $0 }) != nil && Watchdog.isRunning(pid) }

    /// Kills chromedriver and every Chromium process, and waits (normally a few milliseconds, at
    /// most about 5 s) for the watchdog to have done so. Idempotent; synchronous, so it can run from an atexit hook.
    func stop() {
        guard let writeEnd = pipe.withLock({ fd -> Int32? in defer { fd = nil }; return fd }) else { return }
        defer { try? FileManager.default.removeItem(atPath: directory) }
        if Watchdog.finish(pid: pid, pipe: writeEnd) { return }
        // The watchdog itself is stuck: kill what it should have killed, then it.
        if let text = try? String(contentsOfFile: driverPIDPath, encoding: .utf8), let driver = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            kill(-driver, SIGKILL)
            kill(driver, SIGKILL)
        }
        kill(-pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
    }
}
