import ArgumentParser

/// A command of both the one-shot CLI and the shell: `scorecard stats week` and `stats week`
/// typed in the shell parse with the same ArgumentParser type and run the same ``execute(in:)``.
///
/// A new command is one file: a type conforming to this protocol (its help in `configuration`,
/// its ``completion`` and its rendering next to it), listed once in ``CommandRegistry/commands``.
public protocol ShellCommand: AsyncParsableCommand {
    /// What Tab completes after the command's name.
    static var completion: CompletionSpec { get }

    /// Runs the command, writing its output to `context`.
    func execute(in context: CommandContext) async throws
}

extension ShellCommand {
    public static var completion: CompletionSpec { CompletionSpec() }

    /// The one-shot CLI: a context from the environment, the command, then the output (through
    /// the pager when it is long and standard output is a terminal).
    public mutating func run() async throws {
        let context = CommandContext.standalone()
        defer { context.output.flush(terminal: context.terminal, pager: true) }
        do {
            try await execute(in: context)
        } catch {
            throw CLIError.from(error)
        }
    }
}
