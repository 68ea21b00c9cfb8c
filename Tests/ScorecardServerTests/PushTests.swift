import Foundation
import Logging
import ScorecardCore
import ScorecardServer
import ScorecardTesting
import Testing

/// `POST /api/v1/sync/push` against the real server: idempotent replays, the three-way goal
/// merge, rejections that do not block, and every applied write in the pusher's feed.
@Suite("Push")
struct PushTests {
    /// A team `t1` managed by `boss` with agent `ana`, one scored week and a rule-based review of it.
    static func seeded(_ server: TestServer) async throws -> (agent: String, manager: String, review: Review) {
        try await server.addPerson("boss", role: .manager)
        try await server.addTeam("t1", type: .support, manager: "boss")
        try await server.addPerson("ana", team: "t1")
        try await server.store.addMember(teamID: "t1", personID: "ana", role: .member)
        let week = ISOWeek("2026-W45")!
        let day = week.monday.adding(days: 1)
        var records: [Result<ActivityRecord, RecordError>] = []
        for n in 0..<3 {
            records.append(ActivityRecord.parse([
                "kind": .string("ticket"), "id": .string("T-\(n)"), "person_id": .string("ana"),
                "opened_at": .string("\(day)T09:00:00Z"), "resolved_at": .string("\(day)T1\(n):00:00Z"),
                "sla_met": .bool(n > 0), "resolution_minutes": .number(Double(60 * (n + 1))),
            ]))
        }
        _ = try await Ingest.activities(records, store: server.store)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        _ = try await ScoringJob(store: server.store, logger: logger).score(period: week)
        let manager = try await server.login("boss")
        let generated = try await server.request("POST", "/api/v1/performance/reviews/generate", token: manager, json: ["person_id": "ana", "period": "2026-W45"])
        try #require(generated.status == 201, "\(generated.text)")
        return ("ana", manager, try generated.decode(Review.self))
    }

    static func push(_ server: TestServer, _ token: String, _ mutations: [[String: JSONValue]]) async throws -> [PushResult] {
        let r = try await server.request("POST", "/api/v1/sync/push", token: token, json: ["mutations": mutations.map { JSONValue.object($0) }])
        try #require(r.status == 200, "\(r.status) \(r.text)")
        struct Body: Decodable { var results: [PushResult] }
        return try r.decode(Body.self).results
    }

    static func goal(_ id: String, metric: String = "sla_compliance_rate", label: String = "SLA above 90%") -> [String: JSONValue] {
        [
            "id": .string(id), "domain": .string("support"), "metric_key": .string(metric), "label": .string(label),
            "target_value": .number(90), "comparison": .string("gte"), "deadline": .string("2099-12-31"),
        ]
    }

    @Test(arguments: TestBackend.all) func ackIsAppliedOnceAndKeepsTheClientsTime(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let (agent, _, review) = try await Self.seeded(server)
            let token = try await server.login(agent)
            // Offline since the moment the review arrived: the client's time lies between creation and now.
            let at = review.createdAt
            let ack: [String: JSONValue] = ["id": "m-1", "type": "ack_review", "review_id": .string(review.id), "acknowledged_at": .string(at)]
            let first = try await Self.push(server, token, [ack])
            #expect(first[0].status == .applied)
            let stored = try #require(try await server.store.review(id: review.id))
            #expect(stored.isAcknowledged && stored.acknowledgedAt == at)
            #expect(stored.version == review.version + 1)
            // The response was "lost": the same mutation again returns the stored result and changes nothing.
            let again = try await Self.push(server, token, [ack])
            #expect(again == first)
            #expect(try await server.store.review(id: review.id)?.version == stored.version)
            // A second ack with a new id is applied without a change either.
            let other = try await Self.push(server, token, [["id": "m-2", "type": "ack_review", "review_id": .string(review.id)]])
            #expect(other[0].status == .applied)
            #expect(try await server.store.review(id: review.id)?.version == stored.version)
            // The ack is in the agent's feed at the new version.
            let changes = try await server.pullAll(token: token)
            #expect(changes.contains { $0.stream == "reviews" && $0.id == review.id })
        }
    }

    @Test(arguments: TestBackend.all) func ackTimeInTheFutureBecomesTheServersTime(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let (agent, manager, review) = try await Self.seeded(server)
            let token = try await server.login(agent)
            let results = try await Self.push(
                server, token, [["id": "m-1", "type": "ack_review", "review_id": .string(review.id), "acknowledged_at": "2099-01-01T00:00:00Z"]])
            #expect(results[0].status == .applied)
            let at = try #require(try await server.store.review(id: review.id)?.acknowledgedAt)
            #expect(at < "2099" && at >= review.createdAt)
            // Someone else's review is rejected with a reason, even for their manager.
            let managers = try await Self.push(server, manager, [["id": "m-9", "type": "ack_review", "review_id": .string(review.id)]])
            #expect(managers[0].status == .rejected && managers[0].reason?.contains("yours") == true)
        }
    }

    @Test(arguments: TestBackend.all) func aRejectedCreateDoesNotBlockLaterMutations(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            try await server.addPerson("ana")
            let token = try await server.login("ana")
            let results = try await Self.push(server, token, [
                ["id": "m-1", "type": "create_goal", "goal": .object(Self.goal("g-bad", metric: "happiness"))],
                ["id": "m-2", "type": "create_goal", "goal": .object(Self.goal("g-1"))],
                ["id": "m-3", "type": "teleport"],
            ])
            #expect(results.map(\.status) == [.rejected, .applied, .rejected])
            #expect(results[0].reason?.contains("unknown metric 'happiness'") == true)
            #expect(results[2].reason?.contains("unknown mutation type") == true)
            #expect(try await server.store.goal(id: "g-bad") == nil)
            let goal = try #require(try await server.store.goal(id: "g-1"))
            #expect(goal.personID == "ana" && goal.createdByPersonID == "ana" && goal.version == 1)
            // Replaying the whole batch changes nothing and answers the same.
            let again = try await Self.push(server, token, [
                ["id": "m-1", "type": "create_goal", "goal": .object(Self.goal("g-bad", metric: "happiness"))],
                ["id": "m-2", "type": "create_goal", "goal": .object(Self.goal("g-1"))],
                ["id": "m-3", "type": "teleport"],
            ])
            #expect(again == results)
            #expect(try await server.store.goal(id: "g-1")?.version == 1)
        }
    }

    @Test(arguments: TestBackend.all) func editsOfDifferentFieldsMergeAndTheSameFieldConflicts(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            try await server.addPerson("boss", role: .manager)
            try await server.addTeam("t1", type: .support, manager: "boss")
            try await server.addPerson("ana", team: "t1")
            try await server.store.addMember(teamID: "t1", personID: "ana", role: .member)
            let agent = try await server.login("ana")
            let manager = try await server.login("boss")
            _ = try await Self.push(server, agent, [["id": "m-1", "type": "create_goal", "goal": .object(Self.goal("g-1"))]])
            // The manager changes the label on the server (version 1 → 2).
            let patched = try await server.request(
                "PATCH", "/api/v1/performance/goals/g-1", token: manager, body: Data(#"{"label":"SLA above 90% by year end"}"#.utf8),
                headers: ["If-Match": "1", "Content-Type": "application/json"])
            #expect(patched.status == 200)
            // Offline, the agent raised the target from version 1: different fields, both kept.
            let merged = try await Self.push(server, agent, [[
                "id": "m-2", "type": "update_goal", "goal_id": "g-1", "base_version": 1,
                "base": ["target_value": 90], "changes": ["target_value": 95],
            ]])
            #expect(merged[0].status == .applied)
            var goal = try #require(try await server.store.goal(id: "g-1"))
            #expect(goal.label == "SLA above 90% by year end" && goal.targetValue == 95 && goal.version == 3)
            // Both changed the label to different values: a conflict, nothing applied, the current goal returned.
            let conflict = try await Self.push(server, agent, [[
                "id": "m-3", "type": "update_goal", "goal_id": "g-1", "base_version": 1,
                "base": ["label": "SLA above 90%"], "changes": ["label": "SLA above 95%"],
            ]])
            #expect(conflict[0].status == .conflict && conflict[0].conflicts == ["label"])
            #expect(conflict[0].entity?.objectValue?["version"] == .number(3))
            goal = try #require(try await server.store.goal(id: "g-1"))
            #expect(goal.label == "SLA above 90% by year end" && goal.version == 3)
            // Resolving "mine": the same edit on the current version applies.
            let mine = try await Self.push(server, agent, [[
                "id": "m-4", "type": "update_goal", "goal_id": "g-1", "base_version": 3,
                "base": ["label": "SLA above 90% by year end"], "changes": ["label": "SLA above 95%"],
            ]])
            #expect(mine[0].status == .applied)
            #expect(try await server.store.goal(id: "g-1")?.label == "SLA above 95%")
            // An invalid value is rejected with a reason; canceling works once and is idempotent.
            let invalid = try await Self.push(server, agent, [[
                "id": "m-5", "type": "update_goal", "goal_id": "g-1", "base_version": 4, "base": ["comparison": "gte"], "changes": ["comparison": "about"],
            ]])
            #expect(invalid[0].status == .rejected && invalid[0].reason?.contains("comparison") == true)
            let cancel = try await Self.push(server, agent, [
                ["id": "m-6", "type": "cancel_goal", "goal_id": "g-1", "base_version": 4],
                ["id": "m-7", "type": "cancel_goal", "goal_id": "g-1", "base_version": 4],
            ])
            #expect(cancel.map(\.status) == [.applied, .applied])
            #expect(try await server.store.goal(id: "g-1")?.status == .canceled)
            #expect(try await server.store.goal(id: "g-1")?.version == 5)
        }
    }

    @Test(arguments: TestBackend.all) func aMutationWithoutAnIDRefusesTheWholePush(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            try await server.addPerson("ana")
            let token = try await server.login("ana")
            let r = try await server.request(
                "POST", "/api/v1/sync/push", token: token,
                json: ["mutations": [JSONValue.object(["id": "m-1", "type": "create_goal", "goal": .object(Self.goal("g-1"))]), .object(["type": "ack_review"])]])
            #expect(r.status == 422 && r.errorCode == "invalid_value")
            #expect(try await server.store.goal(id: "g-1") == nil)
            let bad = try await server.request("POST", "/api/v1/sync/push", token: token, body: Data("[]".utf8))
            #expect(bad.status == 422)
            let unauthenticated = try await server.request("POST", "/api/v1/sync/push", json: ["mutations": [JSONValue]()])
            #expect(unauthenticated.status == 401)
        }
    }
}

extension JSONValue {
    var objectValue: [String: JSONValue]? {
        if case .object(let o) = self { return o }
        return nil
    }
}
