import Foundation
import GRDB
import Logging
import ScorecardCore
import ScorecardServer
import Synchronization

/// A real server on a free loopback port with its own database on the given backend: a real
/// SQLite file in a fresh temp directory, or a fresh database of the throwaway PostgreSQL cluster.
///
/// ```swift
/// let server = try await TestServer.start(backend: .postgres)
/// defer { Task { await server.stop() } }
/// let token = try await server.login("agent-1")
/// ```
public final class TestServer: Sendable {
    public let running: RunningServer
    public let store: any ServerStore
    /// The server's database; removed by ``stop()``.
    public let database: TestDatabase

    public var backend: TestBackend { database.backend }
    /// A temp directory of the test's own (on SQLite it holds the database); removed by ``stop()``.
    public var directory: URL { database.directory }
    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { running.baseURL }
    public var port: Int { running.port }

    /// Set by the first ``stop()``, which alone closes the store, removes the database and gives
    /// the slot back.
    private let stopped = Atomic<Bool>(false)

    private init(running: RunningServer, store: any ServerStore, database: TestDatabase) {
        self.running = running
        self.store = store
        self.database = database
    }

    /// Starts a server on `backend`; `configure` may change the configuration (port is forced
    /// to 0); `makeCoach` replaces the coach the settings would pick (a stand-in for an LLM);
    /// `prepare` runs on every SQLite connection (tests count statements with it).
    public static func start(
        backend: TestBackend = .sqlite, configure: (inout ServerConfiguration) -> Void = { _ in },
        makeCoach: ReviewService.CoachFactory? = nil, prepare: (@Sendable (Database) throws -> Void)? = nil
    ) async throws -> TestServer {
        await TestServerSlots.shared.acquire()
        do {
            return try await startHoldingSlot(backend: backend, configure: configure, makeCoach: makeCoach, prepare: prepare)
        } catch {
            await TestServerSlots.shared.release()
            throw error
        }
    }

    private static func startHoldingSlot(
        backend: TestBackend, configure: (inout ServerConfiguration) -> Void, makeCoach: ReviewService.CoachFactory?,
        prepare: (@Sendable (Database) throws -> Void)?
    ) async throws -> TestServer {
        let database = try await TestDatabase.create(backend)
        let store: any ServerStore
        do {
            store = try await database.openStore(prepare: prepare)
        } catch {
            await database.remove()
            throw error
        }
        do {
            var configuration = ServerConfiguration()
            configure(&configuration)
            configuration.host = "127.0.0.1"
            configuration.port = 0
            var logger = Logger(label: "test-server")
            logger.logLevel = .critical
            let services = ServerServices(
                store: store, configuration: configuration, makeCoach: makeCoach ?? ReviewService.defaultCoach, logger: logger)
            let running = try await RunningServer.start(services: services, logger: logger)
            return TestServer(running: running, store: store, database: database)
        } catch {
            await store.close()
            await database.remove()
            throw error
        }
    }

    /// Stops the server, closes the store and removes its database (a second call only makes
    /// sure the server is stopped).
    public func stop() async {
        await running.stop()
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        await store.close()
        await database.remove()
        await TestServerSlots.shared.release()
    }

    /// Counts rows with plain SQL outside the store (see ``TestDatabase/count(_:)``).
    public func count(_ sql: String) async throws -> Int { try await database.count(sql) }

    /// Runs statements on the database behind the server's back (``TestDatabase/execute(_:)``).
    public func execute(_ sql: String) async throws { try await database.execute(sql) }

    // MARK: Seeding

    /// The password every seeded person gets: `pw-<id>`.
    public static func password(_ id: String) -> String { "pw-\(id)" }

    /// Creates a person (password ``password(_:)``) directly in the store.
    @discardableResult
    public func addPerson(_ id: String, role: Role = .agent, team: String? = nil, active: Bool = true) async throws -> Person {
        let person = Person(id: id, name: "Person \(id)", email: "\(id)@example.test", role: role, teamID: team, active: active)
        try await store.createPerson(person, passwordHash: try await Credentials.hashPassword(TestServer.password(id), cost: 4))
        return person
    }

    /// Creates a team directly in the store.
    public func addTeam(_ id: String, type: TeamType? = .support, manager: String? = nil, active: Bool = true) async throws {
        try await store.createTeam(Team(id: id, name: "Team \(id)", teamType: type, managerPersonID: manager, active: active))
    }

    /// Logs in over HTTP and returns the token.
    public func login(_ id: String, password: String? = nil) async throws -> String {
        let response = try await request("POST", "/api/v1/auth/login", json: LoginRequest(personID: id, password: password ?? TestServer.password(id)))
        guard response.status == 200 else { throw TestHTTPError(status: response.status, body: response.text) }
        return try WireJSON.decode(LoginResponse.self, from: response.body).token
    }

    /// Sends one HTTP request to the server with URLSession.
    public func request(
        _ method: String, _ path: String, token: String? = nil, body: Data? = nil, headers: [String: String] = [:]
    ) async throws -> TestResponse {
        try await TestHTTP.send(method, baseURL + path, token: token, body: body, headers: headers)
    }

    /// Sends a JSON body.
    public func request(_ method: String, _ path: String, token: String? = nil, json: some Encodable) async throws -> TestResponse {
        try await request(method, path, token: token, body: try WireJSON.encode(json))
    }
}

/// Bounds how many test servers run at once in one process. The test runner starts every test
/// together; on a 2-core machine a few hundred live servers, their clients and the `scorecard`
/// children some tests spawn starve each other until requests time out. A test waits here for a
/// slot before its server starts (`SCORECARD_TEST_SERVERS` overrides the default, twice the cores).
/// A PostgreSQL ``TestStore`` takes a slot too: with each pool at ``TestDatabase/postgresPoolSize``,
/// the cluster never sees more than a few dozen connections.
actor TestServerSlots {
    static let shared = TestServerSlots()

    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init() {
        let configured = ProcessInfo.processInfo.environment["SCORECARD_TEST_SERVERS"].flatMap(Int.init)
        free = max(1, configured ?? 2 * ProcessInfo.processInfo.activeProcessorCount)
    }

    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            free += 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}

extension TestServer {
    /// Waits (at most `timeout`) until exactly `count` pull requests wait on the server (the
    /// long-poll); false when they never did.
    @discardableResult
    public func waitForLongPolls(_ count: Int, timeout: Duration = .seconds(10)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while running.services.feedWaiters.count != count {
            guard ContinuousClock.now < deadline else { return false }
            try await Task.sleep(for: .milliseconds(20))
        }
        return true
    }
}
