import Foundation
import ScorecardCore

/// One account: a person on a server, with its own mirror and token.
public struct Account: Codable, Sendable, Hashable {
    /// Base URL, e.g. `http://127.0.0.1:8080`.
    public var server: String
    public var person: String
    /// The directory name under which the mirror and token live (`host:port`, or `demo`).
    public var hostKey: String

    public init(server: String, person: String, hostKey: String? = nil) {
        self.server = server
        self.person = person
        self.hostKey = hostKey ?? Account.hostKey(for: server)
    }

    /// `hostKey/person`, how `accounts` names it.
    public var key: String { "\(hostKey)/\(person)" }

    /// `host` or `host:port` of a server URL.
    public static func hostKey(for server: String) -> String {
        guard let url = URL(string: server), let host = url.host else { return "unknown" }
        return url.port.map { "\(host):\($0)" } ?? host
    }

    enum CodingKeys: String, CodingKey {
        case server, person
        case hostKey = "host_key"
    }
}

/// The client's accounts, tokens and mirrors on disk.
///
/// * `$XDG_CONFIG_HOME/scorecard/accounts.json` — accounts and the current one;
/// * `$XDG_CONFIG_HOME/scorecard/tokens/<host>/<person>.token` — the token, 0600;
/// * `$XDG_DATA_HOME/scorecard/<host>/<person>.sqlite` — the mirror, 0600.
public struct AccountStore: Sendable {
    public var configDirectory: String
    public var dataDirectory: String

    public init(configDirectory: String = XDG.configHome + "/scorecard", dataDirectory: String = XDG.dataHome + "/scorecard") {
        self.configDirectory = configDirectory
        self.dataDirectory = dataDirectory
    }

    struct File: Codable {
        var current: String?
        var accounts: [Account]
    }

    var accountsPath: String { configDirectory + "/accounts.json" }

    func load() throws -> File {
        guard let data = FileManager.default.contents(atPath: accountsPath) else { return File(current: nil, accounts: []) }
        return try JSONDecoder().decode(File.self, from: data)
    }

    func save(_ file: File) throws {
        try FileManager.default.createDirectory(atPath: configDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try Self.writePrivate(try WireJSON.encoder().encode(file), to: accountsPath)
    }

    /// Every account.
    public func accounts() throws -> [Account] { try load().accounts }

    /// The current account, if any.
    public func current() throws -> Account? {
        let file = try load()
        return file.accounts.first { $0.key == file.current } ?? file.accounts.first
    }

    /// Adds or updates an account and makes it current.
    public func use(_ account: Account) throws {
        var file = try load()
        file.accounts.removeAll { $0.key == account.key }
        file.accounts.append(account)
        file.accounts.sort { $0.key < $1.key }
        file.current = account.key
        try save(file)
    }

    /// Makes the account named `key` (or just its person id, when unique) current.
    public func switchTo(_ key: String) throws -> Account? {
        var file = try load()
        let matches = file.accounts.filter { $0.key == key || $0.person == key }
        guard matches.count == 1 else { return nil }
        file.current = matches[0].key
        try save(file)
        return matches[0]
    }

    /// Removes an account's token (the mirror stays, so pending edits are kept).
    public func forgetToken(_ account: Account) throws {
        try? FileManager.default.removeItem(atPath: tokenPath(account))
    }

    /// The token file of an account.
    public func tokenPath(_ account: Account) -> String {
        configDirectory + "/tokens/\(account.hostKey)/\(account.person).token"
    }

    /// The stored token, if any.
    public func token(_ account: Account) -> String? {
        FileManager.default.contents(atPath: tokenPath(account)).map { String(decoding: $0, as: UTF8.self) }
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Stores a token readable by the user alone.
    public func setToken(_ token: String, for account: Account) throws {
        let path = tokenPath(account)
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try Self.writePrivate(Data(token.utf8), to: path)
    }

    /// The mirror file of an account.
    public func mirrorPath(_ account: Account) -> String {
        dataDirectory + "/\(account.hostKey)/\(account.person).sqlite"
    }

    /// Writes a file created 0600, atomically.
    static func writePrivate(_ data: Data, to path: String) throws {
        let temp = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temp, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        guard rename(temp, path) == 0 else {
            let code = errno
            try? FileManager.default.removeItem(atPath: temp)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, NSUnderlyingErrorKey: POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)])
        }
    }
}
