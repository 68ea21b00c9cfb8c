import Foundation
import ScorecardCache
import ScorecardCore
import ScorecardSync

/// What a command runs with: where output goes, how it is laid out, the default format, the
/// accounts, and (in the shell) the session.
public struct CommandContext: Sendable {
    public var terminal: TerminalInfo
    /// The format when a command has no `--format` (`\format` changes it in the shell).
    public var defaultFormat: OutputFormat
    public var accounts: AccountStore
    /// Today in UTC (fixed in tests).
    public var today: CivilDate
    /// The command's output, flushed after it ends.
    public let output: OutputBuffer
    /// The shell session, when running inside one.
    public let session: SessionState?

    public init(
        terminal: TerminalInfo, defaultFormat: OutputFormat = .table, accounts: AccountStore = AccountStore(),
        today: CivilDate = DateRange.today(), output: OutputBuffer = OutputBuffer(), session: SessionState? = nil
    ) {
        self.terminal = terminal
        self.defaultFormat = defaultFormat
        self.accounts = accounts
        self.today = today
        self.output = output
        self.session = session
    }

    /// A one-shot command's context, from the environment.
    public static func standalone() -> CommandContext { CommandContext(terminal: .detect()) }

    public var style: Style { terminal.style }

    /// `explicit`, else the default format.
    public func format(_ explicit: OutputFormat?) -> OutputFormat { explicit ?? defaultFormat }

    /// Appends to the command's output.
    public func write(_ text: String) { output.write(text) }

    /// The current account, or exit 4 with the login hint.
    public func account() throws -> Account {
        let current: Account?
        do {
            current = try accounts.current()
        } catch {
            throw CLIError(.failure, "cannot read the accounts file in \(accounts.configDirectory): \(error)")
        }
        guard let current else {
            throw CLIError(.loginNeeded, "no account yet; run `scorecard login --server URL --user ID` (or `scorecard demo`)")
        }
        return current
    }

    /// The current account's mirror (opened once per session).
    public func mirror() throws -> Mirror { try mirror(for: try account()) }

    /// An account's mirror, bound to it; clear errors for foreign or newer files.
    public func mirror(for account: Account) throws -> Mirror {
        let path = accounts.mirrorPath(account)
        if let cached = session?.cachedMirror(path) { return cached }
        let mirror = try mirrorCall {
            // One-shot commands and scripts: one connection. The interactive shell: a pool, so
            // its background sync never holds up a command.
            let m = try Mirror(path: path, concurrentReads: session?.concurrentReads ?? false)
            if try m.meta(.person) != account.person || m.meta(.server) != account.server {
                try m.bind(server: account.server, person: account.person)
            }
            return m
        }
        session?.cacheMirror(mirror, path: path)
        return mirror
    }

    /// An API client with the stored token, or exit 4.
    public func client(for account: Account) throws -> APIClient {
        guard let token = accounts.token(account) else {
            throw CLIError(.loginNeeded, "not logged in to \(account.server) as \(account.person); run `scorecard login`")
        }
        guard let url = URL(string: account.server) else { throw CLIError(.failure, "bad server URL '\(account.server)'") }
        return APIClient(server: url, token: token)
    }
}
