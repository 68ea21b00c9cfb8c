import Foundation
import ScorecardCache
import ScorecardCore
import ScorecardSync

/// The current account, its mirror and an API client, resolved in one place.
struct ClientEnvironment {
    let store = AccountStore()

    /// The current account or exit 4 with the login hint.
    func account() throws -> Account {
        guard let account = try store.current() else {
            throw CLIError(.loginNeeded, "no account yet; run `scorecard login --server URL --user ID` (or `scorecard demo`)")
        }
        return account
    }

    /// The account's mirror, opened (clear errors for foreign or newer files).
    func mirror(_ account: Account) throws -> Mirror {
        do {
            let mirror = try Mirror(path: store.mirrorPath(account))
            try mirror.bind(server: account.server, person: account.person)
            return mirror
        } catch let error as MirrorError {
            throw CLIError(.failure, error.message)
        }
    }

    /// An API client with the stored token, or exit 4.
    func client(_ account: Account) throws -> APIClient {
        guard let token = store.token(account) else {
            throw CLIError(.loginNeeded, "not logged in to \(account.server) as \(account.person); run `scorecard login`")
        }
        guard let url = URL(string: account.server) else { throw CLIError(.failure, "bad server URL '\(account.server)'") }
        return APIClient(server: url, token: token)
    }
}

enum Terminal {
    /// True when `fd` is a terminal.
    static func isTTY(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    static func writeError(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }
}

/// `1234567` → `1,234,567`.
func grouped(_ n: Int) -> String {
    let digits = String(abs(n))
    var out = ""
    for (i, c) in digits.reversed().enumerated() {
        if i > 0 && i % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return (n < 0 ? "-" : "") + String(out.reversed())
}

/// Output formats of the reading commands.
enum OutputFormat: String, CaseIterable {
    case table, csv, json
}
