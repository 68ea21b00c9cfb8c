import Foundation
import Testing

/// The real `scorecard` binary in a tmux pane (120×40, TERM=dumb) on a private tmux server,
/// driven as a person would: `send-keys` to type, `capture-pane` to read the screen.
struct Tmux {
    static let path = ["/usr/bin/tmux", "/usr/local/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static var missing: Bool { path == nil }

    let socket: String
    let sandbox: Sandbox

    init(sandbox: Sandbox) {
        self.sandbox = sandbox
        socket = "scsh-\(UUID().uuidString.prefix(8))"
    }

    /// Runs `tmux -L SOCKET ARGUMENTS` (posix_spawn and waitpid: quick, and nothing waits on the
    /// descriptors the forked tmux server keeps); its standard output goes through a file.
    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        let path = sandbox.root.path + "/tmux-\(UUID().uuidString).out"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var env = sandbox.environment
        env["TERM"] = "dumb"
        env.removeValue(forKey: "TMUX")
        let argv = ([Tmux.path!, "-L", socket, "-f", "/dev/null"] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // A clean signal state: the test process's blocked or ignored signals must not reach the
        // tmux server (it would never reap its children).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        guard posix_spawn(&pid, Tmux.path!, &actions, &attributes, argv, envp) == 0 else { throw TmuxFailed() }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
    }

    struct TmuxFailed: Error {}

    /// Starts `scorecard ARGUMENTS` in a new detached session; the pane stays after it exits.
    func start(_ arguments: [String]) throws {
        guard let binary = scorecardBinary else { throw BinaryMissing() }
        let env = sandbox.environment
        let vars = ["XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "HOME"].map { "\($0)=\(env[$0]!)" }
        // `sh` prints the exit status when the shell ends, for ``exitStatus()``.
        // `trap : INT` keeps that `sh` alive through the Ctrl-C a test sends to the pane.
        let command = "sh -c 'trap : INT; " + (["env", "TERM=dumb", "NO_COLOR=1", "PAGER=cat", "COLUMNS=120"] + vars + [binary] + arguments).joined(separator: " ")
            + "; echo \"[exit status $?]\"'"
        try tmux(["new-session", "-d", "-x", "120", "-y", "40", "-s", "t", command, ";", "set-option", "-w", "-t", "t", "remain-on-exit", "on"])
    }

    /// Types `text` literally.
    func type(_ text: String) throws { try tmux(["send-keys", "-t", "t", "-l", text]) }

    /// Presses keys by name (`Enter`, `Tab`, `C-c`, `C-d`, `Up`).
    func press(_ keys: String...) throws { try tmux(["send-keys", "-t", "t"] + keys) }

    /// The visible screen, trailing blank lines removed.
    func screen() throws -> String {
        var text = try tmux(["capture-pane", "-p", "-t", "t"])
        while text.hasSuffix("\n\n") { text.removeLast() }
        return text
    }

    /// Exit status of the pane's `scorecard` once it has ended, else nil.
    func exitStatus() throws -> Int32? {
        let screen = try screen()
        guard let range = screen.range(of: "[exit status ", options: .backwards) else { return nil }
        return Int32(screen[range.upperBound...].prefix { $0.isNumber })
    }

    /// Polls the screen every 50 ms until `predicate` holds (at most `seconds`); returns it.
    @discardableResult
    func waitFor(_ what: String, seconds: Double = 15, sourceLocation: SourceLocation = #_sourceLocation, _ predicate: (String) -> Bool) async throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if predicate(last) { return last }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("timed out waiting for \(what); the screen:\n\(last)", sourceLocation: sourceLocation)
        throw TimedOut()
    }

    struct TimedOut: Error {}

    /// Waits for the `n`th prompt on the screen.
    func waitForPrompt(_ n: Int = 1, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await waitFor("prompt #\(n)", sourceLocation: sourceLocation) { Tmux.prompts(in: $0) >= n }
    }

    static func prompts(in screen: String) -> Int { screen.components(separatedBy: "scorecard agent-001@").count - 1 }

    func kill() { _ = try? tmux(["kill-server"]) }
}
