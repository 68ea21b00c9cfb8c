import Foundation
import Logging
import NIOCore
import NIOSSL
import PostgresNIO
import ScorecardCore
import ScorecardServerCore
import Synchronization

/// The PostgreSQL backend: any number of server processes on one database.
///
/// Everything that must hold across processes is in the database: the feed counter rows (bumped
/// with `UPDATE … RETURNING` in the writing transaction, so their row locks order commits), tokens
/// and sessions, login throttling, review runs, job leases (advisory locks). Bulk writers (ingest,
/// scoring) serialise on a transaction-scoped advisory lock, as SQLite's single writer does, and
/// send each batch as a few array-bound statements instead of one round trip per row.
public final class PostgresStore: ServerStore {
    let client: PostgresClient
    let logger: Logger
    let settings: PostgresSettings
    /// How long a request waits for a connection before the store answers `unavailable`.
    let leaseTimeout: Duration
    /// Counts statements when a benchmark asks (nil: not counted).
    public let counter: PostgresStatementCounter?
    private let runner: Task<Void, Never>
    private let closed = Mutex(false)
    /// When the store last found the database unreachable (seconds since 1970; 0: never).
    private let lastOutage = Atomic<Int>(0)

    private init(settings: PostgresSettings, logger: Logger, leaseTimeout: Duration, counter: PostgresStatementCounter?) {
        var configuration: PostgresClient.Configuration
        let tls: PostgresClient.Configuration.TLS
        switch settings.tls {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(.makeClientConfiguration())
        case .require: tls = .require(.makeClientConfiguration())
        }
        if settings.usesSocket {
            configuration = .init(
                unixSocketPath: settings.host + "/.s.PGSQL.\(settings.port)", username: settings.user, password: settings.password,
                database: settings.database)
        } else {
            configuration = .init(
                host: settings.host, port: settings.port, username: settings.user, password: settings.password, database: settings.database,
                tls: tls)
        }
        configuration.options.maximumConnections = settings.poolSize
        configuration.options.connectTimeout = leaseTimeout
        configuration.options.keepAliveBehavior = nil
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.logger = logger
        self.settings = settings
        self.leaseTimeout = leaseTimeout
        self.counter = counter
        runner = Task { await client.run() }
    }

    /// Connects, checks the schema and migrates it forward (once, under an advisory lock, however
    /// many processes start together). Fails with one sentence when the database cannot be
    /// reached, refuses the login, or was migrated by a newer server.
    public static func open(
        _ settings: PostgresSettings, logger: Logger = Logger(label: "scorecard-postgres"), leaseTimeout: Duration = .seconds(5),
        counter: PostgresStatementCounter? = nil
    ) async throws -> PostgresStore
    {
        // One plain connection first: its errors say exactly what is wrong (the pool would only
        // retry and time out), and the migrations run on it.
        do {
            let connection = try await PostgresConnection.connect(
                configuration: try settings.connectionConfiguration(timeout: leaseTimeout), id: 0, logger: logger)
            do {
                try await PostgresSchema.migrate(
                    PostgresSession(connection: connection, logger: logger, counter: nil), database: settings.database, logger: logger)
            } catch {
                try? await connection.close()
                throw error
            }
            try? await connection.close()
        } catch {
            throw PostgresStore.describe(error, settings: settings)
        }
        return PostgresStore(settings: settings, logger: logger, leaseTimeout: leaseTimeout, counter: counter)
    }

    /// Closes the pool; the store must not be used after.
    public func close() async {
        guard closed.withLock({ closed in
            defer { closed = true }
            return !closed
        }) else { return }
        runner.cancel()
        await runner.value
    }

    deinit { runner.cancel() }

    public func ping() async throws {
        try await withConnection { connection in
            try await connection.query("SELECT 1")
        }
    }
}

// MARK: Connections, transactions, errors

extension PostgresStore {
    /// Runs `body` on a pooled connection. A connection not leased within ``leaseTimeout`` (the
    /// database is down or every connection is busy) fails with `StoreError(.unavailable)`;
    /// connection-level failures during `body` do too.
    @discardableResult
    func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresSession) async throws -> T) async throws -> T {
        let leased = Flag()
        // While the database is known to be down, give up sooner: callers get their 503 at once.
        let timeout = PostgresStore.now - lastOutage.load(ordering: .relaxed) < 10 ? min(leaseTimeout, .milliseconds(500)) : leaseTimeout
        do {
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask {
                    try await self.client.withConnection { connection in
                        leased.set()
                        return try await body(PostgresSession(connection: connection, logger: self.logger, counter: self.counter))
                    }
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    if leased.isSet { return nil }  // leased in time: let the work finish
                    throw StoreError(.unavailable, "no database connection within \(timeout)")
                }
                while let next = try await group.next() {
                    if let value = next {
                        group.cancelAll()
                        return value
                    }
                }
                throw StoreError(.unavailable, "the database connection ended without an answer")
            }
        } catch {
            let mapped = PostgresStore.map(error)
            if let e = mapped as? StoreError, e.code == .unavailable { lastOutage.store(PostgresStore.now, ordering: .relaxed) }
            throw mapped
        }
    }

    /// Runs `body` in a READ COMMITTED transaction on one connection, committing when it returns
    /// and rolling back when it throws. A deadlock or serialization failure (another process won a
    /// race) runs it again, up to 4 times, with a short random pause.
    @discardableResult
    func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresSession) async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            do {
                return try await withConnection { connection in
                    try await connection.query("BEGIN")
                    do {
                        let value = try await body(connection)
                        try await connection.query("COMMIT")
                        return value
                    } catch {
                        _ = try? await connection.query("ROLLBACK")
                        throw error
                    }
                }
            } catch let error as PSQLError where attempt < 4 && PostgresStore.isRetryable(error) {
                attempt += 1
                try await Task.sleep(for: .milliseconds(Int.random(in: 5...(20 << attempt))))
            }
        }
    }

    /// Deadlock (40P01) or serialization failure (40001).
    static func isRetryable(_ error: PSQLError) -> Bool {
        guard error.code == .server, let state = error.serverInfo?[.sqlState] else { return false }
        return state == "40P01" || state == "40001"
    }

    /// Connection-level failures become `StoreError(.unavailable)` (the server answers 503 with
    /// Retry-After); anything else is passed on.
    static func map(_ error: any Error) -> any Error {
        if let error = error as? PSQLError {
            switch error.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
                return StoreError(.unavailable, "the database connection failed (\(error.code))")
            case .server:
                let state = error.serverInfo?[.sqlState] ?? ""
                // 08: connection exception; 57P: operator intervention (shutdown, cannot connect now); 53: insufficient resources.
                if state.hasPrefix("08") || state.hasPrefix("57P") || state.hasPrefix("53") {
                    return StoreError(.unavailable, "the database is not available (\(error.serverInfo?[.message] ?? state))")
                }
                return error
            default:
                return error
            }
        }
        if String(reflecting: type(of: error)).contains("ConnectionPoolError") {
            return StoreError(.unavailable, "the database cannot be reached")
        }
        return error
    }

    /// One sentence for a failure to open: what the operator should check.
    static func describe(_ error: any Error, settings: PostgresSettings) -> StoreError {
        if let error = error as? StoreError {
            if error.code == .unavailable {
                return StoreError(.unavailable, "cannot reach PostgreSQL at \(settings.description): \(error.message); is it running, and is the address right?")
            }
            return error
        }
        if let error = error as? PSQLError {
            if let state = error.serverInfo?[.sqlState], let message = error.serverInfo?[.message] {
                switch state {
                case "28P01", "28000": return StoreError(.invalid, "PostgreSQL refused the login for \(settings.description): \(message)")
                case "3D000": return StoreError(.invalid, "PostgreSQL has no database '\(settings.database)' at \(settings.description); create it first (docs/operations.md)")
                default: return StoreError(.invalid, "PostgreSQL at \(settings.description) answered: \(message) (\(state))")
                }
            }
            return StoreError(.unavailable, "cannot reach PostgreSQL at \(settings.description) (\(error.code)); is it running, and is the address right?")
        }
        return StoreError(.unavailable, "cannot open PostgreSQL at \(settings.description): \(error)")
    }

    /// Seconds since 1970, now.
    static var now: Int { Int(Date().timeIntervalSince1970) }
}

/// A leased connection with the store's logger and statement counter: every statement the
/// store sends goes through here.
struct PostgresSession: Sendable {
    let connection: PostgresConnection
    let logger: Logger
    let counter: PostgresStatementCounter?

    /// Runs `query`; its rows can be read from the result, or left.
    @discardableResult
    func query(_ query: PostgresQuery) async throws -> PostgresRowSequence {
        counter?.record(query.sql)
        return try await connection.query(query, logger: logger)
    }

    /// Executes a prepared statement (prepared once per connection, then reused).
    func execute<Statement: PostgresPreparedStatement>(_ statement: Statement) async throws
        -> AsyncThrowingMapSequence<PostgresRowSequence, Statement.Row>
    {
        counter?.record(Statement.sql)
        return try await connection.execute(statement, logger: logger)
    }

    /// The rows of `query`, each decoded as a tuple of `types`.
    @_disfavoredOverload
    func rows<each Column: PostgresDecodable & Sendable>(_ query: PostgresQuery, _ types: (repeat each Column).Type) async throws
        -> [(repeat each Column)]
    {
        var result: [(repeat each Column)] = []
        for try await row in try await self.query(query) { result.append(try row.decode(types)) }
        return result
    }

    /// The first row of `query` decoded as a tuple of `types`, if any.
    @_disfavoredOverload
    func row<each Column: PostgresDecodable & Sendable>(_ query: PostgresQuery, _ types: (repeat each Column).Type) async throws
        -> (repeat each Column)?
    {
        for try await row in try await self.query(query) { return try row.decode(types) }
        return nil
    }

    /// The single column of `query`'s rows.
    func rows<Value: PostgresDecodable>(_ query: PostgresQuery, _ type: Value.Type) async throws -> [Value] {
        var result: [Value] = []
        for try await row in try await self.query(query) { result.append(try row.decode(Value.self)) }
        return result
    }

    /// The single column of `query`'s first row, if any.
    func row<Value: PostgresDecodable>(_ query: PostgresQuery, _ type: Value.Type) async throws -> Value? {
        for try await row in try await self.query(query) { return try row.decode(Value.self) }
        return nil
    }

    /// Runs a statement and counts the rows it returns (`… RETURNING 1` counts the rows it changed).
    @discardableResult
    func count(_ query: PostgresQuery) async throws -> Int {
        var count = 0
        for try await _ in try await self.query(query) { count += 1 }
        return count
    }
}

/// Counts the statements a store sends, for benchmarks: executions, and distinct statement texts.
public final class PostgresStatementCounter: Sendable {
    private let state = Mutex<(executions: Int, texts: Set<String>, enabled: Bool)>((0, [], false))

    public init() {}

    func record(_ sql: String) {
        state.withLock {
            guard $0.enabled else { return }
            $0.executions += 1
            $0.texts.insert(sql)
        }
    }

    /// Starts (or stops) counting, from zero when starting.
    public func count(_ on: Bool) { state.withLock { $0 = (0, [], on) } }
    public var executions: Int { state.withLock { $0.executions } }
    public var distinct: Int { state.withLock { $0.texts.count } }
}

/// A flag one task sets and another reads.
final class Flag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .relaxed) }
    var isSet: Bool { value.load(ordering: .relaxed) }
}
