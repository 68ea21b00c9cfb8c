import Foundation
import ScorecardCore
import ScorecardServer
import ScorecardStoreSQLite
import ScorecardTesting
import Testing

/// Issue 16 part 5: every admin action leaves one audit entry with its actor, readable by admins
/// through `GET /api/v1/admin/audit` and `scorecard-server audit`.
@Suite("Audit log")
struct AuditTests {
    static let path = "/api/v1/admin/audit"

    /// The entries of the audit API (newest first).
    static func entries(_ server: TestServer, _ query: String = "", token: String) async throws -> [JSONValue] {
        let r = try await server.request("GET", path + query, token: token)
        try #require(r.status == 200, "\(r.status): \(r.text)")
        return try #require(try r.json["entries"]?.array)
    }

    @Test(arguments: TestBackend.all) func apiActionsLeaveOneEntryEachWithTheirActor(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let root = try await server.adminToken("root")
            try await server.addPerson("a1")
            let base = "/api/v1/admin/settings"

            #expect(try await server.request("PUT", "\(base)/flagged_threshold", token: root, body: Data(#"{"value": 65}"#.utf8)).status == 200)
            #expect(try await server.request("PUT", "\(base)/flagged_threshold", token: root, body: Data(#"{"value": null}"#.utf8)).status == 200)
            // Refused changes leave nothing.
            #expect(try await server.request("PUT", "\(base)/flagged_threshold", token: root, body: Data(#"{"value": 101}"#.utf8)).status == 422)
            #expect(try await server.request("PUT", "\(base)/vllm_api_key", token: root, body: Data(#"{"value": "sk-x"}"#.utf8)).status == 400)
            _ = try await server.ingestCDRs([cdr("c1", agent: "a1"), cdr("c2", agent: "a1", n: 1)], token: root)
            #expect(try await server.request("DELETE", "/api/v1/calls/c1", token: root).status == 204)
            #expect(try await server.request("DELETE", "/api/v1/calls/nope", token: root).status == 404)

            let all = try await Self.entries(server, token: root)
            try #require(all.count == 4, "\(all)")
            #expect(all.compactMap { $0["action"]?.string } == ["call.deleted", "ingest.calls", "setting.reset", "setting.changed"])
            #expect(all.allSatisfy { $0["actor_person_id"]?.string == "root" && $0["via"]?.string == "api" })
            let ids = all.compactMap { $0["id"]?.int }
            #expect(ids == ids.sorted(by: >), "newest first")
            let changed = try #require(all.last)
            #expect(changed["subject"]?.string == "flagged_threshold")
            #expect(changed["detail"]?.string == "65 (was 70)")
            #expect(all[2]["detail"]?.string == "reset to the default (was 65)")
            #expect(all[1]["detail"]?.string == "2 records: 2 inserted, 0 updated, 0 unchanged, 0 rejected")
            #expect(all[0]["subject"]?.string == "c1")
            #expect(all[0]["person_id"]?.string == "a1", "a deleted call's owner")
            let at = try #require(all[0]["at"]?.string)
            let seconds = try #require(Timestamp.epochSeconds(at))
            #expect(abs(seconds - Int(Date().timeIntervalSince1970)) < 120)
            #expect(try await server.count("SELECT COUNT(*) FROM audit_log") == 4)

            // Filters: action, limit, since (unix seconds, a date, a timestamp).
            #expect(try await Self.entries(server, "?action=setting.changed", token: root).count == 1)
            #expect(try await Self.entries(server, "?limit=2", token: root).compactMap { $0["action"]?.string } == ["call.deleted", "ingest.calls"])
            #expect(try await Self.entries(server, "?since=\(seconds + 3600)", token: root).isEmpty)
            #expect(try await Self.entries(server, "?since=2000-01-01", token: root).count == 4)
            #expect(try await Self.entries(server, "?since=2099-01-01T00:00:00Z", token: root).isEmpty)
            for bad in ["?limit=0", "?limit=1001", "?limit=ten", "?since=yesterday"] {
                let r = try await server.request("GET", Self.path + bad, token: root)
                #expect(r.status == 422, "\(bad): \(r.text)")
                #expect(r.errorCode == "invalid_value")
            }
        }
    }

    @Test(arguments: TestBackend.all) func onlyAdminsReadTheLog(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            try await server.addPerson("a1")
            try await server.addPerson("m1", role: .manager)
            for id in ["a1", "m1"] {
                let r = try await server.request("GET", Self.path, token: try await server.login(id))
                #expect(r.status == 403)
                #expect(r.errorCode == "forbidden")
                #expect(try r.json["error"]?["message"]?.string?.isEmpty == false)
            }
            #expect(try await server.request("GET", Self.path).status == 401)
        }
    }

    /// The settings page's form goes through the same service, audited as `web`.
    @Test(arguments: TestBackend.all) func reviewGenerationIsAuditedWithItsActor(backend: TestBackend) async throws {
        try await withPerfServer(backend: backend) { server in
            let t = try await PerfSeed.seed(server)
            let r = try await server.request("POST", ReviewRouteTests.generatePath, token: t["mgrA"], json: ReviewRouteTests.generate("a1"))
            #expect(r.status == 201, "\(r.text)")
            let entries = try await Self.entries(server.server, "?action=review.generated", token: try #require(t["root"]))
            #expect(entries.count == 1)
            #expect(entries.first?["actor_person_id"]?.string == "mgrA")
            #expect(entries.first?["person_id"]?.string == "a1")
        }
    }

    /// User, team, settings and pruning changes made with the management commands, then read back
    /// with `scorecard-server audit` (the built binary, as a child process).
    @Test(arguments: TestBackend.all) func commandLineChangesAreAuditedAndPrinted(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let cli = try ServerCLI(server)
            try await cli.run(["team", "add", "--id", "t-north", "--name", "North", "--type", "support"])
            try await cli.run(
                ["user", "add", "--id", "ada", "--name", "Ada", "--email", "ada@example.test", "--role", "agent", "--team", "t-north", "--password-stdin"],
                stdin: "ada-password\n")
            try await cli.run(["user", "passwd", "--id", "ada", "--password-stdin"], stdin: "ada-password-2\n")
            try await cli.run(["user", "deactivate", "--id", "ada"])
            try await cli.run(["settings", "set", "review_cooldown_hours", "12"])
            try await cli.run(["prune-tombstones", "--older-than", "0"])
            // Failures leave nothing.
            #expect(try await cli.run(["user", "deactivate", "--id", "nobody"], expect: 1).stderr.contains("does not exist"))
            #expect(try await cli.run(["settings", "set", "vllm_api_key", "sk-cli"], expect: 1).stderr.contains("vllm_api_key_file"))

            let json = try await cli.run(["audit", "--format", "json"]).stdout
            let entries = try #require(try WireJSON.decode(JSONValue.self, from: Data(json.utf8))["entries"]?.array)
            try #require(entries.count == 6, "\(entries)")
            #expect(
                entries.compactMap { $0["action"]?.string } == [
                    "tombstones.pruned", "setting.changed", "person.deactivated", "person.password_changed", "person.created", "team.created",
                ])
            #expect(entries.allSatisfy { $0["via"]?.string == "cli:auditor" && $0["actor_person_id"] == .null })
            #expect(entries[4]["person_id"]?.string == "ada")
            #expect(entries[5]["subject"]?.string == "t-north")
            #expect(entries[1]["detail"]?.string == "12 (was 24)")

            let text = try await cli.run(["audit", "--action", "person.created"]).stdout
            let lines = text.split(separator: "\n")
            #expect(lines.count == 1)
            let fields = lines.first?.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) ?? []
            #expect(fields.count == 5)
            #expect(fields.dropFirst().elementsEqual(["cli:auditor", "person.created", "ada t-north", "role agent, team t-north"]), "\(fields)")
            #expect(try await cli.run(["audit", "--limit", "2"]).stdout.split(separator: "\n").count == 2)
            #expect(try await cli.run(["audit", "--since", "2099-01-01"]).stdout.isEmpty)
            #expect(try await cli.run(["audit", "--limit", "0"], expect: 64).stderr.contains("--limit"))

            // The API shows the same entries.
            let root = try await server.adminToken("root")
            #expect(try await Self.entries(server, "?limit=1000", token: root).count == 6)
        }
    }
}

/// `scorecard-server` run as a child process on a test server's database, with its own
/// `XDG_DATA_HOME` (the test's directory) and `USER=auditor`.
struct ServerCLI {
    let binary: String
    let database: String
    let environment: [String: String]

    init(_ server: TestServer) throws {
        binary = try #require(ServerProcess.binary, "scorecard-server is built next to the tests by `swift build --build-tests`")
        database = server.database.postgresURL ?? "sqlite:" + server.database.sqlitePath
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_DATA_HOME"] = server.directory.path + "/xdg-data"
        environment["USER"] = "auditor"
        self.environment = environment
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `scorecard-server ARGUMENTS --database …` and expects exit status `expect`.
    @discardableResult
    func run(_ arguments: [String], stdin: String? = nil, expect: Int32 = 0, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Output {
        let output = try await ServerCLI.spawn(binary, arguments + ["--database", database], stdin: stdin, environment: environment)
        #expect(output.status == expect, "scorecard-server \(arguments.joined(separator: " ")): \(output.stderr)", sourceLocation: sourceLocation)
        return output
    }

    static func spawn(_ binary: String, _ arguments: [String], stdin: String?, environment: [String: String]) async throws -> Output {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (outPath, errPath, inPath) = (directory.path + "/out", directory.path + "/err", directory.path + "/in")
        for path in [outPath, errPath] { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        _ = FileManager.default.createFile(atPath: inPath, contents: Data((stdin ?? "").utf8))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = environment
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inPath))
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        let status = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, any Error>) in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        let read = { (path: String) in String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self) }
        return Output(status: status, stdout: read(outPath), stderr: read(errPath))
    }
}
