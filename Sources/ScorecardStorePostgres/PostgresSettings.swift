import Foundation
import NIOCore
import NIOSSL
import PostgresNIO
import ScorecardServerCore

/// Where and how to connect: `postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?options]`, completed
/// from libpq's environment variables and password file, as `psql` users expect.
///
/// Each part missing from the URL comes from `PGHOST`, `PGPORT`, `PGUSER`, `PGDATABASE`; the password
/// from the URL, else `PGPASSWORD`, else the password file (`PGPASSFILE`, default `~/.pgpass`, lines
/// `host:port:database:user:password` with `*` wildcards). A host starting with `/` is a Unix
/// socket directory (`?host=/var/run/postgresql`). Options: `sslmode` (`disable`, `prefer`,
/// `require`; default `prefer`, `disable` on loopback and sockets) and `pool_size` (default 20).
public struct PostgresSettings: Sendable, Equatable {
    public enum TLSMode: String, Sendable, Equatable {
        case disable, prefer, require
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var tls: TLSMode
    /// Connections the pool may open.
    public var poolSize: Int

    /// True when `host` names a Unix socket directory.
    public var usesSocket: Bool { host.hasPrefix("/") }

    /// Parses `url` with `environment` filling the gaps; throws `StoreError(.invalid)` with a
    /// sentence naming what is wrong. Never echoes the password.
    public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard let components = URLComponents(string: url), components.scheme == "postgres" || components.scheme == "postgresql" else {
            throw StoreError(.invalid, "--database must look like postgres://USER@HOST:PORT/DB, got '\(PostgresSettings.redacted(url))'")
        }
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] { query[item.name] = item.value ?? "" }
        let known: Set<String> = ["sslmode", "pool_size", "host", "port", "user", "dbname", "password"]
        if let unknown = query.keys.sorted().first(where: { !known.contains($0) }) {
            throw StoreError(.invalid, "unknown option '\(unknown)' in the PostgreSQL URL; known: sslmode, pool_size, host, port, user, dbname")
        }
        func nonEmpty(_ s: String?) -> String? { s.flatMap { $0.isEmpty ? nil : $0 } }
        host = nonEmpty(components.percentEncodedHost?.removingPercentEncoding) ?? nonEmpty(query["host"]) ?? nonEmpty(environment["PGHOST"]) ?? "127.0.0.1"
        let portText = components.port.map(String.init) ?? nonEmpty(query["port"]) ?? nonEmpty(environment["PGPORT"]) ?? "5432"
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw StoreError(.invalid, "the PostgreSQL port must be 1...65535, got '\(portText)'")
        }
        self.port = port
        guard let user = nonEmpty(components.user?.removingPercentEncoding) ?? nonEmpty(query["user"]) ?? nonEmpty(environment["PGUSER"])
            ?? nonEmpty(environment["USER"])
        else {
            throw StoreError(.invalid, "the PostgreSQL URL names no user (postgres://USER@HOST/DB, or set PGUSER)")
        }
        self.user = user
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard let database = nonEmpty(path.removingPercentEncoding) ?? nonEmpty(query["dbname"]) ?? nonEmpty(environment["PGDATABASE"]) else {
            throw StoreError(.invalid, "the PostgreSQL URL names no database (postgres://USER@HOST/DB, or set PGDATABASE)")
        }
        self.database = database
        let loopback = host.hasPrefix("/") || host == "localhost" || host == "127.0.0.1" || host == "::1"
        let mode = query["sslmode"] ?? environment["PGSSLMODE"] ?? (loopback ? "disable" : "prefer")
        switch mode {
        case "disable", "allow": tls = .disable
        case "prefer": tls = .prefer
        case "require", "verify-ca", "verify-full": tls = .require
        default: throw StoreError(.invalid, "sslmode must be disable, prefer or require, got '\(mode)'")
        }
        if let size = query["pool_size"] {
            guard let n = Int(size), (1...500).contains(n) else { throw StoreError(.invalid, "pool_size must be 1...500, got '\(size)'") }
            poolSize = n
        } else {
            poolSize = 20
        }
        password =
            nonEmpty(components.password?.removingPercentEncoding) ?? nonEmpty(query["password"]) ?? nonEmpty(environment["PGPASSWORD"])
            ?? PostgresSettings.passwordFromFile(
                environment["PGPASSFILE"] ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.pgpass"),
                host: host, port: port, database: database, user: user)
    }

    /// A single connection's configuration (the store's first connection, which migrates).
    func connectionConfiguration(timeout: Duration) throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if usesSocket {
            configuration = .init(unixSocketPath: host + "/.s.PGSQL.\(port)", username: user, password: password, database: database)
        } else {
            let tls: PostgresConnection.Configuration.TLS
            switch self.tls {
            case .disable: tls = .disable
            case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
            configuration = .init(host: host, port: port, username: user, password: password, database: database, tls: tls)
        }
        configuration.options.connectTimeout = .milliseconds(Int64(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000))
        return configuration
    }

    /// The URL with any password replaced, for messages and logs.
    public static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "postgres://…" }
        if components.password != nil { components.password = "***" }
        if let items = components.queryItems, items.contains(where: { $0.name == "password" }) {
            components.queryItems = items.map { $0.name == "password" ? URLQueryItem(name: "password", value: "***") : $0 }
        }
        return components.string ?? "postgres://…"
    }

    /// A human description without the password: `user@host:port/db`.
    public var description: String { "\(user)@\(host):\(port)/\(database)" }

    /// The first matching line of a libpq password file (`host:port:database:user:password`,
    /// `*` matches anything, `\:` and `\\` escape). A missing or unreadable file means no password.
    static func passwordFromFile(_ path: String, host: String, port: Int, database: String, user: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            var fields: [String] = []
            var field = ""
            var escaped = false
            for character in line {
                if escaped {
                    field.append(character)
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == ":" && fields.count < 4 {
                    fields.append(field)
                    field = ""
                } else {
                    field.append(character)
                }
            }
            fields.append(field)
            guard fields.count == 5 else { continue }
            let wanted = [host.hasPrefix("/") ? "localhost" : host, String(port), database, user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }
}
