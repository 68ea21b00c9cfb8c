import Foundation
import Glibc
import Logging
import ScorecardCache
import ScorecardCore
import ScorecardServer
import ScorecardStoreSQLite
import ScorecardSync
import ScorecardTesting

/// The people every chaos run starts with, and the week they are scored for.
enum ChaosPeople {
    static let admin = "root"
    static let manager = "boss"
    static let agent = "ana"
    /// Teammates whose activity makes a scoring run long enough to be killed in the middle.
    static let teammates = (0..<120).map { "tm\($0)" }
    static let week = ISOWeek("2026-W45")!
    /// The goal the manager set before the run (version 1 in the template).
    static let seededGoal = "g-seeded"
}

/// The template database every run copies: people, a team, a scored week and one goal, made once
/// per campaign in-process (SQLiteStore), then served by `scorecard-server` child processes.
enum ChaosTemplate {
    static func make(in directory: String) async throws -> String {
        let path = directory + "/template.sqlite"
        do {
            let store = try SQLiteStore(path: path)
            func person(_ id: String, _ role: Role, team: String? = nil) async throws {
                let p = Person(id: id, name: "Person \(id)", email: "\(id)@example.test", role: role, teamID: team, active: true)
                try await store.createPerson(p, passwordHash: try await Credentials.hashPassword("pw-\(id)", cost: 4))
            }
            try await person(ChaosPeople.admin, .admin)
            try await person(ChaosPeople.manager, .manager)
            try await store.createTeam(Team(id: "t1", name: "Team 1", teamType: .support, managerPersonID: ChaosPeople.manager, active: true))
            for id in [ChaosPeople.agent] + ChaosPeople.teammates {
                try await person(id, .agent, team: "t1")
                try await store.addMember(teamID: "t1", personID: id, role: .member)
            }
            var records: [Result<ActivityRecord, RecordError>] = []
            for (n, id) in ([ChaosPeople.agent] + ChaosPeople.teammates).enumerated() {
                records += ChaosActivity.tickets(person: id, prefix: "T0-\(n)", count: 3, minutes: 40 + n % 50)
            }
            _ = try await Ingest.activities(records, store: store)
            var logger = Logger(label: "chaos")
            logger.logLevel = .critical
            _ = try await ScoringJob(store: store, logger: logger).score(period: ChaosPeople.week)
            let goal = Goal(
                id: ChaosPeople.seededGoal, personID: ChaosPeople.agent, domain: .support, metricKey: "sla_compliance_rate", label: "SLA above 90%",
                targetValue: 90, comparison: .gte, deadline: "2099-12-31", createdByPersonID: ChaosPeople.manager,
                createdAt: Timestamp.now(), updatedAt: Timestamp.now())
            try await store.createGoal(goal)
        }
        // The store is closed (its last connection checkpointed the WAL): one self-contained file.
        return path
    }
}

/// Activity records the runs ingest (tickets: the support domain's facts).
enum ChaosActivity {
    static func tickets(person: String, prefix: String, count: Int, minutes: Int) -> [Result<ActivityRecord, RecordError>] {
        let day = ChaosPeople.week.monday.adding(days: 1)
        return (0..<count).map { n in
            ActivityRecord.parse([
                "kind": .string("ticket"), "id": .string("\(prefix)-\(n)"), "person_id": .string(person),
                "opened_at": .string("\(day)T08:00:00Z"), "resolved_at": .string("\(day)T\(10 + n % 9):00:00Z"),
                "sla_met": .bool(n % 3 != 0), "resolution_minutes": .number(Double(minutes + n)),
            ])
        }
    }

    /// The same tickets as the API's JSON body.
    static func ticketsJSON(person: String, prefix: String, count: Int, minutes: Int) -> [[String: JSONValue]] {
        let day = ChaosPeople.week.monday.adding(days: 1)
        return (0..<count).map { n in
            [
                "kind": .string("ticket"), "id": .string("\(prefix)-\(n)"), "person_id": .string(person),
                "opened_at": .string("\(day)T08:00:00Z"), "resolved_at": .string("\(day)T\(10 + n % 9):00:00Z"),
                "sla_met": .bool(n % 3 != 0), "resolution_minutes": .number(Double(minutes + n)),
            ]
        }
    }
}

/// One run's world: a copy of the template served by a `scorecard-server` child on a fixed port,
/// a fault proxy in front of it, and a client sandbox whose account points at the proxy.
final class ChaosWorld: @unchecked Sendable {
    let directory: String
    let databasePath: String
    let port: Int
    let proxy: FaultProxy
    private(set) var server: ServerProcess
    let client: ChaosClient
    let serverBinary: String
    var adminToken = ""
    var managerToken = ""

    var serverURL: String { "http://127.0.0.1:\(port)" }
    var database: String { "sqlite:" + databasePath }

    init(template: String, root: String, run: Int, serverBinary: String, clientBinary: String) throws {
        directory = root + "/run-\(run)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        databasePath = directory + "/server.sqlite"
        try FileManager.default.copyItem(atPath: template, toPath: databasePath)
        port = try PostgresCluster.freePort()
        self.serverBinary = serverBinary
        server = try ServerProcess(database: "sqlite:" + databasePath, binary: serverBinary, port: port)
        proxy = try FaultProxy(upstreamPort: port)
        proxy.start()
        client = try ChaosClient(root: directory + "/client", binary: clientBinary, server: "http://127.0.0.1:\(proxy.port)")
    }

    func remove() {
        server.signal(SIGKILL)
        proxy.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Waits for the server, logs in the admin, the manager and the client's agent.
    func start() async throws {
        try await server.waitUntilReady()
        adminToken = try await login(ChaosPeople.admin)
        managerToken = try await login(ChaosPeople.manager)
        try client.register(person: ChaosPeople.agent, token: try await login(ChaosPeople.agent))
    }

    func login(_ id: String) async throws -> String {
        let r = try await TestHTTP.send("POST", serverURL + "/api/v1/auth/login", body: try WireJSON.encode(LoginRequest(personID: id, password: "pw-\(id)")))
        guard r.status == 200 else { throw ChaosFailure("login \(id) answered \(r.status): \(r.text)") }
        return try WireJSON.decode(LoginResponse.self, from: r.body).token
    }

    /// kill -9 of the server (if running), then a new process on the same port and database.
    func crashAndRestart(restoring backup: String? = nil) async throws {
        server.signal(SIGKILL)
        await server.wait()
        if let backup {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: databasePath + suffix) }
            try FileManager.default.copyItem(atPath: backup, toPath: databasePath)
        }
        server = try ServerProcess(database: database, binary: serverBinary, port: port)
        try await server.waitUntilReady()
    }

    /// A consistent copy of the live database (`sqlite3 .backup`, as docs/operations.md says).
    func backup() async throws -> String {
        let path = directory + "/backup-\(UUID().uuidString).sqlite"
        let out = try await ChaosProcess.run("/usr/bin/sqlite3", [databasePath, ".backup '\(path)'"])
        guard out.status == 0 else { throw ChaosFailure("sqlite3 .backup exited \(out.status): \(out.stderr)") }
        return path
    }

    /// `scorecard-server ARGUMENTS --database DB`, run to its end, or killed after `killAfter`.
    func serverCommand(_ arguments: [String], killAfter: Duration? = nil) async throws -> ChaosProcess.Outcome {
        let child = try ChaosProcess(serverBinary, arguments + ["--database", database], directory: directory)
        if let killAfter {
            try await Task.sleep(for: killAfter)
            child.kill9()
        }
        return await child.wait()
    }

    // MARK: - Requests straight to the server (the dialer, the manager), never through the proxy

    func request(_ method: String, _ path: String, token: String, body: Data? = nil, headers: [String: String] = [:]) async throws -> TestResponse {
        try await TestHTTP.send(method, serverURL + path, token: token, body: body, headers: headers)
    }

    /// CDRs for the agent: ids `prefix0…`, on the scored week's days.
    static func cdrs(prefix: String, count: Int) -> Data {
        let day0 = ChaosPeople.week.monday.daysSinceEpoch * 86_400 + 8 * 3600
        let records: [[String: String?]] = (0..<count).map { i in
            let t = Timestamp.format(epochSeconds: day0 + (i % 5) * 86_400 + i * 31)
            return [
                "CallID": "\(prefix)\(i)", "AgentID": ChaosPeople.agent,
                "StartTime": String(t.prefix(10)) + " " + String(t.dropFirst(11).prefix(8)),
                "Type": i % 3 == 0 ? "InBound" : "Manual", "Status": i % 5 == 0 ? "NotAnswered" : "Answered",
                "TalkTime": HMS.clock(i % 5 == 0 ? 0 : 30 + i % 400), "HandlingTime": HMS.clock(45 + i % 420),
                "Disposition": i % 7 == 0 ? "Appointment Booked" : "General Enquiry",
            ]
        }
        return try! JSONEncoder().encode(records)
    }

    /// Posts a CDR batch until the server answers 200 (a dialer that re-sends what was not
    /// acknowledged), restarting nothing itself; false if it never did within `attempts`.
    func ingestUntilAcknowledged(_ body: Data, attempts: Int = 100) async -> Bool {
        for _ in 0..<attempts {
            if let r = try? await request("POST", "/api/v1/ingest/cdr", token: adminToken, body: body), r.status == 200 { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}

/// A bench-side failure to set up or drive a run (not a violation: the run is reported as broken).
struct ChaosFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
