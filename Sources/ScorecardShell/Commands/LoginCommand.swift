import ArgumentParser
import Foundation
import ScorecardCore
import ScorecardSync

/// `login --server URL --user ID`.
public struct LoginCommand: ShellCommand {
    public static let configuration = CommandConfiguration(commandName: "login", abstract: "Log in to a server and make the account current.")

    @Option(help: "The server's base URL, e.g. http://127.0.0.1:8080.") var server: String
    @Option(help: "Your person id.") var user: String
    @Flag(help: "Read the password from standard input instead of prompting.") var passwordStdin = false

    public init() {}

    public static let completion = CompletionSpec(options: ["--server": .free, "--user": .free, "--password-stdin": .none, "--help": .none])

    public func execute(in context: CommandContext) async throws {
        guard let url = URL(string: server), url.scheme == "http" || url.scheme == "https", url.host != nil else {
            throw CLIError(.usage, "--server must be an http(s) URL such as http://127.0.0.1:8080")
        }
        let password: String
        if passwordStdin {
            password = readLine(strippingNewline: true) ?? ""
        } else if isatty(STDIN_FILENO) == 1 {
            password = getpass("Password for \(user): ").map { String(cString: $0) } ?? ""  // no echo
        } else {
            throw CLIError(.usage, "standard input is not a terminal; pass the password with --password-stdin")
        }
        guard !password.isEmpty else { throw CLIError(.usage, "empty password") }
        let base = server.hasSuffix("/") ? String(server.dropLast()) : server
        let response: LoginResponse
        do {
            response = try await APIClient(server: url, token: nil).login(personID: user, password: password)
        } catch SyncMachine.Failure.unauthorized(let message) {
            throw CLIError(.loginNeeded, "login failed: \(message)")
        } catch {
            throw CLIError.from(error)
        }
        let account = Account(server: base, person: response.person.id)
        try context.accounts.setToken(response.token, for: account)
        try context.accounts.use(account)
        _ = try context.mirror(for: account)
        context.write("Logged in as \(response.person.name) (\(response.person.id)) on \(base); token valid until \(response.expiresAt).\n")
        context.write("Run `scorecard sync` to fill your local mirror.\n")
    }
}

/// `logout`.
public struct LogoutCommand: ShellCommand {
    public static let configuration = CommandConfiguration(
        commandName: "logout", abstract: "Revoke the current account's token; the mirror and any pending edits stay.")

    public init() {}

    public func execute(in context: CommandContext) async throws {
        let account = try context.account()
        if let client = try? context.client(for: account) {
            do {
                try await client.logout()
            } catch {
                Output.error("scorecard: could not reach the server to revoke the token (\(error)); removed it locally\n")
            }
        }
        try context.accounts.forgetToken(account)
        context.write("Logged out of \(account.key).\n")
    }
}
