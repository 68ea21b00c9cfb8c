import Foundation
import Logging
import ScorecardCore
import ScorecardServer
import ScorecardStorePostgres
import ScorecardStoreSQLite
import ScorecardTesting

/// Where a benchmark keeps its data: a SQLite file in a temp directory, or a throwaway database
/// on the PostgreSQL server a `--database postgres://…` URL names (created per run, dropped after;
/// the role needs CREATEDB).
enum BenchBackend: CustomStringConvertible {
    case sqlite
    case postgres(PostgresSettings)

    /// SQLite, plus PostgreSQL when `url` is given.
    static func all(_ url: String?) throws -> [BenchBackend] {
        guard let url else { return [.sqlite] }
        return [.sqlite, .postgres(try PostgresSettings(url: url))]
    }

    var description: String {
        switch self {
        case .sqlite: "SQLite"
        case .postgres: "PostgreSQL"
        }
    }
}

/// A fresh store for one run, behind a live server on a loopback port.
final class BenchServer: Sendable {
    let running: RunningServer
    let store: any ServerStore
    private let cleanup: @Sendable () async -> Void

    var baseURL: String { running.baseURL }
    var port: Int { running.port }

    private init(running: RunningServer, store: any ServerStore, cleanup: @escaping @Sendable () async -> Void) {
        self.running = running
        self.store = store
        self.cleanup = cleanup
    }

    static func quietLogger() -> Logger {
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        return logger
    }

    /// A fresh store on `backend` (nothing served), the `--database` value that names it, and
    /// what removes it.
    static func openStore(_ backend: BenchBackend, counter: PostgresStatementCounter? = nil) async throws
        -> (store: any ServerStore, location: String, cleanup: @Sendable () async -> Void)
    {
        let logger = quietLogger()
        switch backend {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scorecard-bench-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let path = directory.path + "/server.sqlite"
            let store = try SQLiteStore(path: path)
            return (store, "sqlite:" + path, { try? FileManager.default.removeItem(at: directory) })
        case .postgres(let settings):
            let name = "scorecard_bench_\(getpid())_\(UInt32.random(in: 0...UInt32.max))"
            try await PostgresStore.createDatabase(name, on: settings, logger: logger)
            let target = PostgresStore.settings(settings, database: name)
            let store = try await PostgresStore.open(target, logger: logger, counter: counter)
            let url = "postgres://\(target.user)@\(target.host):\(target.port)/\(name)"
            return (store, url, {
                await store.close()
                try? await PostgresStore.dropDatabase(name, on: settings, logger: logger)
            })
        }
    }

    static func start(_ backend: BenchBackend) async throws -> BenchServer {
        let (store, _, cleanup) = try await openStore(backend)
        var configuration = ServerConfiguration()
        configuration.port = 0
        let logger = quietLogger()
        let running = try await RunningServer.start(services: ServerServices(store: store, configuration: configuration, logger: logger), logger: logger)
        return BenchServer(running: running, store: store, cleanup: cleanup)
    }

    func stop() async {
        await running.stop()
        await cleanup()
    }

    /// A person whose password is `pw-<id>`.
    func addPerson(_ id: String, role: Role = .agent, team: String? = nil) async throws {
        let person = Person(id: id, name: "Person \(id)", email: "\(id)@example.test", role: role, teamID: team, active: true)
        try await store.createPerson(person, passwordHash: try await Credentials.hashPassword("pw-\(id)", cost: 4))
    }

    func login(_ id: String) async throws -> String {
        let response = try await request("POST", "/api/v1/auth/login", body: try WireJSON.encode(LoginRequest(personID: id, password: "pw-\(id)")))
        guard response.status == 200 else { throw TestHTTPError(status: response.status, body: response.text) }
        return try WireJSON.decode(LoginResponse.self, from: response.body).token
    }

    func request(_ method: String, _ path: String, token: String? = nil, body: Data? = nil) async throws -> TestResponse {
        try await TestHTTP.send(method, baseURL + path, token: token, body: body)
    }
}
