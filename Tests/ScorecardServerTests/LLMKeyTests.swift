import Foundation
import ScorecardCore
import ScorecardServer
import ScorecardStoreSQLite
import ScorecardTesting
import Testing

/// Issue 16 part 5: the LLM API key stays out of the database. The settings name an environment
/// variable or a 0600 file; a raw key is refused; a key an older server stored is moved out.
@Suite("LLM key at rest")
struct LLMKeyTests {
    static let base = "/api/v1/admin/settings"

    /// A key file of mode `mode` in `directory`.
    static func keyFile(_ key: String, in directory: URL, mode: Int = 0o600) throws -> String {
        let path = directory.appendingPathComponent("key-\(UUID().uuidString)").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data((key + "\n").utf8), attributes: [.posixPermissions: mode]))
        #expect(chmod(path, mode_t(mode)) == 0)
        return path
    }

    /// Every byte of the server's SQLite files (database, WAL), or of its settings and audit rows on PostgreSQL.
    static func assertNowhereAtRest(_ secret: String, _ server: TestServer, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let like = "'%\(secret)%'"
        #expect(try await server.count("SELECT COUNT(*) FROM settings WHERE value LIKE \(like)") == 0, sourceLocation: sourceLocation)
        #expect(
            try await server.count("SELECT COUNT(*) FROM audit_log WHERE detail LIKE \(like) OR subject LIKE \(like)") == 0,
            sourceLocation: sourceLocation)
        if server.backend == .sqlite {
            for suffix in ["", "-wal"] {
                let bytes = FileManager.default.contents(atPath: server.database.sqlitePath + suffix) ?? Data()
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "the key is in server.sqlite\(suffix)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test(arguments: TestBackend.all) func aRawKeyIsRefusedAndNamesTheTwoPlaces(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let root = try await server.adminToken()
            let secret = "sk-raw-\(UUID().uuidString)"
            let r = try await server.request("PUT", "\(Self.base)/vllm_api_key", token: root, body: Data(#"{"value": "\#(secret)"}"#.utf8))
            #expect(r.status == 400)
            #expect(r.errorCode == "secret_not_stored")
            let message = try #require(try r.json["error"]?["message"]?.string)
            #expect(message.contains("vllm_api_key_file") && message.contains("vllm_api_key_env") && message.contains("chmod 600"), "\(message)")
            #expect(!r.text.contains(secret))
            let list = try await server.request("GET", Self.base, token: root)
            #expect(try list.json["settings"]?.array?.contains { $0["key"]?.string == "vllm_api_key" } == false)
            #expect(try await server.store.settings().stored.isEmpty)
            #expect(try await server.count("SELECT COUNT(*) FROM audit_log") == 0)
            try await Self.assertNowhereAtRest(secret, server)

            // The references are validated like any setting.
            for (key, value) in [("vllm_api_key_env", #""1BAD""#), ("vllm_api_key_env", #""A-B""#), ("vllm_api_key_file", #""relative/key""#)] {
                let bad = try await server.request("PUT", "\(Self.base)/\(key)", token: root, body: Data(#"{"value": \#(value)}"#.utf8))
                #expect(bad.status == 422, "\(key) = \(value): \(bad.text)")
            }
            let missing = try await server.request("PUT", "\(Self.base)/vllm_api_key_file", token: root, body: Data(#"{"value": "/nonexistent/key"}"#.utf8))
            #expect(missing.status == 422)
            #expect(missing.text.contains("No such file"), "\(missing.text)")
        }
    }

    @Test(arguments: TestBackend.all) func aGroupReadableKeyFileIsRefusedClearly(backend: TestBackend) async throws {
        try await withPerfServer(backend: backend, coach: nil) { server in
            let t = try await PerfSeed.seed(server)
            let root = try #require(t["root"])
            let model = try await ChatCompletionsServer.start([.review(OpenAICompatibleCoachTests.answer)])
            do {
                let open = try Self.keyFile("sk-open", in: server.server.directory, mode: 0o640)
                let put = try await server.server.request("PUT", "\(Self.base)/vllm_api_key_file", token: root, json: ["value": open])
                #expect(put.status == 422)
                #expect(try put.json["error"]?["message"]?.string == "vllm_api_key_file \(open) is accessible by group or others (mode 0640); it must be readable by the server's user alone: chmod 600 \(open)")
                #expect(try await server.store.settings().stored["vllm_api_key_file"] == nil)

                // A file that was fine when set and was opened up since: the review fails, saying why, and the model is not asked.
                let path = try Self.keyFile("sk-later-open", in: server.server.directory)
                for (key, value) in [
                    ("vllm_base_url", JSONValue.string(model.baseURL)), ("vllm_model", .string("coach-model")), ("llm_provider", .string("openai-compatible")),
                    ("vllm_api_key_file", .string(path)),
                ] {
                    let r = try await server.server.request("PUT", "\(Self.base)/\(key)", token: root, json: ["value": value])
                    #expect(r.status == 200, "\(key): \(r.text)")
                }
                #expect(chmod(path, 0o644) == 0)
                let r = try await server.request("POST", ReviewRouteTests.generatePath, token: root, json: ReviewRouteTests.generate("a1"))
                #expect(r.status == 502)
                #expect(r.errorCode == "review_failed")
                #expect(r.text.contains("is accessible by group or others (mode 0644)"), "\(r.text)")
                #expect(model.requestCount == 0)
            } catch {
                await model.stop()
                throw error
            }
            await model.stop()
        }
    }

    /// The coach sends the key it reads from the file, then from the environment variable, as a
    /// bearer token to a real loopback chat-completions server; the key is nowhere at rest.
    @Test(arguments: TestBackend.all) func theCoachSendsTheKeyFromTheFileOrTheEnvironment(backend: TestBackend) async throws {
        try await withPerfServer(backend: backend, coach: nil) { server in
            let t = try await PerfSeed.seed(server)
            let root = try #require(t["root"])
            let model = try await ChatCompletionsServer.start([.review(OpenAICompatibleCoachTests.answer)])
            let variable = "SCORECARD_TEST_LLM_KEY_\(UUID().uuidString.prefix(8))"
            defer { unsetenv(variable) }
            do {
                let fileKey = "sk-file-\(UUID().uuidString)"
                let envKey = "sk-env-\(UUID().uuidString)"
                let path = try Self.keyFile(fileKey, in: server.server.directory)
                for (key, value) in [
                    ("vllm_base_url", JSONValue.string(model.baseURL)), ("vllm_model", .string("coach-model")), ("llm_provider", .string("openai-compatible")),
                    ("vllm_api_key_file", .string(path)),
                ] {
                    let r = try await server.server.request("PUT", "\(Self.base)/\(key)", token: root, json: ["value": value])
                    #expect(r.status == 200, "\(key): \(r.text)")
                }
                let first = try await server.request("POST", ReviewRouteTests.generatePath, token: root, json: ReviewRouteTests.generate("a1"))
                #expect(first.status == 201, "\(first.text)")
                #expect(model.requests.last?.headers["authorization"] == "Bearer \(fileKey)")

                // Both set: refused, the file stays in charge.
                let both = try await server.server.request("PUT", "\(Self.base)/vllm_api_key_env", token: root, json: ["value": variable])
                #expect(both.status == 422)
                #expect(both.text.contains("vllm_api_key_file is set"))
                #expect(try await server.request("PUT", "\(Self.base)/vllm_api_key_file", token: root, body: Data(#"{"value": null}"#.utf8)).status == 200)
                #expect(try await server.server.request("PUT", "\(Self.base)/vllm_api_key_env", token: root, json: ["value": variable]).status == 200)

                // The variable named but not set: a clear failure, nothing sent.
                let before = model.requestCount
                let unset = try await server.request("POST", ReviewRouteTests.generatePath, token: root, json: ReviewRouteTests.generate("a2"))
                #expect(unset.status == 502)
                #expect(unset.text.contains("vllm_api_key_env names \(variable), which is not set"), "\(unset.text)")
                #expect(model.requestCount == before)

                setenv(variable, envKey, 1)
                let second = try await server.request("POST", ReviewRouteTests.generatePath, token: root, json: ReviewRouteTests.generate("a2"))
                #expect(second.status == 201, "\(second.text)")
                #expect(model.requests.last?.headers["authorization"] == "Bearer \(envKey)")

                // Shown as references only; never the key, in the answers, the audit log or the database.
                let settings = try await server.request("GET", Self.base, token: root)
                #expect(settings.text.contains(variable))
                let audit = try await server.request("GET", AuditTests.path + "?limit=1000", token: root)
                #expect(audit.status == 200)
                #expect(audit.text.contains("vllm_api_key_env"))
                for key in [fileKey, envKey] {
                    #expect(!settings.text.contains(key))
                    #expect(!audit.text.contains(key))
                    try await Self.assertNowhereAtRest(key, server.server)
                }
            } catch {
                await model.stop()
                throw error
            }
            await model.stop()
        }
    }

    /// A key an older server kept in clear is moved to a 0600 file by the first `scorecard-server`
    /// command, `vllm_api_key_file` points at it, and the database no longer holds it.
    @Test(arguments: TestBackend.all) func anOldClearKeyIsMovedToA0600File(backend: TestBackend) async throws {
        let secret = "sk-legacy-\(UUID().uuidString)"
        try await withServer(backend: backend) { server in
            // As an older server stored it.
            try await server.store.setSetting(key: "vllm_api_key", value: .string(secret), by: "root")
            let cli = try ServerCLI(server)
            let output = try await cli.run(["settings", "get", "vllm_api_key_file"])
            let path = try #require(try WireJSON.decode(JSONValue.self, from: Data(output.stdout.utf8)).string, "\(output.stdout)")
            #expect(output.stderr.contains("moved out of the database"), "\(output.stderr)")
            let expectedDirectory = server.backend == .sqlite ? server.directory.path : server.directory.path + "/xdg-data/scorecard-server"
            #expect(path == expectedDirectory + "/llm-api-key")
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            #expect(try LLMKey.readFile(path) == secret)

            let settings = try await server.store.settings()
            #expect(settings.stored["vllm_api_key"] == nil)
            #expect(settings.string("vllm_api_key_file") == path)
            let moved = try await server.store.auditLog(AuditQuery(action: "llm_key.moved"))
            #expect(moved.count == 1)
            #expect(moved.first?.via == "cli:auditor")
            #expect(moved.first?.detail?.contains(path) == true)
            // A second command finds nothing to move.
            try await cli.run(["settings", "get"])
            #expect(try await server.store.auditLog(AuditQuery(action: "llm_key.moved")).count == 1)
            try await Self.assertNowhereAtRest(secret, server)
        }
    }

    /// On SQLite the migration's delete zeroes the row's bytes: with no other connection open,
    /// the key is in neither the database file nor its WAL afterwards.
    @Test func theMovedKeyLeavesNoBytesInTheSQLiteFile() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("llm-key-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("scorecard.sqlite").path
        let secret = "sk-bytes-\(UUID().uuidString)"
        do {
            let store = try SQLiteStore(path: database)
            try await store.setSetting(key: "vllm_api_key", value: .string(secret), by: nil)
            try await store.setSetting(key: "flagged_threshold", value: .number(60), by: nil)
        }
        // As an older server left it: the key in the file's bytes.
        #expect(FileManager.default.contents(atPath: database)?.range(of: Data(secret.utf8)) != nil)
        let binary = try #require(ServerProcess.binary)
        var environment = ProcessInfo.processInfo.environment
        environment["USER"] = "auditor"
        let output = try await ServerCLI.spawn(binary, ["settings", "get", "--database", "sqlite:" + database], stdin: nil, environment: environment)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("vllm_api_key_file = \"\(directory.path)/llm-api-key\""), "\(output.stdout)")
        #expect(!output.stdout.contains(secret))
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasPrefix("scorecard.sqlite") {
            let bytes = FileManager.default.contents(atPath: directory.path + "/" + name) ?? Data()
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "the key is still in \(name)")
        }
        #expect(try LLMKey.readFile(directory.path + "/llm-api-key") == secret)
    }
}
