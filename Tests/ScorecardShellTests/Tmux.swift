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

    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Tmux.path!)
        process.arguments = ["-L", socket, "-f", "/dev/null"] + arguments
        var env = sandbox.environment
        env["TERM"] = "dumb"
        env.removeValue(forKey: "TMUX")
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// Starts `scorecard ARGUMENTS` in a new detached session; the pane stays after it exits.
    func start(_ arguments: [String]) throws {
        guard let binary = scorecardBinary else { throw BinaryMissing() }
        let env = sandbox.environment
        let vars = ["XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "HOME"].map { "\($0)=\(env[$0]!)" }
        let command = (["env", "TERM=dumb", "NO_COLOR=1", "PAGER=cat", "COLUMNS=120"] + vars + [binary] + arguments).joined(separator: " ")
        try tmux(["new-session", "-d", "-x", "120", "-y", "40", "-s", "t", command])
        try tmux(["set-option", "-t", "t", "remain-on-exit", "on"])
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

    /// Exit status of the pane's process once it has ended, else nil.
    func exitStatus() throws -> Int32? {
        let fields = try tmux(["display-message", "-p", "-t", "t", "#{pane_dead} #{pane_dead_status}"]).split(separator: " ")
        guard fields.first == "1", fields.count == 2 else { return nil }
        return Int32(fields[1].trimmingCharacters(in: .whitespacesAndNewlines))
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

    static func prompts(in screen: String) -> Int { screen.components(separatedBy: "scorecard agent-001@127.0.0.1:9>").count - 1 }

    func kill() { _ = try? tmux(["kill-server"]) }
}
