import ArgumentParser

/// `help` and `help COMMAND` in the shell (and in `scorecard -c`); on the command line
/// `scorecard help COMMAND` is ArgumentParser's, with the same text.
enum HelpCommand {
    /// The command list, or one command's help.
    static func render(_ words: [String], session: SessionState?, width: Int) throws -> String {
        guard let name = words.first else { return list(session: session, width: width) }
        if let text = SessionCommand.help[name] { return text + "\n" }
        guard let command = CommandRegistry.command(named: name) else {
            throw CLIError(.usage, "no command '\(name)'; `help` lists them")
        }
        var stack: [any ParsableCommand.Type] = [command]
        for sub in words.dropFirst() {
            guard let next = stack.last!.configuration.subcommands.first(where: { $0._commandName == sub }) else { break }
            stack.append(next)
        }
        return usage(ShellRoot.helpMessage(for: stack.last!, columns: width))
    }

    /// ArgumentParser's help with the shell's spelling: `stats week`, not `scorecard stats week`.
    static func usage(_ text: String) -> String {
        text.replacingOccurrences(of: "USAGE: scorecard ", with: "USAGE: ")
            .replacingOccurrences(of: "`scorecard help ", with: "`help ")
            .replacingOccurrences(of: "'scorecard help ", with: "'help ") + (text.hasSuffix("\n") ? "" : "\n")
    }

    static func list(session: SessionState?, width: Int) -> String {
        var rows: [(String, String)] = CommandRegistry.commands.map { ($0._commandName + synopsis($0), $0.configuration.abstract) }
        rows += [
            ("help [COMMAND]", "This list, or one command's help (also `COMMAND --help`)."),
            ("\\format table|csv|json", "The default output format" + (session.map { " (now \($0.format.rawValue))" } ?? "") + "."),
            ("\\pager on|off", "Long output through $PAGER on a terminal" + (session.map { " (now \($0.pager ? "on" : "off"))" } ?? "") + "."),
            ("quit, exit", "Leave the shell (Ctrl-D too)."),
        ]
        let left = min(26, rows.map { $0.0.count }.max() ?? 10) + 2
        var out = "Commands (the same as `scorecard COMMAND` on the command line):\n"
        for (name, abstract) in rows {
            let first = "  " + Text.pad(name, left)
            out += Text.width(first) > left + 2 ? first + "\n" + Text.hanging(abstract, first: String(repeating: " ", count: left + 2), rest: String(repeating: " ", count: left + 2), width: width)
                : Text.hanging(abstract, first: first, rest: String(repeating: " ", count: left + 2), width: width)
        }
        out += "Tab completes commands, options, review and goal ids, periods and dates. See docs/shell.md.\n"
        return out
    }

    static func synopsis(_ command: any ShellCommand.Type) -> String {
        switch command._commandName {
        case "stats": return " [PERIOD]"
        case "review": return " ID"
        case "accounts": return " [switch ACCOUNT]"
        case "scores": return " [what-if M=V …]"
        default: return ""
        }
    }
}
