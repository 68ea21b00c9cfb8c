import ArgumentParser
import Foundation
import ScorecardCore
import ScorecardSync

/// `accounts` and `accounts switch HOST/PERSON`.
public struct AccountsCommand: ShellCommand {
    public static let configuration = CommandConfiguration(
        commandName: "accounts", abstract: "List accounts, or switch: `accounts switch HOST/PERSON`.",
        subcommands: [List.self, Switch.self], defaultSubcommand: List.self)

    public init() {}

    public static let completion = CompletionSpec(arguments: [.words(["list", "switch"]), .account])

    public func execute(in context: CommandContext) async throws { try await List().execute(in: context) }

    /// `accounts list`.
    public struct List: ShellCommand {
        public static let configuration = CommandConfiguration(commandName: "list", abstract: "List accounts; * marks the current one.")

        @Option(help: "table or json.") var format: OutputFormat?

        public init() {}

        public func execute(in context: CommandContext) async throws {
            let current = try? context.accounts.current()
            let accounts: [Account]
            do {
                accounts = try context.accounts.accounts()
            } catch {
                throw CLIError(.failure, "cannot read the accounts file in \(context.accounts.configDirectory): \(error)")
            }
            if context.format(format) == .json {
                let rows = accounts.map {
                    AccountJSON(key: $0.key, server: $0.server, person: $0.person, current: $0 == current, loggedIn: context.accounts.token($0) != nil)
                }
                context.write(String(decoding: try WireJSON.encode(rows), as: UTF8.self) + "\n")
                return
            }
            if accounts.isEmpty { context.write("No accounts; run `scorecard login` or `scorecard demo`.\n") }
            for account in accounts {
                let mark = account == current ? "*" : " "
                let token = context.accounts.token(account) == nil ? " (logged out)" : ""
                context.write("\(mark) \(account.key)  \(account.server)\(token)\n")
            }
        }
    }

    /// `accounts switch HOST/PERSON`.
    public struct Switch: ShellCommand {
        public static let configuration = CommandConfiguration(commandName: "switch", abstract: "Make another account current.")
        @Argument(help: "HOST/PERSON as `accounts` lists it, or a person id when unique.") var account: String

        public init() {}

        public func execute(in context: CommandContext) async throws {
            guard let switched = try context.accounts.switchTo(account) else {
                throw CLIError(.failure, "no single account matches '\(account)'; see `accounts`")
            }
            context.write("Now using \(switched.key).\n")
        }
    }
}

struct AccountJSON: Encodable {
    var key: String
    var server: String
    var person: String
    var current: Bool
    var loggedIn: Bool

    enum CodingKeys: String, CodingKey {
        case key, server, person, current
        case loggedIn = "logged_in"
    }
}
