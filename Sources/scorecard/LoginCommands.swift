import ArgumentParser
import Foundation
import ScorecardCore
import ScorecardSync

struct Login: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Log in to a server and make the account current.")

    @Option(help: "The server's base URL, e.g. http://127.0.0.1:8080.") var server: String
    @Option(help: "Your person id.") var user: String
    @Flag(help: "Read the password from standard input instead of prompting.") var passwordStdin = false

    func run() async throws {
        guard let url = URL(string: server), url.scheme == "http" || url.scheme == "https", url.host != nil else {
            throw CLIError(.usage, "--server must be an http(s) URL such as http://127.0.0.1:8080")
        }
        let password: String
        if passwordStdin {
            password = readLine(strippingNewline: true) ?? ""
        } else if Terminal.isTTY(STDIN_FILENO) {
            password = getpass("Password for \(user): ").map { String(cString: $0) } ?? ""  // no echo
        } else {
            throw CLIError(.usage, "standard input is not a terminal; pass the password with --password-stdin")
        }
        guard !password.isEmpty else { throw CLIError(.usage, "empty password") }
        let env = ClientEnvironment()
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
        try env.store.setToken(response.token, for: account)
        try env.store.use(account)
        _ = try env.mirror(account)
        print("Logged in as \(response.person.name) (\(response.person.id)) on \(base); token valid until \(response.expiresAt).")
        print("Run `scorecard sync` to fill your local mirror.")
    }
}

struct Logout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Revoke the current account's token; the mirror and any pending edits stay.")

    func run() async throws {
        let env = ClientEnvironment()
        let account = try env.account()
        if let client = try? env.client(account) {
            do {
                try await client.logout()
            } catch {
                Terminal.writeError("scorecard: could not reach the server to revoke the token (\(error)); removed it locally\n")
            }
        }
        try env.store.forgetToken(account)
        print("Logged out of \(account.key).")
    }
}

struct Accounts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List accounts, or switch: `scorecard accounts switch HOST/PERSON`.",
        subcommands: [List.self, Switch.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts; * marks the current one.")

        func run() async throws {
            let env = ClientEnvironment()
            let current = try env.store.current()
            let accounts = try env.store.accounts()
            if accounts.isEmpty { print("No accounts; run `scorecard login` or `scorecard demo`.") }
            for account in accounts {
                let mark = account == current ? "*" : " "
                let token = env.store.token(account) == nil ? " (logged out)" : ""
                print("\(mark) \(account.key)  \(account.server)\(token)")
            }
        }
    }

    struct Switch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make another account current.")
        @Argument(help: "HOST/PERSON as `accounts` lists it, or a person id when unique.") var account: String

        func run() async throws {
            guard let switched = try ClientEnvironment().store.switchTo(account) else {
                throw CLIError(.failure, "no single account matches '\(account)'; see `scorecard accounts`")
            }
            print("Now using \(switched.key).")
        }
    }
}

extension CLIError {
    /// Maps a sync failure to an exit code.
    static func from(_ error: any Error) -> CLIError {
        guard let failure = error as? SyncMachine.Failure else { return CLIError(.failure, "\(error)") }
        switch failure {
        case .offline(let m): return CLIError(.offline, "offline: \(m)")
        case .unauthorized(let m): return CLIError(.loginNeeded, "\(m) — run `scorecard login`")
        case .transient(let m, _): return CLIError(.failure, m)
        case .rejected(let m): return CLIError(.failure, m)
        case .cursorExpired: return CLIError(.failure, "the server's feed expired; run `scorecard sync` again")
        }
    }
}
