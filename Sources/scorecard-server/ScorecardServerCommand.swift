import ArgumentParser
import Foundation
import Logging
import ScorecardCore
import ScorecardServer

@main
struct ScorecardServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scorecard-server",
        abstract: "The Scorecard server: ingest, KPIs, scope, and the per-person change feed.",
        discussion: "Exit codes: 0 ok, 1 failure, 64 usage.",
        subcommands: [
            Serve.self, TeamCommand.self, UserCommand.self, SettingsCommand.self, ScoreCommand.self, ReviewsCommand.self,
            GoalsCommand.self, DemoDataCommand.self,
            PruneTombstones.self, AuditCommand.self,
        ])
}

/// `--database`, shared by every command.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "sqlite:PATH (default: $XDG_DATA_HOME/scorecard-server/scorecard.sqlite) or postgres://…")
    var database: String?

    /// Opens the store (connecting and migrating, for PostgreSQL), then moves an LLM API key an
    /// older server kept in the database out to a 0600 file (``LLMKeyMigration``); failures are one line.
    func open() async throws -> any ServerStore {
        do {
            let location = try DatabaseLocation(database)
            let logger = stderrLogger("database", level: .warning)
            let store = try await location.open(logger: logger)
            do {
                try await LLMKeyMigration.run(store: store, directory: location.keyDirectory, actor: .commandLine(), logger: logger)
            } catch {
                await store.close()
                throw error
            }
            return store
        } catch let error as StoreError {
            throw CLIFailure(error.message)
        }
    }

    /// Runs `body` with the store open, and closes it after.
    func withStore<T>(_ body: (any ServerStore) async throws -> T) async throws -> T {
        let store = try await open()
        do {
            let value = try await body(store)
            await store.close()
            return value
        } catch {
            await store.close()
            throw error
        }
    }
}

/// A one-line message on stderr and exit code 1.
struct CLIFailure: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}

extension AsyncParsableCommand {
    /// Runs `body`, turning store errors into one-line failures.
    func reporting(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as StoreError {
            FileHandle.standardError.write(Data("scorecard-server: \(error.message)\n".utf8))
            throw ExitCode.failure
        } catch let error as CLIFailure {
            FileHandle.standardError.write(Data("scorecard-server: \(error.description)\n".utf8))
            throw ExitCode.failure
        }
    }
}

func readPassword(fromStdin: Bool) throws -> String {
    guard fromStdin else { throw ValidationError("Pass the password on standard input with --password-stdin.") }
    guard let line = readLine(strippingNewline: true), !line.isEmpty else {
        throw CLIFailure("no password on standard input")
    }
    guard line.count >= 8 else { throw CLIFailure("the password must have at least 8 characters") }
    return line
}

func stderrLogger(_ label: String, level: Logger.Level = .info) -> Logger {
    var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
    logger.logLevel = level
    return logger
}
