import Foundation
import ScorecardCore
import ScorecardServer
import ScorecardTesting
import Testing

/// Goals over HTTP: creation and its validation, `If-Match` on PATCH (428, 409 with the current
/// goal, 200 with ETag and the next version), scope, and the progress job.
@Suite("Goals")
struct GoalTests {
    static let path = "/api/v1/performance/goals"
    /// A deadline a month ahead of the day the suite runs.
    static let future = DateRange.today().adding(days: 30).description

    static func draft(
        person: String? = nil, domain: String = "support", metric: String = "sla_compliance_rate", target: String = "90",
        comparison: String = "gte", deadline: String = GoalTests.future, id: String? = nil
    ) -> String {
        var fields = [
            #""domain":"\#(domain)""#, #""metric_key":"\#(metric)""#, #""label":"Resolve within SLA""#, #""target_value":\#(target)"#,
            #""comparison":"\#(comparison)""#, #""deadline":"\#(deadline)""#,
        ]
        if let person { fields.append(#""person_id":"\#(person)""#) }
        if let id { fields.append(#""id":"\#(id)""#) }
        return "{" + fields.joined(separator: ",") + "}"
    }

    func create(_ server: PerfServer, _ token: String?, _ body: String, sourceLocation: SourceLocation = #_sourceLocation) async throws
        -> Goal
    {
        let r = try await server.request("POST", Self.path, token: token, json: body)
        try #require(r.status == 201, "create answered \(r.status): \(r.text)", sourceLocation: sourceLocation)
        return try r.decode(Goal.self)
    }

    @Test(arguments: TestBackend.all) func createReturnsTheGoalWithItsETag(backend: TestBackend) async throws {
        try await withPerfServer(backend: backend) { server in
            let t = try await PerfSeed.seed(server)
            let r = try await server.request("POST", Self.path, token: t["a1"], json: Self.draft(target: "92.5"))
            #expect(r.status == 201, "\(r.text)")
            #expect(r.header("ETag") == "\"1\"")
            let goal = try r.decode(Goal.self)
            #expect(goal.personID == "a1")
            #expect(goal.createdByPersonID == "a1")
            #expect(goal.domain == .support)
            #expect(goal.metricKey == "sla_compliance_rate")
            #expect(goal.targetValue == 92.5)
            #expect(goal.comparison == .gte)
            #expect(goal.deadline == Self.future)
            #expect(goal.status == .active)
            #expect(goal.currentValue == nil)
            #expect(goal.version == 1)

            // A manager sets a goal for a member; the creator is recorded.
            let byManager = try await create(
                server, t["mgrA"],
                Self.draft(person: "a2", domain: "communication", metric: "avg_first_response_minutes", target: "10", comparison: "lte"))
            #expect(byManager.personID == "a2")
            #expect(byManager.createdByPersonID == "mgrA")
            // composite_score fits any domain.
            _ = try await create(server, t["a1"], Self.draft(domain: "sales", metric: "composite_score", target: "75"))
            // A client-chosen id is kept; reusing it is a conflict.
            let withID = try await create(server, t["a1"], Self.draft(id: "goal-client-1"))
            #expect(withID.id == "goal-client-1")
            let again = try await server.request("POST", Self.path, token: t["a1"], json: Self.draft(id: "goal-client-1"))
            #expect(again.status == 409)

            let list = try await server.request("GET", Self.path, token: t["a1"])
            #expect(list.status == 200)
            #expect(try list.decode([String: [Goal]].self)["goals"]?.count == 3)
        }
    }

    @Test(arguments: TestBackend.all, [
        (GoalTests.draft(metric: "sla_rate"), "metric_key"),  // not in the catalogue
        (GoalTests.draft(domain: "support", metric: "win_rate"), "metric_key"),  // a sales metric
        (GoalTests.draft(comparison: "eq"), "comparison"),
        (GoalTests.draft(deadline: DateRange.today().adding(days: -1).description), "deadline"),
        (GoalTests.draft(deadline: "31/12/2026"), "deadline"),
        (GoalTests.draft(target: #""ninety""#), "target_value"),
        (GoalTests.draft(target: "null"), "target_value"),
        (GoalTests.draft(domain: "marketing"), "domain"),
        (#"{"domain":"support","label":"x","target_value":1,"comparison":"gte","deadline":"2099-01-01"}"#, "metric_key"),  // missing
        (GoalTests.draft(id: "has space"), "id"),
        (
            #"{"domain":"support","metric_key":"csat_avg","label":"   ","target_value":4,"comparison":"gte","deadline":"2099-01-01"}"#,
            "label"
        ),
    ])
    func invalidGoalsAre422(backend: TestBackend, _ example: (String, String)) async throws {
        let (body, field) = example
        try await withPerfServer(backend: backend) { server in
            let t = try await PerfSeed.seed(server)
            let r = try await server.request("POST", Self.path, token: t["a1"], json: body)
            #expect(r.status == 422, "\(body): \(r.text)")
            #expect(r.errorCode == "invalid_value")
            let message = try r.decode(ErrorBody.self).error.message
            #expect(message.contains(field), "the message names \(field): \(message)")
            #expect(try await server.store.goals(personID: "a1").isEmpty)
        }
    }

    /// Admins see everyone, but "everyone" is the people the server knows: a goal for an unknown
    /// person must not be created (it would also open a change feed for that id).
    @Test(arguments: TestBackend.all) func goalForAnUnknownPersonIsRefused(backend: TestBackend) async throws {
        try await withPerfServer(backend: backend) { server in
            let t = try await PerfSeed.seed(server)
            let r = try await server.request("POST", Self.path, token: t["root"], json: Self.draft(person: "nobody"))
            #expect([404, 422].contains(r.status), "a goal was created for an unknown person: \(r.status) \(r.text)")
            #expect(try await server.store.goals(personID: "nobody").isEmpty)
        }
    }

    @Test(arguments: TestBackend.all) func deadlineTodayIsAllowed(backend: TestBackend) async throws {
        try await withPerfServer(backend: backend) { server in
            let t = try await PerfSeed.seed(server)
            _ = try await create(server, t["a1"], Self.draft(deadline: DateRange.today().description))
        }
    }

    @Test(arguments: TestBackend.all) func patchNeedsAMatchingVersion(backend: TestBackend) async throws {
        try await withPerfServer(backend: backend) { server in
            let t = try await PerfSeed.seed(server)
            let goal = try await create(server, t["a1"], Self.draft())
            let url = "\(Self.path)/\(goal.id)"

            let missing = try await server.request("PATCH", url, token: t["a1"], json: #"{"target_value": 95}"#)
            #expect(missing.status == 428, "\(missing.text)")
            #expect(missing.errorCode == "precondition_required")

            let stale = try await server.request(
                "PATCH", url, token: t["a1"], json: #"{"target_value": 95}"#, headers: ["If-Match": "\"7\""])
            #expect(stale.status == 409, "\(stale.text)")
            #expect(stale.errorCode == "version_mismatch")
            #expect(try stale.json["current"].map { try WireJSON.decode(Goal.self, from: WireJSON.encode($0)) } == goal)

            let ok = try await server.request(
                "PATCH", url, token: t["a1"], json: #"{"target_value": 95, "label": "  Tighter  "}"#, headers: ["If-Match": "\"1\""])
            #expect(ok.status == 200, "\(ok.text)")
            #expect(ok.header("ETag") == "\"2\"")
            let patched = try ok.decode(Goal.self)
            #expect(patched.version == 2)
            #expect(patched.targetValue == 95)
            #expect(patched.label == "Tighter")
            #expect(patched.createdAt == goal.createdAt)

            // The old version is stale now; the 409 carries version 2.
            let late = try await server.request("PATCH", url, token: t["a1"], json: #"{"target_value": 99}"#, headers: ["If-Match": "1"])
            #expect(late.status == 409)
            #expect(try late.json["current"]?["version"]?.int == 2)
            #expect(try late.json["current"]?["target_value"]?.double == 95)
            #expect(try await server.store.goal(id: goal.id)?.targetValue == 95)

            // An unquoted version works too; cancelling is allowed, achieving is the job's.
            let cancel = try await server.request(
                "PATCH", url, token: t["a1"], json: #"{"status": "canceled"}"#, headers: ["If-Match": "2"])
            #expect(cancel.status == 200, "\(cancel.text)")
            #expect(try cancel.decode(Goal.self).status == .canceled)
            let achieve = try await server.request(
                "PATCH", url, token: t["a1"], json: #"{"status": "achieved"}"#, headers: ["If-Match": "3"])
            #expect(achieve.status == 422)
            let wrongDomain = try await server.request(
                "PATCH", url, token: t["a1"], json: #"{"domain": "sales"}"#, headers: ["If-Match": "3"])
            #expect(wrongDomain.status == 422, "sla_compliance_rate is not a sales metric: \(wrongDomain.text)")
            let unknownField = try await server.request(
                "PATCH", url, token: t["a1"], json: #"{"person_id": "a2"}"#, headers: ["If-Match": "3"])
            #expect(unknownField.status == 422)
            let garbage = try await server.request(
                "PATCH", url, token: t["a1"], json: #"{"target_value": 1}"#, headers: ["If-Match": "abc"])
            #expect(garbage.status == 422)
            #expect(try await server.store.goal(id: goal.id)?.version == 3)
        }
    }

    @Test(arguments: TestBackend.all) func goalScope(backend: TestBackend) async throws {
        try await withPerfServer(backend: backend) { server in
            let t = try await PerfSeed.seed(server)
            for caller in PerfSeed.callers {
                for target in ["a1", "a2", "b1"] {
                    let allowed = PerfSeed.visible[caller]!.contains(target)
                    let created = try await server.request("POST", Self.path, token: t[caller], json: Self.draft(person: target))
                    #expect(created.status == (allowed ? 201 : 403), "\(caller) creates for \(target): \(created.text)")
                    let list = try await server.request("GET", "\(Self.path)?person_id=\(target)", token: t[caller])
                    #expect(list.status == (allowed ? 200 : 403), "\(caller) lists \(target)")
                }
            }
            // PATCH of a goal out of scope: 404, as if it did not exist.
            let goal = try #require(try await server.store.goals(personID: "a1").first)
            for caller in PerfSeed.callers {
                let allowed = PerfSeed.visible[caller]!.contains("a1")
                let r = try await server.request(
                    "PATCH", "\(Self.path)/\(goal.id)", token: t[caller], json: #"{"label": "by \#(caller)"}"#,
                    headers: ["If-Match": String(try await server.store.goal(id: goal.id)!.version)])
                #expect(r.status == (allowed ? 200 : 404), "\(caller) patches a1's goal: \(r.text)")
            }
        }
    }

    @Test(arguments: TestBackend.all) func progressJobSetsCurrentValueAndStatus(backend: TestBackend) async throws {
        try await withPerfServer(backend: backend) { server in
            let t = try await PerfSeed.seed(server)
            // a3 scored sla_compliance_rate 100, composite 70 in 2026-W40.
            let met = try await create(server, t["a3"], Self.draft(target: "90"))
            let notYet = try await create(server, t["a3"], Self.draft(domain: "support", metric: "composite_score", target: "80"))
            let lower = try await create(server, t["a3"], Self.draft(metric: "escalation_rate", target: "5", comparison: "lte"))
            let job = GoalsJob(store: server.store, logger: quietLogger)

            let run = try await job.refresh(today: DateRange.today())
            #expect(run.checked == 3)
            #expect(run.changed == 3)
            let g1 = try #require(try await server.store.goal(id: met.id))
            #expect(g1.currentValue == 100)
            #expect(g1.status == .achieved)
            #expect(g1.version == 2)
            let g2 = try #require(try await server.store.goal(id: notYet.id))
            #expect(g2.currentValue == 70)
            #expect(g2.status == .active)
            let g3 = try #require(try await server.store.goal(id: lower.id))
            #expect(g3.currentValue == 0)  // 0 escalated ≤ 5
            #expect(g3.status == .achieved)

            // Re-running changes nothing.
            #expect(try await job.refresh(today: DateRange.today()).changed == 0)
            #expect(try await server.store.goal(id: notYet.id)?.version == 2)

            // Past the deadline, unmet: missed.
            let after = try #require(CivilDate(Self.future)).adding(days: 1)
            #expect(try await job.refresh(today: after).changed == 1)
            #expect(try await server.store.goal(id: notYet.id)?.status == .missed)
            #expect(try await server.store.goal(id: notYet.id)?.version == 3)
        }
    }
}
