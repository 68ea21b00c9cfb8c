import ArgumentParser
import Foundation
import ScorecardShell

/// `scorecard`: the agent's client. Every reading command works offline from the local mirror.
///
/// The commands are ScorecardShell's registry, the same types the shell parses its lines with;
/// this root adds `-c`, `shell` and `demo` (which needs the server, so it lives here).
struct Scorecard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scorecard",
        abstract: "See your calls, KPIs, scores, reviews and goals, online or offline.",
        discussion: """
            Every command also runs inside `scorecard shell`, and as `scorecard -c "COMMAND" [-c …]`.
            With commands on standard input (not a terminal), `scorecard` runs them one per line.
            Exit codes: 0 ok, 1 a command failed, 2 usage, 4 login needed, 5 the network was needed and was not there.
            Files: accounts and tokens in $XDG_CONFIG_HOME/scorecard/, mirrors in $XDG_DATA_HOME/scorecard/<host>/<person>.sqlite,
            shell history in $XDG_STATE_HOME/scorecard/history. See docs/shell.md.
            """,
        subcommands: CommandRegistry.commands.map { $0 as any ParsableCommand.Type } + [ShellEntry.self, Demo.self])

    @Option(name: .customShort("c"), help: ArgumentHelp("Run a shell command, e.g. -c \"stats today\" (repeatable); stops at the first failure.", valueName: "command"))
    var commands: [String] = []

    func run() async throws {
        if !commands.isEmpty {
            let status = await ShellSession(interactive: false).runScript(commands)
            if status != 0 { throw ExitCode(status) }
            return
        }
        if isatty(STDIN_FILENO) == 1 {
            Output.standard(Scorecard.helpMessage(columns: TerminalInfo.detect().width) + "\n")
            return
        }
        let status = await Shell.run(ShellOptions())
        if status != 0 { throw ExitCode(status) }
    }
}

/// `scorecard shell`.
struct ShellEntry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shell",
        abstract: "The interactive shell: every command, with completion, history and charts.",
        discussion: """
            On a terminal: GNU readline line editing, Tab completion, history in $XDG_STATE_HOME/scorecard/history,
            a prompt showing offline and pending state, a background sync every few minutes and, in between,
            while online, notices of new reviews, goals and feedback as they happen (a long-poll).
            Not on a terminal: commands are read one per line from standard input (no prompt, no echo)
            and the first failing command stops the shell with its exit code.
            """)

    @Flag(name: .customLong("auto-sync"), inversion: .prefixedNo, help: "Sync in the background while the shell is open.")
    var autoSync = true
    @Option(help: "Seconds between background syncs.") var autoSyncInterval = 300
    @Option(help: "Between them, while online, hear of changes as they happen: seconds each request waits (0: off).")
    var liveWait = 25

    func validate() throws {
        guard autoSyncInterval >= 5 else { throw ValidationError("--auto-sync-interval must be at least 5 seconds") }
        guard (0...60).contains(liveWait) else { throw ValidationError("--live-wait must be 0 (off) to 60 seconds") }
    }

    func run() async throws {
        var options = ShellOptions()
        options.autoSync = autoSync
        options.autoSyncInterval = .seconds(autoSyncInterval)
        options.liveWait = liveWait
        let status = await Shell.run(options)
        if status != 0 { throw ExitCode(status) }
    }
}

/// The commands of an argument list made only of `-c COMMAND` pairs, else nil.
func scriptCommands(_ arguments: [String]) -> [String]? {
    guard !arguments.isEmpty, arguments.count % 2 == 0 else { return nil }
    var commands: [String] = []
    for pair in stride(from: 0, to: arguments.count, by: 2) {
        guard arguments[pair] == "-c" else { return nil }
        commands.append(arguments[pair + 1])
    }
    return commands
}

/// glibc's `mallopt(M_ARENA_MAX, 1)`; `<malloc.h>` is not in Swift's Glibc module, so it is looked up.
func limitMallocArenas() {
    typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }  // RTLD_DEFAULT
    _ = unsafeBitCast(symbol, to: Mallopt.self)(-8, 1)  // M_ARENA_MAX = -8
}

@main
enum Main {
    static func main() async {
        // One malloc arena: the sync's fetch and apply run on different threads, and per-thread
        // arenas kept ~20 MiB of freed page buffers resident (docs/performance.md).
        limitMallocArenas()
        // A file that may not grow (`ulimit -f`) must fail the write (EFBIG: a clear "cannot write"
        // error, the mirror intact), not kill the process with SIGXFSZ mid-transaction.
        signal(SIGXFSZ, SIG_IGN)
        // `scorecard -c CMD [-c CMD …]` goes straight to the shell session: the root parse would
        // build the whole command tree by reflection first (about 3 ms of every start).
        if let script = scriptCommands(Array(CommandLine.arguments.dropFirst())) {
            exit(await ShellSession(interactive: false).runScript(script))
        }
        do {
            var command = try Scorecard.parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let error as CLIError {
            Output.error("scorecard: \(error.description)\n")
            exit(error.status.rawValue)
        } catch let error as ExitCode {
            exit(error.rawValue)
        } catch {
            let code = Scorecard.exitCode(for: error)
            if code == .success {
                Scorecard.exit(withError: error)  // --help, --version, --generate-completion-script
            }
            Output.error(Scorecard.fullMessage(for: error) + "\n")
            exit(code == .validationFailure ? ExitStatus.usage.rawValue : code.rawValue)
        }
    }
}
