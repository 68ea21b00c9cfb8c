/// The shell's own words, handled before the command parser: `help`, `\format`, `\pager`,
/// `quit` and `exit`.
enum SessionCommand {
    static let words = ["help", "\\format", "\\pager", "quit", "exit"]

    /// What Tab offers after one of these words, or nil when `name` is not one.
    static func completion(_ name: String) -> CompletionSpec.Value? {
        switch name {
        case "help": return .command
        case "\\format": return .words(OutputFormat.allCases.map(\.rawValue))
        case "\\pager": return .words(["on", "off"])
        case "quit", "exit": return .free
        default: return nil
        }
    }

    static let help: [String: String] = [
        "help": "help [COMMAND] — the command list, or one command's help.",
        "\\format": "\\format table|csv|json — the output format of commands run without --format (shown when no value).",
        "\\pager": "\\pager on|off — send output taller than the terminal through $PAGER (default less -FRX).",
        "quit": "quit — leave the shell (exit and Ctrl-D too).",
        "exit": "exit — leave the shell (quit and Ctrl-D too).",
    ]

    enum Result { case handled(String), quit }

    /// Runs `words` when it is a session command; nil otherwise.
    static func run(_ words: [String], session: SessionState, width: Int) throws -> Result? {
        guard let name = words.first else { return nil }
        let rest = Array(words.dropFirst())
        switch name {
        case "help":
            return .handled(try HelpCommand.render(rest, session: session, width: width))
        case "quit", "exit":
            return .quit
        case "\\format":
            guard let value = rest.first else { return .handled("format: \(session.format.rawValue)\n") }
            guard rest.count == 1, let format = OutputFormat(rawValue: value) else { throw CLIError(.usage, "usage: \\format table|csv|json") }
            session.format = format
            return .handled("Output format is \(format.rawValue).\n")
        case "\\pager":
            guard let value = rest.first else { return .handled("pager: \(session.pager ? "on" : "off")\n") }
            guard rest.count == 1, value == "on" || value == "off" else { throw CLIError(.usage, "usage: \\pager on|off") }
            session.pager = value == "on"
            return .handled("Pager is \(value).\n")
        default:
            if name.hasPrefix("\\") { throw CLIError(.usage, "unknown command '\(name)'; `help` lists them") }
            return nil
        }
    }
}
