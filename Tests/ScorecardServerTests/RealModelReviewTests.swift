import Foundation
import Logging
import ScorecardCore
import ScorecardServer
import ScorecardTesting
import Testing

/// Reviews written by a real model: llama-cpp-python's OpenAI-compatible server with
/// SmolLM2-135M-Instruct (started once for the process, ``LlamaServer``), behind a
/// ``RecordingProxy`` that shows what the model was sent. The server's settings are the defaults
/// apart from the base URL, the model and the per-request timeout (raised to its maximum because
/// this suite runs beside the whole test suite on two cores, where three reviews took 172 s; alone
/// a review takes about 8 s, docs/performance.md).
/// SQLite only: the model's time is the cost here, and both backends store reviews alike
/// (ReviewRouteTests, ReviewServiceTests).
@Suite("Reviews by a real model", .serialized, .requiresModelServer)
struct RealModelReviewTests {
    let w = Weeks.w40

    /// Personal data in the sampled items' texts; none of it may reach the model.
    static let secrets = ["jane.doe@example.com", "7946 0958", "INV-2026-0042", "221B Baker Street", "4111 1111", "12345678"]

    /// Team A (support, manager mgrA): f1, f2 and f3 flagged (below 70) with tickets, a
    /// conversation and a work order each; ok1 at 70 (not flagged); root the admin.
    func seed(_ server: TestServer) async throws {
        try await server.addPerson("mgrA", role: .manager)
        try await server.addPerson("root", role: .admin)
        try await server.addTeam("A", type: .support, manager: "mgrA")
        for id in ["f1", "f2", "f3", "ok1"] { try await server.addPerson(id, team: "A") }
        var records: [JSONValue] = []
        for (n, id) in ["f1", "f2", "f3"].enumerated() {
            let base = 2000 + n * 10
            records += [
                Activity.ticket(
                    "T-\(base)", id, resolved: w.at(1), sla: false, minutes: 180, escalated: true, csat: 2,
                    summary: "Customer jane.doe@example.com (call +44 20 7946 0958) says invoice INV-2026-0042 was charged twice to card 4111 1111 1111 1111."),
                Activity.ticket(
                    "T-\(base + 1)", id, resolved: w.at(2), sla: n == 0, minutes: 40, escalated: false, csat: 4,
                    summary: "Password reset for account 12345678; solved on the first reply."),
                Activity.conversation("C-\(base)", id, started: w.at(3), channel: "chat", firstResponse: 45, resolution: 90, resolved: n != 1),
                Activity.workOrder(
                    "WO-\(base)", id, assigned: w.at(0), scheduled: w.at(2, "09:00:00"), started: w.at(2, "09:40:00"), completed: w.at(2, "12:00:00"),
                    estimate: 60, actual: 140, notes: false, summary: "Replaced the router at 221B Baker Street; no notes left."),
            ]
        }
        records.append(Activity.scoreTicket("T-3000", "ok1", w, sla: true, escalated: false, csat: 5))
        try await server.store.ingest(records)
    }

    /// Points the server at the model through the admin API, with the defaults for everything else.
    func configure(_ server: TestServer, proxy: RecordingProxy, root: String) async throws {
        let settings: [(String, JSONValue)] = [
            ("llm_provider", "openai-compatible"), ("vllm_base_url", .string(proxy.baseURL)), ("vllm_model", .string(LlamaServer.modelID)),
            ("vllm_timeout_seconds", 600),
        ]
        for (key, value) in settings {
            let r = try await server.request("PUT", "/api/v1/admin/settings/\(key)", token: root, body: try WireJSON.encode(["value": value]))
            try #require(r.status == 200, "\(key): \(r.text)")
        }
    }

    /// A request with room for a review by the model on a busy machine (TestHTTP gives up after 30 s).
    func slowRequest(_ server: TestServer, _ method: String, _ path: String, token: String, json: String) async throws -> TestResponse {
        try await TestHTTP.send(method, server.baseURL + path, token: token, body: Data(json.utf8), patient: true)
    }

    /// The model wrote it, it cites only the person's sampled items, and it is whole.
    func expectWrittenByTheModel(_ review: Review, of person: String, store: any ServerStore, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        #expect(review.model == LlamaServer.modelID, "model \(review.model)", sourceLocation: sourceLocation)
        #expect(review.tokensIn > 0 && review.tokensOut > 0, "tokens \(review.tokensIn)/\(review.tokensOut)", sourceLocation: sourceLocation)
        #expect(!review.content.summary.isEmpty, sourceLocation: sourceLocation)
        let samples = try await store.reviewSamples(personID: person, period: w, tickets: 3, conversations: 3, workOrders: 2)
        let references = Set(samples.map(\.reference))
        for callout in review.content.callouts {
            #expect(references.contains(callout.reference), "\(person) cites \(callout.reference)", sourceLocation: sourceLocation)
        }
    }

    /// What every request to the model must and must not hold; the schema's reference enum is the
    /// sampled items of the person reviewed.
    func expectClean(_ exchanges: [RecordingProxy.Exchange], sourceLocation: SourceLocation = #_sourceLocation) {
        for exchange in exchanges {
            let text = exchange.requestText
            for secret in Self.secrets + ["Person f", "@example.test", "\"f1\"", "\"f2\"", "\"f3\""] {
                #expect(!text.contains(secret), "a request to the model holds \(secret)", sourceLocation: sourceLocation)
            }
            #expect(text.contains("[email]") && text.contains("[phone]"), sourceLocation: sourceLocation)
            #expect(exchange.chat?.model == LlamaServer.modelID, sourceLocation: sourceLocation)
            #expect(exchange.chat?.maxTokens == LLMSettings.defaultMaxTokens, sourceLocation: sourceLocation)
        }
    }

    @Test func flaggedRunAndOnDemandReviewsAreWrittenByTheModel() async throws {
        let llama = try await LlamaServer.shared()
        let proxy = try await RecordingProxy.start(upstream: llama.baseURL)
        let server = try await TestServer.start(backend: .sqlite)
        do {
            try await seed(server)
            let root = try await server.login("root")
            let manager = try await server.login("mgrA")
            try await configure(server, proxy: proxy, root: root)
            try await server.store.set("review_generation_enabled", .bool(true))
            try await server.store.set("max_reviews_per_run", .number(2))

            // The scheduler's first check after the week: it scores 2026-W40 and runs the flagged
            // reviews, two of the three flagged people (the cap), lowest composite first.
            var logger = Logger(label: "real-model")
            logger.logLevel = .critical
            let scheduler = Scheduler(store: server.store, reviews: ReviewService(store: server.store, logger: logger), logger: logger)
            let started = ContinuousClock.now
            await scheduler.tick(today: Weeks.w41.monday.adding(days: 1))
            let flaggedSeconds = ContinuousClock.now - started
            let snapshots = try await server.store.snapshots(period: w.description)
            let flagged = snapshots.filter { $0.compositeScore < 70 }.sorted { $0.compositeScore < $1.compositeScore }.map(\.personID)
            try #require(Set(flagged).isSuperset(of: ["f1", "f2", "f3"]), "flagged: \(snapshots.map { "\($0.personID) \($0.compositeScore)" })")
            var reviewed: [String] = []
            for id in flagged {
                if let review = try await server.store.review(personID: id, period: w.description) {
                    try await expectWrittenByTheModel(review, of: id, store: server.store)
                    reviewed.append(id)
                }
            }
            #expect(reviewed.count == 2, "the cap is 2 a run; written: \(reviewed), in \(flaggedSeconds)")
            let runs = try await server.store.reviewRuns(personID: nil)
            #expect(runs.filter { $0.status == "failed" }.map { $0.reason ?? "" } == [])
            #expect(runs.filter { $0.trigger == "flagged" && $0.status == "succeeded" }.count == 2)

            // The one left: on demand, through the API.
            let left = try #require(flagged.first { !reviewed.contains($0) && $0.hasPrefix("f") })
            let generated = try await slowRequest(
                server, "POST", "/api/v1/performance/reviews/generate", token: manager, json: #"{"person_id":"\#(left)","period":"2026-W40"}"#)
            try #require(generated.status == 201, "\(generated.text)")
            try await expectWrittenByTheModel(try generated.decode(Review.self), of: left, store: server.store)

            // Caps hold without asking the model: the cooldown, then the manager's daily limit.
            let asked = proxy.exchanges.count
            let again = try await server.request(
                "POST", "/api/v1/performance/reviews/generate", token: manager, body: Data(#"{"person_id":"\#(reviewed[0])","period":"2026-W40"}"#.utf8))
            #expect(again.status == 429 && again.errorCode == "review_cooldown", "\(again.text)")
            try await server.store.set("review_manual_daily_limit_per_manager", .number(1))
            let limited = try await server.request(
                "POST", "/api/v1/performance/reviews/generate", token: manager, body: Data(#"{"person_id":"ok1","period":"2026-W40"}"#.utf8))
            #expect(limited.status == 429 && limited.errorCode == "review_daily_limit", "\(limited.text)")
            #expect(proxy.exchanges.count == asked)

            // What the model was sent: redacted, no names, ids or e-mail addresses of people; the
            // schema's references are exactly the person's sampled items. auto settled on a form that
            // works with this server and kept it.
            let exchanges = proxy.exchanges
            let times = exchanges.map { "\($0.status) \(String(format: "%.1f", $0.seconds)) s \($0.completionTokens ?? 0) tokens" }
            FileHandle.standardError.write(Data("note: real-model reviews: \(times.joined(separator: ", "))\n".utf8))
            expectClean(exchanges)
            let answered = exchanges.filter { $0.status == 200 }
            // Three reviews; an unusable answer now and then is retried (vllm_max_retries), so perhaps more.
            #expect(answered.count >= 3, "\(exchanges.map { "\($0.status) \($0.chat?.responseFormat?.form ?? "-")" })")
            let forms = answered.compactMap { $0.chat?.responseFormat?.form }
            #expect(Set(forms).count == 1 && forms.first != "json_object", "forms that worked: \(forms)")
            for exchange in exchanges.filter({ $0.status != 200 }) {
                #expect(exchange.chat?.responseFormat?.form == "json_schema", "only json_schema may be refused: \(exchange.status)")
            }
        } catch {
            await server.stop()
            await proxy.stop()
            throw error
        }
        await server.stop()
        await proxy.stop()
    }

    @Test func aPromptPastTheModelsContextIsOneClearFailure() async throws {
        let llama = try await LlamaServer.shared()
        let proxy = try await RecordingProxy.start(upstream: llama.baseURL)
        let server = try await TestServer.start(backend: .sqlite)
        do {
            try await server.addPerson("root", role: .admin)
            try await server.addPerson("long")
            let words = String((0..<700).map { "word\($0 % 97)" }.joined(separator: " ").prefix(4000))
            try await server.store.ingest(
                (0..<5).map { Activity.ticket("T-9\($0)", "long", resolved: w.at(1), sla: false, escalated: true, summary: words) })
            try await server.store.score(w)
            let root = try await server.login("root")
            try await configure(server, proxy: proxy, root: root)
            try await server.store.set("review_sample_max_chars", .number(4000))
            try await server.store.set("review_sample_tickets", .number(5))

            let r = try await slowRequest(
                server, "POST", "/api/v1/performance/reviews/generate", token: root, json: #"{"person_id":"long","period":"2026-W40"}"#)
            #expect(r.status == 502 && r.errorCode == "review_failed", "\(r.text)")
            #expect(r.text.contains("does not fit the model's context") && r.text.contains("review_sample_max_chars"), "\(r.text)")
            #expect(try await server.store.review(personID: "long", period: w.description) == nil)
            let runs = try await server.store.reviewRuns(personID: "long")
            #expect(runs.map(\.status) == ["failed"])
            // Not retried: one request per form tried.
            #expect(proxy.exchanges.allSatisfy { $0.status != 200 })
            #expect(proxy.exchanges.count <= ResponseFormat.fallbackOrder.count)
        } catch {
            await server.stop()
            await proxy.stop()
            throw error
        }
        await server.stop()
        await proxy.stop()
    }
}
