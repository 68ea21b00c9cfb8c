import ArgumentParser

/// Every command the shell and the one-shot CLI share, in the order `help` lists them.
///
public enum CommandRegistry {
    public static let commands: [any ShellCommand.Type] = [
        StatsCommand.self, CallsCommand.self, ScoresCommand.self, ReviewsCommand.self, ReviewCommand.self, AckCommand.self,
        GoalsCommand.self, GoalCommand.self, ConflictsCommand.self, OutboxCommand.self, FeedbackCommand.self, SyncCommand.self, VerifyCommand.self,
        StatusCommand.self, AccountsCommand.self, LoginCommand.self, LogoutCommand.self,
    ]

    /// The command called `name`, if any.
    public static func command(named name: String) -> (any ShellCommand.Type)? {
        commands.first { $0._commandName == name }
    }

    /// Command names, then the shell's own words (help, \format, \pager, quit, exit).
    public static var names: [String] { commands.map { $0._commandName } + SessionCommand.words }
}

/// The registry as one root, for `help COMMAND`'s text (a shell line itself is parsed by its
/// command's own type). The one-shot CLI's root (`scorecard`) lists the same types, plus `shell` and `demo`.
struct ShellRoot: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scorecard", subcommands: CommandRegistry.commands.map { $0 as any ParsableCommand.Type })
}
