import ArgumentParser
import Foundation
import ScorecardCore
import ScorecardServer
import ScorecardTesting

/// No-op pulls per second under `wrk`, against real `scorecard-server serve` processes: one on
/// SQLite, and one and two on one PostgreSQL database.
struct PullLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull-load",
        abstract: "No-op pulls per second with wrk: one scorecard-server on SQLite, then one and two on one PostgreSQL (with --database).",
        discussion: """
            Needs wrk (apt: wrk) and a release scorecard-server next to this binary (swift build -c release). Each server
            process gets its own port; with two processes, two wrk instances run at once, one per process, with half the
            connections each, and their rates are added. On a 2-core machine wrk, the servers and PostgreSQL share the cores.
            A password for PostgreSQL comes from PGPASSWORD or the password file, as for scorecard-server itself.
            """)

    @Option(help: "Also run on PostgreSQL: postgres://USER@HOST:PORT/DB (a throwaway database is created; needs CREATEDB).")
    var database: String?
    @Option(help: "Seconds per wrk run.") var duration = 10
    @Option(help: "Open connections in total.") var connections = 64
    @Option(help: "Calls the agent has (the pull is at the feed's head, so none is sent).") var calls = 1000
    @Option(help: "The scorecard-server binary (default: next to this one).") var server: String?

    func run() async throws {
        let binary = try siblingExecutable("scorecard-server", given: server, hint: "; build it with -c release")
        guard let wrk = ["/usr/bin/wrk", "/usr/local/bin/wrk"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw ValidationError("wrk is not installed (apt-get install wrk)")
        }
        var lines: [String] = []
        for backend in try BenchBackend.all(database) {
            let (store, location, cleanup) = try await BenchServer.openStore(backend)
            do {
                let head = try await seed(store)
                for processes in (backend.description == "SQLite" ? [1] : [1, 2]) {
                    let children = try (0..<processes).map { _ in
                        try ServerProcess(database: location, arguments: ["--log-level", "error"], binary: binary)
                    }
                    defer { children.forEach { $0.signal(SIGKILL) } }
                    for child in children { try await child.waitUntilReady() }
                    let token = try await login(children[0].baseURL)
                    let rates = try await withThrowingTaskGroup(of: WrkResult.self) { group in
                        for child in children {
                            group.addTask {
                                try Self.wrk(
                                    wrk, url: "\(child.baseURL)/api/v1/sync/pull?since=\(head)", token: token,
                                    connections: max(1, connections / processes), seconds: duration)
                            }
                        }
                        return try await group.reduce(into: [WrkResult]()) { $0.append($1) }
                    }
                    let total = rates.reduce(0) { $0 + $1.requestsPerSecond }
                    let errors = rates.reduce(0) { $0 + $1.errors }
                    let p99 = rates.map(\.p99).joined(separator: ", ")
                    lines.append(
                        "  \(backend.description.padding(toLength: 10, withPad: " ", startingAt: 0)) \(processes) process\(processes == 1 ? " " : "es")  \(fmt(total)) req/s  (p99 \(p99); non-2xx or errors: \(errors))")
                }
            } catch {
                await cleanup()
                throw error
            }
            await cleanup()
        }
        print("pull-load: no-op pulls (since = head), \(connections) connections, \(duration) s per run, release scorecard-server")
        print(lines.joined(separator: "\n"))
        print("  target: ≥ 5,000 req/s for one release process; two processes on one PostgreSQL should not collapse")
    }

    /// An agent with `calls` calls and a token; returns the feed's head.
    func seed(_ store: any ServerStore) async throws -> Int64 {
        let person = Person(id: "a1", name: "Agent", email: "a1@example.test", role: .agent, teamID: nil, active: true)
        try await store.createPerson(person, passwordHash: try await Credentials.hashPassword("pw-a1", cost: 4))
        return try await Self.ingestCalls(calls, agent: "a1", store: store)
    }

    /// `count` calls for `agent`, a minute apart from 2026-01-01, ingested; returns the agent's feed head.
    static func ingestCalls(_ count: Int, agent: String, store: any ServerStore) async throws -> Int64 {
        let day0 = CivilDate(year: 2026, month: 1, day: 1)!.daysSinceEpoch * 86_400
        let records = (0..<count).map { i in
            let t = Timestamp.format(epochSeconds: day0 + i * 61)
            return CDRFixture.record(id: "c\(i)", agent: agent, start: String(t.prefix(10)) + " " + String(t.dropFirst(11).prefix(8)))
        }
        _ = try await Ingest.calls(try CDRRecord.parseArray(try CDRFixture.json(records)), store: store)
        return try await store.pull(personID: agent, since: 0, limit: 1, resync: false).head
    }

    func login(_ baseURL: String) async throws -> String { try await Self.login(baseURL, "a1") }

    /// Logs `id` in (password `pw-<id>`) and returns the token.
    static func login(_ baseURL: String, _ id: String) async throws -> String {
        let response = try await TestHTTP.send("POST", baseURL + "/api/v1/auth/login", body: try WireJSON.encode(LoginRequest(personID: id, password: "pw-\(id)")))
        guard response.status == 200 else { throw TestHTTPError(status: response.status, body: response.text) }
        return try WireJSON.decode(LoginResponse.self, from: response.body).token
    }

    struct WrkResult: Sendable {
        var requestsPerSecond: Double
        var errors: Int
        var p99: String
    }

    /// Runs wrk with the bearer token and reads its summary.
    static func wrk(_ wrk: String, url: String, token: String, connections: Int, seconds: Int) throws -> WrkResult {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("scorecard-wrk-\(UUID().uuidString).lua")
        try "wrk.headers[\"Authorization\"] = \"Bearer \(token)\"\n".write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: wrk)
        process.arguments = ["-t1", "-c\(connections)", "-d\(seconds)s", "--latency", "-s", script.path, url]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        func value(after label: String) -> String? {
            guard let line = output.split(separator: "\n").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(label) }) else { return nil }
            return line.trimmingCharacters(in: .whitespaces).dropFirst(label.count).split(separator: " ").first.map(String.init)
        }
        guard let rate = value(after: "Requests/sec:").flatMap(Double.init) else { throw ValidationError("wrk printed no rate:\n\(output)") }
        let socketErrors = output.split(separator: "\n").first { $0.contains("Socket errors") }.map { line in
            line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }.reduce(0, +)
        } ?? 0
        let non2xx = value(after: "Non-2xx or 3xx responses:").flatMap(Int.init) ?? 0
        return WrkResult(requestsPerSecond: rate, errors: socketErrors + non2xx, p99: value(after: "99%") ?? "?")
    }
}
