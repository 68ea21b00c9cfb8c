import Logging
import PostgresNIO
import ScorecardServerCore

extension PostgresStore {
    /// Creates database `name` on the server `settings` names (connecting to its `postgres`
    /// database with the same role, which needs CREATEDB), optionally as a copy of `template`.
    /// For benchmarks and tests that want a throwaway database.
    public static func createDatabase(_ name: String, on settings: PostgresSettings, template: String? = nil, logger: Logger) async throws {
        try await maintenance(settings, logger: logger) { c in
            let sql = "CREATE DATABASE \(quoted(name))" + (template.map { " TEMPLATE \(quoted($0))" } ?? "")
            try await c.query(PostgresQuery(unsafeSQL: sql))
        }
    }

    /// Drops database `name` (closing its other sessions first) if it exists.
    public static func dropDatabase(_ name: String, on settings: PostgresSettings, logger: Logger) async throws {
        try await maintenance(settings, logger: logger) { c in
            try await c.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(quoted(name)) WITH (FORCE)"))
        }
    }

    /// `settings` naming another database on the same server.
    public static func settings(_ settings: PostgresSettings, database: String) -> PostgresSettings {
        var copy = settings
        copy.database = database
        return copy
    }

    private static func maintenance(_ settings: PostgresSettings, logger: Logger, _ body: (PostgresSession) async throws -> Void) async throws {
        var target = settings
        target.database = "postgres"
        let connection = try await PostgresConnection.connect(configuration: try target.connectionConfiguration(timeout: .seconds(10)), id: 0, logger: logger)
        do {
            try await body(PostgresSession(connection: connection, logger: logger, counter: nil))
        } catch {
            try? await connection.close()
            throw describe(error, settings: target)
        }
        try? await connection.close()
    }

    /// An identifier in double quotes.
    static func quoted(_ identifier: String) -> String { "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}
