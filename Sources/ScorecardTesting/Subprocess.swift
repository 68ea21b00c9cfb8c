import Foundation
import Glibc
import Synchronization

/// Runs a command to completion without blocking the cooperative pool: the PostgreSQL tools
/// (`initdb`, `pg_ctl`, `psql`) that ``PostgresCluster`` drives.
///
/// `posix_spawn`, not Foundation's `Process`: on Linux, `Process` sees a child end when every copy
/// of a socket it leaves in the child is closed, and `pg_ctl start` leaves the postmaster (a
/// daemon) holding that copy, so the start would never be seen to finish. Here the child gets
/// no descriptor but its standard three, and `waitpid` says when it ends.
enum Subprocess {
    /// What a finished command did.
    struct Outcome: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String

        /// Both outputs, trimmed, for error messages.
        var output: String {
            [stdout, stderr].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }.joined(separator: "\n")
        }
    }

    /// A command that could not start or ended with a non-zero status.
    struct Failure: Error, CustomStringConvertible {
        var command: String
        var outcome: Outcome
        var description: String { "`\(command)` exited with \(outcome.status): \(outcome.output)" }
    }

    /// Runs `executable arguments` with standard input from /dev/null; throws ``Failure`` on a
    /// non-zero exit unless `check` is false.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], check: Bool = true) async throws -> Outcome {
        let outcome = await withCheckedContinuation { continuation in
            // Blocking reads and waitpid on a GCD thread, never on a cooperative one.
            DispatchQueue.global().async { continuation.resume(returning: runBlocking(executable, arguments)) }
        }
        if check, outcome.status != 0 {
            throw Failure(command: ([executable] + arguments).joined(separator: " "), outcome: outcome)
        }
        return outcome
    }

    private static func runBlocking(_ executable: String, _ arguments: [String]) -> Outcome {
        // Socket pairs rather than pipes: created close-on-exec in one call (`pipe2` is not
        // imported), so no other child spawned meanwhile inherits them.
        var out: [Int32] = [-1, -1], err: [Int32] = [-1, -1]
        let streamCloseOnExec = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        guard socketpair(AF_UNIX, streamCloseOnExec, 0, &out) == 0 else { return failed("socketpair: \(String(cString: strerror(errno)))") }
        guard socketpair(AF_UNIX, streamCloseOnExec, 0, &err) == 0 else {
            close(out[0]); close(out[1])
            return failed("socketpair: \(String(cString: strerror(errno)))")
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, out[1], 1)
        posix_spawn_file_actions_adddup2(&actions, err[1], 2)
        closeFrom3(&actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t(), allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        close(out[1])
        close(err[1])
        guard spawned == 0 else {
            close(out[0]); close(err[0])
            return failed("cannot start \(executable): \(String(cString: strerror(spawned)))")
        }

        // Both pipes are read at once, so a chatty command never stalls on a full one.
        let group = DispatchGroup()
        let stderrBox = Mutex(Data())
        let stderrFD = err[0]
        group.enter()
        DispatchQueue.global().async {
            let data = readAll(stderrFD)
            stderrBox.withLock { $0 = data }
            group.leave()
        }
        let stdoutData = readAll(out[0])
        group.wait()
        let stderrData = stderrBox.withLock { $0 }
        close(out[0])
        close(err[0])

        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import (macros).
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Outcome(status: code, stdout: String(decoding: stdoutData, as: UTF8.self), stderr: String(decoding: stderrData, as: UTF8.self))
    }

    /// Adds "close every descriptor from 3 up" to `actions`: glibc's `posix_spawn_file_actions_addclosefrom_np`
    /// (2.34+, not imported without _GNU_SOURCE, so looked up), else one close per descriptor open now.
    /// Without it a daemon the child starts could keep a descriptor of ours (another child's
    /// pipe, a listening socket) open for its whole life.
    private static func closeFrom3(_ actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
            return
        }
        let open = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap(Int32.init)
        for fd in open where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
    }

    private static func readAll(_ fd: Int32) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n > 0 {
                data.append(contentsOf: buffer[0..<n])
            } else if n < 0, errno == EINTR {
                continue
            } else {
                return data
            }
        }
    }

    private static func failed(_ message: String) -> Outcome { Outcome(status: -1, stdout: "", stderr: message) }
}
