import Foundation
import ScorecardCore
import ScorecardServer
import ScorecardTesting
import Testing

/// Every write a person mirrors goes through their change feed: feedback ingest, snapshots
/// from scoring, review generation and acknowledgement, goal create, patch and progress. Each is
/// pulled as the person (stream, id, version and the document itself) and is absent from
/// everyone else's feed, their managers' included.
@Suite("Feed mirror")
struct FeedMirrorTests {
    /// Checks the latest change of `stream/id` in `owner`'s feed and its absence elsewhere.
    func expectMirrored(
        _ server: PerfServer, _ tokens: [String: String], owner: String, _ stream: SyncStream, _ id: String, version: Int,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> JSONValue {
        let feed = try await server.feed(token: tokens[owner]!, sourceLocation: sourceLocation)
        let change = try #require(
            feed.latest(stream, id), "\(stream.rawValue)/\(id) is not in \(owner)'s feed", sourceLocation: sourceLocation)
        #expect(change.op == .upsert, sourceLocation: sourceLocation)
        #expect(
            change.data?["version"]?.int == version, "\(stream.rawValue)/\(id): \(String(describing: change.data))",
            sourceLocation: sourceLocation)
        #expect(change.data?["person_id"]?.string == owner, sourceLocation: sourceLocation)
        #expect(
            feed.filter { $0.stream == stream.rawValue && $0.id == id }.count == 1, "one row per entity", sourceLocation: sourceLocation)
        for other in PerfSeed.callers where other != owner {
            let theirs = try await server.feed(token: tokens[other]!, sourceLocation: sourceLocation)
            #expect(!theirs.mentions(stream, id), "\(stream.rawValue)/\(id) leaks into \(other)'s feed", sourceLocation: sourceLocation)
        }
        return try #require(change.data, sourceLocation: sourceLocation)
    }

    @Test(arguments: TestBackend.all) func everyMirroredWriteIsInTheOwnersFeedOnly(backend: TestBackend) async throws {
        try await withPerfServer(backend: backend) { server in
            let t = try await PerfSeed.seed(server)
            let admin = t["root"]!

            // Snapshots written by the seed's scoring run.
            let snapshot = try await expectMirrored(server, t, owner: "a1", .snapshots, "a1:2026-W40", version: 1)
            #expect(snapshot["composite_score"]?.double == 20)
            #expect(snapshot["domains"]?[0]?["domain"]?.string == "support")

            // Feedback (seed 001): ingest, then a changed re-send.
            let fb = Activity.feedback("FB-9", "a1", at: Weeks.w40.at(2), type: "correction", text: "Wrong macro used", rating: 2)
            let r1 = try await server.request("POST", "/api/v1/ingest/activities", token: admin, body: try activitiesBody([fb]))
            #expect(r1.status == 200)
            let entry = try await expectMirrored(server, t, owner: "a1", .feedback, "FB-9", version: 1)
            #expect(entry["feedback_type"]?.string == "correction")
            #expect(entry["feedback"]?.string == "Wrong macro used")
            #expect(entry["rating"]?.int == 2)
            #expect(entry["occurred_at"]?.string == "2026-09-30T10:00:00Z")
            let fb2 = Activity.feedback("FB-9", "a1", at: Weeks.w40.at(2), type: "correction", text: "Wrong macro used", rating: 3)
            _ = try await server.request("POST", "/api/v1/ingest/activities", token: admin, body: try activitiesBody([fb2]))
            #expect(try await expectMirrored(server, t, owner: "a1", .feedback, "FB-9", version: 2)["rating"]?.int == 3)
            // An unchanged re-send writes no feed entry.
            let head = try await server.feed(token: t["a1"]!).map(\.seq).max()
            _ = try await server.request("POST", "/api/v1/ingest/activities", token: admin, body: try activitiesBody([fb2]))
            #expect(try await server.feed(token: t["a1"]!).map(\.seq).max() == head)

            // A re-scored snapshot after a change moves to version 2.
            _ = try await server.request(
                "POST", "/api/v1/ingest/activities", token: admin,
                body: try activitiesBody([Activity.scoreTicket("a1-t", "a1", Weeks.w40, sla: false, escalated: false, csat: 5)]))
            try await server.store.score(Weeks.w40)
            #expect(
                try await expectMirrored(server, t, owner: "a1", .snapshots, "a1:2026-W40", version: 2)["composite_score"]?.double == 30)

            // Review generation, then acknowledgement.
            let generated = try await server.request(
                "POST", "/api/v1/performance/reviews/generate", token: t["mgrA"], json: #"{"person_id":"a1","period":"2026-W40"}"#)
            #expect(generated.status == 201, "\(generated.text)")
            let review = try generated.decode(Review.self)
            let mirroredReview = try await expectMirrored(server, t, owner: "a1", .reviews, review.id, version: 1)
            #expect(mirroredReview["summary"]?.string == review.summary)
            #expect(mirroredReview["is_acknowledged"] == .bool(false))
            let ack = try await server.request("POST", "/api/v1/performance/reviews/\(review.id)/ack", token: t["a1"])
            #expect(ack.status == 200)
            #expect(try await expectMirrored(server, t, owner: "a1", .reviews, review.id, version: 2)["is_acknowledged"] == .bool(true))

            // Goals: created by the manager, patched by the person, moved by the progress job.
            let future = DateRange.today().adding(days: 30).description
            let created = try await server.request(
                "POST", "/api/v1/performance/goals", token: t["mgrA"],
                json:
                    #"{"person_id":"a1","domain":"support","metric_key":"csat_avg","label":"Happy customers","target_value":4.5,"comparison":"gte","deadline":"\#(future)"}"#
            )
            #expect(created.status == 201, "\(created.text)")
            let goal = try created.decode(Goal.self)
            #expect(try await expectMirrored(server, t, owner: "a1", .goals, goal.id, version: 1)["created_by_person_id"]?.string == "mgrA")
            let patched = try await server.request(
                "PATCH", "/api/v1/performance/goals/\(goal.id)", token: t["a1"], json: #"{"target_value": 4}"#,
                headers: ["If-Match": "\"1\""])
            #expect(patched.status == 200)
            #expect(try await expectMirrored(server, t, owner: "a1", .goals, goal.id, version: 2)["target_value"]?.double == 4)
            _ = try await GoalsJob(store: server.store, logger: quietLogger).refresh(today: DateRange.today())
            let progressed = try await expectMirrored(server, t, owner: "a1", .goals, goal.id, version: 3)
            #expect(progressed["current_value"]?.double == 5)  // a1's CSAT in 2026-W40 is now 5
            #expect(progressed["status"]?.string == "achieved")
        }
    }

    @Test(arguments: TestBackend.all) func feedbackMovedToAnotherPersonLeavesATombstone(backend: TestBackend) async throws {
        try await withPerfServer(backend: backend) { server in
            let t = try await PerfSeed.seed(server)
            let admin = t["root"]!
            let fb = { (person: String) in Activity.feedback("FB-1", person, at: Weeks.w40.at(1), text: "Great call handling", rating: 5) }
            _ = try await server.request("POST", "/api/v1/ingest/activities", token: admin, body: try activitiesBody([fb("a1")]))
            _ = try await server.request("POST", "/api/v1/ingest/activities", token: admin, body: try activitiesBody([fb("a2")]))
            let a1 = try await server.feed(token: t["a1"]!)
            let gone = try #require(a1.latest(.feedback, "FB-1"))
            #expect(gone.op == .delete)
            #expect(gone.data == nil)
            let a2 = try await server.feed(token: t["a2"]!)
            #expect(a2.latest(.feedback, "FB-1")?.op == .upsert)
            #expect(a2.latest(.feedback, "FB-1")?.data?["person_id"]?.string == "a2")
        }
    }
}
