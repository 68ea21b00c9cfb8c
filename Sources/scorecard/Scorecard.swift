import ArgumentParser
import Foundation

/// `scorecard`: the agent's client. Every reading command works offline from the local mirror.
struct Scorecard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scorecard",
        abstract: "See your calls, KPIs and coaching, online or offline.",
        discussion: """
            Exit codes: 0 ok, 1 a command failed, 2 usage, 4 login needed, 5 the network was needed and was not there.
            Files: accounts and tokens in $XDG_CONFIG_HOME/scorecard/, mirrors in $XDG_DATA_HOME/scorecard/<host>/<person>.sqlite.
            """,
        subcommands: [
            Login.self, Logout.self, Accounts.self, Sync.self, Status.self, Stats.self, Calls.self, Demo.self,
        ])
}

/// The exit codes `scorecard` documents.
enum ExitStatus: Int32 {
    case ok = 0, failure = 1, usage = 2, loginNeeded = 4, offline = 5
}

/// A failure reported as one line on stderr with a documented exit code.
struct CLIError: Error, CustomStringConvertible {
    var status: ExitStatus
    var description: String

    init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.description = message
    }
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
        do {
            var command = try Scorecard.parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let error as CLIError {
            FileHandle.standardError.write(Data("scorecard: \(error.description)\n".utf8))
            exit(error.status.rawValue)
        } catch {
            let code = Scorecard.exitCode(for: error)
            if code == .success {
                Scorecard.exit(withError: error)  // --help, --version
            }
            let message = Scorecard.fullMessage(for: error)
            FileHandle.standardError.write(Data("\(message)\n".utf8))
            exit(code == .validationFailure ? ExitStatus.usage.rawValue : code.rawValue)
        }
    }
}
