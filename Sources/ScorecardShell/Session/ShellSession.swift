import ArgumentParser
import Foundation
import ScorecardCore
import ScorecardSync

/// Runs shell lines: the session's own words, else the registry's commands through the same
/// ArgumentParser types as the one-shot CLI.
public final class ShellSession: Sendable {
    public let state: SessionState
    public let accounts: AccountStore
    /// True for a person at a terminal (errors do not stop the session; the pager may be used).
    public let interactive: Bool

    /// `state` defaults to a new one, with concurrent mirror reads when `interactive`.
    public init(accounts: AccountStore = AccountStore(), interactive: Bool, state: SessionState? = nil) {
        self.accounts = accounts
        self.interactive = interactive
        self.state = state ?? SessionState(concurrentReads: interactive)
    }

    /// What a line asks of the session after it ran.
    public enum Next: Sendable { case proceed, quit }

    /// Runs one line and writes its output; throws ``CLIError`` when it fails (exit 2 for usage).
    public func run(line: String) async throws -> Next {
        let terminal = TerminalInfo.detect()
        let words: [String]
        do {
            words = try Tokenizer.split(line)
        } catch {
            throw CLIError(.usage, "unterminated quote in: \(line)")
        }
        guard let name = words.first, !name.hasPrefix("#") else { return .proceed }
        let output = OutputBuffer()
        defer { output.flush(terminal: terminal, pager: interactive && state.pager) }
        if let result = try SessionCommand.run(words, session: state, width: terminal.width) {
            switch result {
            case .quit: return .quit
            case .handled(let text): output.write(text)
            }
            return .proceed
        }
        guard let commandType = CommandRegistry.command(named: name) else {
            throw CLIError(.usage, "unknown command '\(name)'; `help` lists the commands")
        }
        // The command's own type is the root: the same parse as under `scorecard`, without building
        // the other fifteen commands' argument sets first (about 0.4 ms of a cold start), and usage
        // text reads `stats [<period>]`, as the line is typed.
        let parsed: any ParsableCommand
        do {
            parsed = try commandType.parseAsRoot(Array(words.dropFirst()))
        } catch {
            if commandType.exitCode(for: error) == .success {
                output.write(HelpCommand.usage(commandType.fullMessage(for: error, columns: terminal.width)))
                return .proceed
            }
            throw CLIError(.usage, commandType.fullMessage(for: error, columns: terminal.width))
        }
        guard let command = parsed as? any ShellCommand else {
            // `COMMAND --help` parses to ArgumentParser's own help command, which throws the help.
            var other = parsed
            do {
                try other.run()
            } catch where commandType.exitCode(for: error) == .success {
                output.write(HelpCommand.usage(commandType.fullMessage(for: error, columns: terminal.width)))
                return .proceed
            }
            throw CLIError(.usage, "'\(name)' needs a subcommand; see `help \(name)`")
        }
        let context = CommandContext(terminal: terminal, defaultFormat: state.format, accounts: accounts, output: output, session: state)
        do {
            try await command.execute(in: context)
        } catch {
            throw CLIError.from(error)
        }
        return .proceed
    }

    /// Runs `lines` in order, stopping at the first failure (psql's ON_ERROR_STOP): the exit
    /// status of the failure, else 0. Errors go to stderr as `scorecard: message`.
    public func runScript(_ lines: [String]) async -> Int32 {
        for line in lines {
            do {
                if try await run(line: line) == .quit { return 0 }
            } catch {
                let failure = CLIError.from(error)
                Output.error(ShellSession.message(failure))
                return failure.status.rawValue
            }
        }
        return 0
    }

    /// How a failure is shown: one `scorecard: …` line (ArgumentParser's usage text as it is).
    static func message(_ error: CLIError) -> String {
        let text = error.description.hasSuffix("\n") ? String(error.description.dropLast()) : error.description
        return (text.hasPrefix("Error: ") ? text : "scorecard: " + text) + "\n"
    }
}
