import Foundation
import ScorecardCore
import ScorecardServer
import ScorecardTesting
import Testing

/// The forms: goals (create, edit, stale edit, cancel, bad input), reviews (generate, cooldown,
/// acknowledge), feedback, settings; and CSRF refusal on every one.
@Suite("Web forms")
struct FormTests {
    static func goalForm(label: String = "Reach 80", target: String = "80", metric: String = "composite_score", domain: String = "support") -> [String: String] {
        ["label": label, "domain": domain, "metric_key": metric, "comparison": "gte", "target_value": target, "deadline": "2099-12-31"]
    }

    @Test func goalsThroughTheForms() async throws {
        try await withWebServer { server in
            try await WebSeed.seed(server)
            let token = try await server.login("a1")
            let manager = try await server.browser("mgrA")
            _ = try await manager.get("/admin/performance/agents/a1")
            let created = try await manager.post("/admin/performance/agents/a1/goals", form: Self.goalForm())
            #expect(created.status == 303, "\(created.text.prefix(400))")
            #expect(created.location == "/admin/performance/agents/a1?notice=goal-created#goals")
            var goals = try await server.api("/api/v1/performance/goals", token: token, as: [String: [Goal]].self)["goals"] ?? []
            let goal = try #require(goals.first)
            #expect(goals.count == 1)
            #expect(goal.label == "Reach 80")
            #expect(goal.createdByPersonID == "mgrA")

            // The agent edits it from their own page: the form carries the version and the values it was opened with.
            let agent = try await server.browser("a1")
            let page = try await agent.get("/agent/my-performance")
            #expect(page.text.contains(#"data-goal="\#(goal.id)" data-version="1""#))
            let edit = "/agent/my-performance/goals/\(goal.id)"
            let base = ["version": "1", "base_label": "Reach 80", "base_target_value": "80", "base_comparison": "gte", "base_deadline": "2099-12-31",
                        "base_domain": "support", "base_metric_key": "composite_score"]
            let saved = try await agent.post(edit, form: base.merging(Self.goalForm(label: "Reach 85", target: "85")) { $1 })
            #expect(saved.status == 303)
            #expect(saved.location == "/agent/my-performance?notice=goal-saved#goals")
            goals = try await server.api("/api/v1/performance/goals", token: token, as: [String: [Goal]].self)["goals"] ?? []
            #expect(goals.first?.targetValue == 85)
            #expect(goals.first?.version == 2)

            // The manager's form is still at version 1: a stale edit saves nothing and shows what changed.
            let stale = try await manager.post(
                "/admin/performance/agents/a1/goals/\(goal.id)", form: base.merging(Self.goalForm(label: "Reach 90", target: "90")) { $1 })
            #expect(stale.status == 409)
            #expect(stale.text.contains("changed while you were editing it"))
            #expect(stale.text.contains("<td>Target value</td><td>80</td><td><strong>85</strong></td><td>90</td>"), "\(stale.text)")
            goals = try await server.api("/api/v1/performance/goals", token: token, as: [String: [Goal]].self)["goals"] ?? []
            #expect(goals.first?.targetValue == 85)
            #expect(goals.first?.label == "Reach 85")

            // Bad input re-renders the form with the reason and changes nothing.
            let bad = try await agent.post(edit, form: base.merging(["version": "2", "base_target_value": "85", "base_label": "Reach 85"]) { $1 }
                .merging(Self.goalForm(label: "Reach 85", target: "lots")) { $1 })
            #expect(bad.status == 422)
            #expect(bad.text.contains("target_value: enter a number"))
            let badMetric = try await agent.post("/agent/my-performance/goals", form: Self.goalForm(metric: "win_rate", domain: "support"))
            #expect(badMetric.status == 422)
            #expect(badMetric.text.contains("belongs to domain &#39;sales&#39;"))
            goals = try await server.api("/api/v1/performance/goals", token: token, as: [String: [Goal]].self)["goals"] ?? []
            #expect(goals.count == 1)
            #expect(goals.first?.version == 2)

            // Cancel.
            let canceled = try await agent.post(edit + "/cancel", form: ["version": "2"])
            #expect(canceled.status == 303)
            goals = try await server.api("/api/v1/performance/goals", token: token, as: [String: [Goal]].self)["goals"] ?? []
            #expect(goals.first?.status == .canceled)

            // Someone out of scope cannot reach the goal through any form.
            let other = try await server.browser("mgrB")
            _ = try await other.get("/agent/my-performance")
            #expect(try await other.post("/admin/performance/agents/a1/goals/\(goal.id)", form: ["version": "3", "label": "x"]).status == 404)
            #expect(try await other.post("/admin/performance/agents/a1/goals", form: Self.goalForm()).status == 404)
        }
    }

    @Test func generateReviewThenAcknowledgeAsTheAgent() async throws {
        try await withWebServer(makeCoach: WebTestCoach.factory) { server in
            try await WebSeed.seed(server)
            let manager = try await server.browser("mgrA")
            _ = try await manager.get("/admin/performance/agents/a2")
            let generated = try await manager.post("/admin/performance/agents/a2/generate-review", form: ["period": "2026-W40"])
            #expect(generated.status == 303)
            let location = try #require(generated.location)
            #expect(location.hasPrefix("/admin/performance/reviews/"))
            let reviewPage = try await manager.get(location)
            #expect(reviewPage.status == 200)
            #expect(reviewPage.text.contains("Summary for a2 &lt;b&gt;bold&lt;/b&gt;"), "escaped")
            #expect(WebClient.allMatches(#"<tr data-priority="([a-z]+)">"#, in: reviewPage.text) == ["high", "medium", "low"])
            #expect(reviewPage.text.contains(#"data-callout="positive""#) && reviewPage.text.contains(#"data-callout="concern""#))
            #expect(!reviewPage.text.contains("/ack\""), "a manager gets no acknowledge button")

            // Again within the cooldown: the page says why, nothing is written.
            let again = try await manager.post("/admin/performance/agents/a2/generate-review", form: ["period": "2026-W40"])
            #expect(again.status == 429)
            #expect(again.text.contains("No review was written"))
            #expect(again.text.contains("already has a review for 2026-W40"))

            // The agent acknowledges from their own page; the API and their feed say so.
            let id = String(location.split(separator: "/").last!.split(separator: "?").first!)
            let agent = try await server.browser("a2")
            let mine = try await agent.get("/agent/my-performance")
            #expect(mine.text.contains("coaching review to read and acknowledge"))
            let own = try await agent.get("/agent/my-performance/reviews/\(id)")
            #expect(own.text.contains("/agent/my-performance/reviews/\(id)/ack"))
            #expect(try await agent.post("/agent/my-performance/reviews/\(id)/ack", form: [:], csrf: false).status == 403)
            let token = try await server.login("a2")
            #expect(try await server.api("/api/v1/performance/reviews/\(id)", token: token, as: Review.self).isAcknowledged == false)
            let ack = try await agent.post("/agent/my-performance/reviews/\(id)/ack", form: [:])
            #expect(ack.status == 303)
            #expect(ack.location == "/agent/my-performance/reviews/\(id)?acknowledged=1")
            #expect(try await server.api("/api/v1/performance/reviews/\(id)", token: token, as: Review.self).isAcknowledged)
            let feed = try await server.request("GET", "/api/v1/sync/pull?since=0&limit=5000", token: token).decode(PullPage<JSONValue>.self)
            let change = try #require(feed.changes.last { $0.stream == "reviews" && $0.id == id })
            if case .object(let review)? = change.data { #expect(review["is_acknowledged"] == .bool(true)) } else { Issue.record("no review data") }
            // The manager may read it, not acknowledge it.
            #expect(try await manager.post("/agent/my-performance/reviews/\(id)/ack", form: [:]).status == 404)
        }
    }

    @Test(arguments: TestBackend.all)
    func feedbackFromTheFormLandsInTheAgentsFeed(backend: TestBackend) async throws {
        try await withWebServer(backend: backend) { server in
            try await WebSeed.seed(server)
            let manager = try await server.browser("mgrA")
            _ = try await manager.get("/admin/performance/feedback?team_id=A")
            let form = ["person_id": "a3", "feedback_type": "enhancement", "rating": "4", "context": "Project X", "feedback": "Great handover notes"]
            #expect(try await manager.post("/admin/performance/feedback?team_id=A", form: form, csrf: false).status == 403)
            let logged = try await manager.post("/admin/performance/feedback?team_id=A", form: form)
            #expect(logged.status == 303)
            #expect(logged.location == "/admin/performance/feedback?team_id=A&logged=a3")
            let token = try await server.login("a3")
            let feed = try await server.request("GET", "/api/v1/sync/pull?since=0&limit=5000", token: token).decode(PullPage<JSONValue>.self)
            let entries = feed.changes.filter { $0.stream == "feedback" }.compactMap { change -> [String: JSONValue]? in
                if case .object(let o)? = change.data { return o } else { return nil }
            }
            #expect(entries.count == 1)
            #expect(entries.first?["feedback"] == .string("Great handover notes"))
            #expect(entries.first?["feedback_type"] == .string("enhancement"))
            #expect(entries.first?["rating"] == .number(4))
            #expect(entries.first?["context"] == .string("Project X"))
            // A bad entry (no text) re-renders the form and stores nothing.
            let bad = try await manager.post("/admin/performance/feedback?team_id=A", form: ["person_id": "a3", "feedback_type": "approval", "feedback": "  "])
            #expect(bad.status == 422)
            let after = try await server.request("GET", "/api/v1/sync/pull?since=\(feed.next)", token: token).decode(PullPage<JSONValue>.self)
            #expect(after.changes.isEmpty)
        }
    }

    @Test func settingsPageValidatesLikeTheAPIAndHidesTheKey() async throws {
        try await withWebServer { server in
            try await WebSeed.seed(server)
            let admin = try await server.browser("root")
            let page = try await admin.get("/admin/performance/settings")
            #expect(page.status == 200)
            for spec in SettingSpec.all { #expect(page.text.contains(#"data-key="\#(spec.key)""#), "\(spec.key)") }
            #expect(try await admin.post("/admin/performance/settings", form: ["key": "flagged_threshold", "value": "65"], csrf: false).status == 403)
            let saved = try await admin.post("/admin/performance/settings", form: ["key": "flagged_threshold", "value": "65", "action": "save"])
            #expect(saved.status == 303)
            #expect(try await server.store.settings().int("flagged_threshold") == 65)
            let bad = try await admin.post("/admin/performance/settings", form: ["key": "flagged_threshold", "value": "101", "action": "save"])
            #expect(bad.status == 422)
            #expect(bad.text.contains("flagged_threshold must be an integer from 0 to 100"))
            #expect(try await server.store.settings().int("flagged_threshold") == 65)
            let weights = try await admin.post("/admin/performance/settings", form: ["key": "domain_weights", "value": #"{"support": -1}"#, "action": "save"])
            #expect(weights.status == 422)
            // The LLM key is not stored: the form says where it goes instead, and keeps nothing.
            let secret = try await admin.post("/admin/performance/settings", form: ["key": "vllm_api_key", "value": "sk-very-secret", "action": "save"])
            #expect(secret.status == 400)
            #expect(secret.text.contains("vllm_api_key_file") && secret.text.contains("vllm_api_key_env"))
            #expect(!secret.text.contains("sk-very-secret"))
            #expect(try await server.store.settings().stored["vllm_api_key"] == nil)
            // Each change the form made is audited as the admin, through the web pages.
            let audit = try await server.store.auditLog()
            #expect(audit.map(\.action) == ["setting.changed"])
            #expect(audit.first?.actorPersonID == "root")
            #expect(audit.first?.via == "web")
            #expect(audit.first?.subject == "flagged_threshold")
            let reset = try await admin.post("/admin/performance/settings", form: ["key": "flagged_threshold", "value": "", "action": "reset"])
            #expect(reset.status == 303)
            #expect(try await server.store.settings().stored["flagged_threshold"] == nil)
        }
    }

    @Test func everyFormRefusesAPostWithoutItsToken() async throws {
        try await withWebServer(makeCoach: WebTestCoach.factory) { server in
            try await WebSeed.seed(server)
            let manager = try await server.browser("mgrA")
            let admin = try await server.browser("root")
            let before = try await server.store.goals(personID: "a1").count
            let posts: [(WebClient, String, [String: String])] = [
                (manager, "/admin/performance/agents/a1/goals", Self.goalForm()),
                (manager, "/admin/performance/agents/a1/generate-review", ["period": "2026-W40"]),
                (manager, "/admin/performance/feedback?team_id=A", ["person_id": "a1", "feedback_type": "approval", "feedback": "x"]),
                (admin, "/admin/performance/settings", ["key": "flagged_threshold", "value": "1"]),
                (manager, "/logout", [:]),
            ]
            for (client, path, form) in posts {
                for token in [nil, "forged", manager.csrf == admin.csrf ? "x" : (client === manager ? admin.csrf! : manager.csrf!)] {
                    var fields = form
                    if let token { fields["csrf_token"] = token }
                    let r = try await client.post(path, form: fields, csrf: false)
                    #expect(r.status == 403, "\(path) with \(token ?? "no token")")
                    #expect(r.text.contains("This form has expired"))
                }
            }
            #expect(try await server.store.goals(personID: "a1").count == before)
            #expect(try await server.store.review(personID: "a1", period: "2026-W40") == nil)
            #expect(try await server.store.settings().stored["flagged_threshold"] == nil)
            #expect(try await manager.get("/admin/performance/team").status == 200, "still signed in")
        }
    }
}
