import Foundation
import GRDB
import ScorecardServer
import ScorecardStoreSQLite

/// One test's own database on a backend: a SQLite file in a fresh temp directory, or a fresh
/// database of the throwaway PostgreSQL cluster copied from a migrated template.
public struct TestDatabase: Sendable {
    public let backend: TestBackend
    /// A fresh temp directory, removed by ``remove()``: it holds the SQLite file (`server.sqlite`);
    /// tests may keep other scratch files there on either backend.
    public let directory: URL
    /// The PostgreSQL database's name (nil on SQLite).
    public let postgresName: String?
    /// The store's URL on PostgreSQL: `postgres://postgres@127.0.0.1:PORT/t_<n>?pool_size=N`.
    public let postgresURL: String?

    /// The SQLite file's path (meaningful on SQLite only).
    public var sqlitePath: String { directory.appendingPathComponent("server.sqlite").path }

    /// Connections each test store's pool may open on PostgreSQL: a few servers and stores run at
    /// once (``TestServerSlots``), so this keeps the cluster far below its `max_connections`.
    public static let postgresPoolSize = 6

    /// The migrated template every PostgreSQL test database is copied from.
    static let postgresTemplate = "scorecard_template"

    /// Makes the directory and, on PostgreSQL, the database.
    public static func create(_ backend: TestBackend) async throws -> TestDatabase {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scorecard-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        switch backend {
        case .sqlite:
            return TestDatabase(backend: backend, directory: directory, postgresName: nil, postgresURL: nil)
        case .postgres:
            do {
                let cluster = PostgresCluster.shared
                try await cluster.prepareTemplate(postgresTemplate) { url in
                    let store = try await PostgresTestStore.open(url: url)
                    await store.close()
                }
                let name = try await cluster.createDatabase(template: postgresTemplate)
                let url = try await cluster.url(database: name, poolSize: postgresPoolSize)
                return TestDatabase(backend: backend, directory: directory, postgresName: name, postgresURL: url)
            } catch {
                try? FileManager.default.removeItem(at: directory)
                throw error
            }
        }
    }

    /// Opens the backend's store on this database (migrating it; a no-op on the template's copy).
    /// Opens the store; `prepare` runs on every SQLite connection (tests count statements with
    /// it; PostgreSQL ignores it).
    public func openStore(prepare: (@Sendable (Database) throws -> Void)? = nil) async throws -> any ServerStore {
        switch backend {
        case .sqlite: return try SQLiteStore(path: sqlitePath, prepare: prepare)
        case .postgres: return try await PostgresTestStore.open(url: postgresURL!)
        }
    }

    /// Opens a PostgreSQL store at `url` the way the tests do (quiet; no `PG*` environment), for a
    /// database that is not a ``TestDatabase`` (a cluster of the test's own, say).
    public static func openPostgres(url: String) async throws -> any ServerStore {
        try await PostgresTestStore.open(url: url)
    }

    /// Runs a `SELECT COUNT(*) …` (or any query whose first column of the first row is an
    /// integer) outside the store: a read-only GRDB connection on SQLite, `psql` on PostgreSQL.
    /// Keep the SQL portable: the tables and columns have the same names on both backends
    /// (write booleans as `active = true`, which both accept).
    public func count(_ sql: String) async throws -> Int {
        switch backend {
        case .sqlite:
            var configuration = GRDB.Configuration()
            configuration.readonly = true
            let queue = try DatabaseQueue(path: sqlitePath, configuration: configuration)
            return try await queue.read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
        case .postgres:
            let text = try await PostgresCluster.shared.psql(sql, database: postgresName!)
            let first = text.split(separator: "\n").first.map(String.init) ?? ""
            guard let value = Int(first.split(separator: "|").first.map(String.init) ?? "") else {
                throw PostgresClusterError("`\(sql)` did not answer an integer: '\(text)'")
            }
            return value
        }
    }

    /// Runs statements outside the store (a GRDB connection on SQLite, `psql` on PostgreSQL):
    /// for a test that changes the database behind the server's back. Keep the SQL portable.
    public func execute(_ sql: String) async throws {
        switch backend {
        case .sqlite:
            let queue = try DatabaseQueue(path: sqlitePath)
            try await queue.write { db in try db.execute(sql: sql) }
        case .postgres:
            _ = try await PostgresCluster.shared.psql(sql, database: postgresName!)
        }
    }

    /// Drops the PostgreSQL database and deletes the directory. Close the store first.
    public func remove() async {
        if let postgresName { try? await PostgresCluster.shared.dropDatabase(postgresName) }
        try? FileManager.default.removeItem(at: directory)
    }
}
