import Foundation
import ScorecardCore
import ScorecardServer
import ScorecardTesting
import Testing

/// The admin settings API: listing with defaults, validated writes, null back to the default,
/// and the values the jobs then read (the LLM key, which is never stored: LLMKeyTests).
@Suite("Settings API")
struct SettingsAPITests {
    static let base = "/api/v1/admin/settings"

    func admin(_ server: PerfServer) async throws -> String {
        try await server.addPerson("root", role: .admin)
        return try await server.login("root")
    }

    @Test(arguments: TestBackend.all) func listShowsEverySettingWithItsDefault(backend: TestBackend) async throws {
        try await withPerfServer(backend: backend) { server in
            let token = try await admin(server)
            let r = try await server.request("GET", Self.base, token: token)
            #expect(r.status == 200)
            let settings = try #require(try r.json["settings"]?.array)
            let keys = settings.compactMap { $0["key"]?.string }
            #expect(keys == SettingSpec.all.map(\.key))
            for key in [
                "scoring_enabled", "review_generation_enabled", "domain_weights", "domain_weights_operations", "domain_weights_support",
                "domain_weights_field_service", "domain_weights_sales_profile", "sales_profile_min_ratio", "flagged_threshold",
                "peer_comparison_min_team_size", "review_sample_tickets", "review_sample_conversations", "review_sample_work_orders",
                "review_sample_max_chars", "max_reviews_per_run", "review_manual_daily_limit_per_manager", "review_cooldown_hours",
                "llm_provider", "vllm_base_url", "vllm_model", "vllm_api_key_env", "vllm_api_key_file", "vllm_timeout_seconds", "vllm_max_retries",
                "vllm_max_tokens", "vllm_response_format",
            ] {
                #expect(keys.contains(key), "seed 002 setting \(key) is listed")
            }
            func setting(_ key: String) -> JSONValue? { settings.first { $0["key"]?.string == key } }
            #expect(setting("scoring_enabled")?["value"] == .bool(true))
            #expect(setting("review_generation_enabled")?["value"] == .bool(false))
            #expect(setting("flagged_threshold")?["value"]?.int == 70)
            #expect(setting("peer_comparison_min_team_size")?["value"]?.int == 3)
            #expect(setting("sales_profile_min_ratio")?["value"]?.double == 0.5)
            #expect(setting("max_reviews_per_run")?["value"]?.int == 20)
            #expect(setting("review_manual_daily_limit_per_manager")?["value"]?.int == 25)
            #expect(setting("review_cooldown_hours")?["value"]?.int == 24)
            #expect(setting("review_sample_max_chars")?["value"]?.int == 600)
            #expect(setting("vllm_timeout_seconds")?["value"]?.int == 30)
            #expect(setting("vllm_max_retries")?["value"]?.int == 2)
            #expect(setting("vllm_max_tokens")?["value"]?.int == 1024)
            #expect(setting("vllm_response_format")?["value"] == .string("auto"))
            #expect(setting("domain_weights_sales_profile")?["value"] == .null)
            let weights = setting("domain_weights")?["value"]
            #expect(weights?["support"]?.int == 20)
            #expect(weights?["operations"]?.int == 15)
            #expect(weights?["field_service"]?.int == 15)
            #expect(weights?["communication"]?.int == 20)
            #expect(weights?["sales"]?.int == 20)
            #expect(weights?["data_quality"]?.int == 10)
            #expect(settings.allSatisfy { $0["is_set"] == .bool(false) })
            #expect(settings.allSatisfy { $0["default"] != nil && $0["description"]?.string?.isEmpty == false })
        }
    }

    @Test(arguments: TestBackend.all) func putValidatesAndNullResets(backend: TestBackend) async throws {
        try await withPerfServer(backend: backend) { server in
            let token = try await admin(server)
            let put = try await server.request("PUT", "\(Self.base)/flagged_threshold", token: token, json: #"{"value": 60}"#)
            #expect(put.status == 200, "\(put.text)")
            #expect(try put.json["value"]?.int == 60)
            #expect(try put.json["is_set"] == .bool(true))
            #expect(try put.json["default"]?.int == 70)
            let get = try await server.request("GET", "\(Self.base)/flagged_threshold", token: token)
            #expect(try get.json["value"]?.int == 60)
            #expect(try await server.store.settings().int("flagged_threshold") == 60)

            let weights = try await server.request(
                "PUT", "\(Self.base)/domain_weights_support", token: token, json: #"{"value": {"support": 60, "communication": 40}}"#)
            #expect(weights.status == 200, "\(weights.text)")
            #expect(try await server.store.settings().weights("domain_weights_support") == [.support: 60, .communication: 40])

            // null: back to the default.
            let reset = try await server.request("PUT", "\(Self.base)/flagged_threshold", token: token, json: #"{"value": null}"#)
            #expect(reset.status == 200, "\(reset.text)")
            #expect(try reset.json["value"]?.int == 70)
            #expect(try reset.json["is_set"] == .bool(false))
            #expect(try await server.store.settings().stored["flagged_threshold"] == nil)
            let weightsReset = try await server.request(
                "PUT", "\(Self.base)/domain_weights_support", token: token, json: #"{"value": null}"#)
            #expect(try weightsReset.json["value"] == .null)

            let unknown = try await server.request("PUT", "\(Self.base)/no_such_setting", token: token, json: #"{"value": 1}"#)
            #expect(unknown.status == 404)
            #expect(try await server.request("GET", "\(Self.base)/no_such_setting", token: token).status == 404)
        }
    }

    @Test(arguments: TestBackend.all, [
        ("domain_weights", #"{"support": -5, "sales": 10}"#),  // negative weight
        ("domain_weights", #"{"supprt": 10}"#),  // unknown domain
        ("domain_weights", #"{"support": "20"}"#),  // weight not a number
        ("domain_weights", #"{"support": 0}"#),  // nothing above zero
        ("domain_weights", #""support=20""#),  // not an object
        ("domain_weights_sales_profile", #"[20, 80]"#),
        ("flagged_threshold", #""high""#),
        ("flagged_threshold", "70.5"),
        ("flagged_threshold", "101"),
        ("scoring_enabled", #""yes""#),
        ("scoring_enabled", "1"),
        ("sales_profile_min_ratio", "1.5"),
        ("communication_channels", "[]"),
        ("communication_channels", #"["email", 3]"#),
        ("llm_provider", #""gpt""#),
        ("vllm_api_key_env", #""""#),
        ("vllm_api_key_file", #""key.txt""#),
        ("vllm_max_retries", "-1"),
    ])
    func invalidValuesAre422AndChangeNothing(backend: TestBackend, _ example: (String, String)) async throws {
        let (key, value) = example
        try await withPerfServer(backend: backend) { server in
            let token = try await admin(server)
            let before = try await server.request("GET", "\(Self.base)/\(key)", token: token).json
            let r = try await server.request("PUT", "\(Self.base)/\(key)", token: token, json: #"{"value": \#(value)}"#)
            #expect(r.status == 422, "\(key) = \(value): \(r.text)")
            #expect(r.errorCode == "invalid_value")
            #expect(try await server.request("GET", "\(Self.base)/\(key)", token: token).json == before)
            #expect(try await server.store.settings().stored[key] == nil)
        }
    }

    @Test(arguments: TestBackend.all) func malformedBodies(backend: TestBackend) async throws {
        try await withPerfServer(backend: backend) { server in
            let token = try await admin(server)
            let broken = try await server.request("PUT", "\(Self.base)/flagged_threshold", token: token, json: #"{"value": "#)
            #expect(broken.status == 400)
            let noValue = try await server.request("PUT", "\(Self.base)/flagged_threshold", token: token, json: #"{"val": 50}"#)
            #expect(noValue.status == 422)
        }
    }

    /// The raw LLM key is refused (400, naming where it goes instead): LLMKeyTests.

    /// A weights change through the API is what the next scoring run uses.
    @Test(arguments: TestBackend.all) func scoringReadsTheWeightsSetThroughTheAPI(backend: TestBackend) async throws {
        try await withPerfServer(backend: backend) { server in
            let token = try await admin(server)
            try await server.addPerson("p")
            try await server.store.ingest(ScoringWeightsTests.mixedWeek("p", Weeks.w40))
            let put = try await server.request(
                "PUT", "\(Self.base)/domain_weights", token: token, json: #"{"value": {"support": 1, "operations": 1, "data_quality": 2}}"#)
            #expect(put.status == 200)
            try await server.store.score(Weeks.w40)
            // (70×1 + 100×1 + 75×2) / 4 = 320 / 4 = 80
            #expect(try await server.store.snapshot(personID: "p", period: "2026-W40")?.compositeScore == 80)
            #expect(
                try await server.store.snapshot(personID: "p", period: "2026-W40")?.weights == [
                    "support": 25, "operations": 25, "data_quality": 50,
                ])
        }
    }
}
