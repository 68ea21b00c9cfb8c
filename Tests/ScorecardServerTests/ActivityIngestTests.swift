import Foundation
import ScorecardCore
import ScorecardServer
import ScorecardTesting
import Testing

/// `POST /api/v1/ingest/activities`: per-record validation with the index and a reason,
/// idempotence by (kind, id), updates, unknown people, and the body errors.
@Suite("Activity ingest")
struct ActivityIngestTests {
    static let path = "/api/v1/ingest/activities"
    let w = Weeks.w40

    func post(_ server: PerfServer, _ token: String, _ body: Data, sourceLocation: SourceLocation = #_sourceLocation) async throws
        -> IngestResult
    {
        let r = try await server.request("POST", Self.path, token: token, body: body)
        try #require(r.status == 200, "ingest answered \(r.status): \(r.text)", sourceLocation: sourceLocation)
        return try r.decode(IngestResult.self)
    }

    /// One valid record of every kind.
    func everyKind(_ person: String) -> [JSONValue] {
        [
            Activity.ticket("T-1", person, resolved: w.at(1), sla: true, minutes: 42.5, csat: 4, tagged: true, summary: "Password reset"),
            Activity.task("K-1", person, assigned: w.at(0), due: w.date(3), completed: w.at(2), estimate: 60, actual: 75),
            Activity.workOrder(
                "W-1", person, assigned: w.at(0), scheduled: w.at(1), started: w.at(1, "10:05:00"), completed: w.at(1, "12:00:00"),
                estimate: 90, actual: 100, notes: true),
            Activity.conversation("C-1", person, started: w.at(2), channel: "chat", firstResponse: 3, resolution: 20, resolved: true),
            Activity.lead("L-1", person, created: w.at(0), status: "won", closed: w.at(3), value: 1200.5),
            Activity.quote("Q-1", person, sent: w.at(2), accepted: nil, value: 300),
            Activity.leadMessage("M-1", person, sent: w.at(2)),
            Activity.record("R-1", person, touched: w.at(4), type: "organization", total: 12, filled: 9, note: 80),
            Activity.feedback("F-1", person, at: w.at(4), type: "enhancement", text: "Suggested a better macro", rating: 4),
        ]
    }

    @Test(arguments: TestBackend.all) func everyKindIsAcceptedAndResendingIsUnchanged(backend: TestBackend) async throws {
        try await withPerfServer(backend: backend) { server in
            let admin = try await server.addPerson("root", role: .admin).id
            let token = try await server.login(admin)
            try await server.addPerson("agent")
            let body = try activitiesBody(everyKind("agent"))
            #expect(try await post(server, token, body) == IngestResult(inserted: 9))
            #expect(try await post(server, token, body) == IngestResult(unchanged: 9))

            // One changed field → that record is updated; the rest unchanged.
            var changed = everyKind("agent")
            changed[4] = Activity.lead("L-1", "agent", created: w.at(0), status: "lost", closed: w.at(3), value: 1200.5)
            #expect(try await post(server, token, try activitiesBody(changed)) == IngestResult(updated: 1, unchanged: 8))
            #expect(try await post(server, token, try activitiesBody(changed)) == IngestResult(unchanged: 9))

            // The same id under another kind is another record.
            let other = try await post(server, token, try activitiesBody([Activity.task("T-1", "agent", assigned: w.at(1))]))
            #expect(other == IngestResult(inserted: 1))

            // Fractional seconds are stored to the second: re-sending with them is unchanged.
            let fraction = Activity.ticket(
                "T-1", "agent", resolved: w.at(1, "10:00:00.250"), sla: true, minutes: 42.5, csat: 4, tagged: true,
                summary: "Password reset")
            #expect(try await post(server, token, try activitiesBody([fraction])) == IngestResult(unchanged: 1))
        }
    }

    @Test(arguments: TestBackend.all) func badRecordsAreRejectedWithIndexAndReason(backend: TestBackend) async throws {
        try await withPerfServer(backend: backend) { server in
            try await server.addPerson("root", role: .admin)
            let token = try await server.login("root")
            try await server.addPerson("agent")
            func raw(_ text: String) throws -> JSONValue { try WireJSON.decode(JSONValue.self, from: Data(text.utf8)) }
            let records: [(JSONValue, String?)] = [
                (Activity.ticket("ok-1", "agent", resolved: w.at(1), sla: true), nil),  // 0
                (try raw(#"{"kind":"invoice","id":"x","person_id":"agent"}"#), "invoice"),  // 1 unknown kind
                (try raw(#"{"id":"x","person_id":"agent"}"#), "kind"),  // 2 no kind
                (try raw(#"{"kind":"ticket","person_id":"agent","opened_at":"2026-09-28T10:00:00Z"}"#), "id"),  // 3 no id
                (try raw(#"{"kind":"ticket","id":"t","opened_at":"2026-09-28T10:00:00Z"}"#), "person_id"),  // 4 no person
                (try raw(#"{"kind":"ticket","id":"t","person_id":"agent"}"#), "opened_at"),  // 5 required field missing
                (Activity.ticket("t-bad-time", "agent", resolved: "2026-09-28 10:00:00", opened: w.at(0), sla: true), "resolved_at"),  // 6
                // 7: an offset instead of UTC Z
                (Activity.ticket("t-offset", "agent", resolved: "2026-09-28T10:00:00+02:00", opened: w.at(0), sla: true), "resolved_at"),
                (Activity.ticket("t-csat", "agent", resolved: w.at(1), csat: 6), "csat"),  // 8 out of 1…5
                (Activity.task("k-neg", "agent", assigned: w.at(1), estimate: -5), "estimated_minutes"),  // 9 negative
                (
                    try raw(#"{"kind":"ticket","id":"t-type","person_id":"agent","opened_at":"2026-09-28T10:00:00Z","escalated":"yes"}"#),
                    "escalated"
                ),  // 10
                (Activity.ticket("t-who", "nobody", resolved: w.at(1), sla: true), "nobody"),  // 11 unknown person
                (.string("not an object"), "object"),  // 12
                (Activity.lead("l-open-won", "agent", created: w.at(1), status: "won"), "closed_at"),  // 13 won without closed_at
                (Activity.record("r-over", "agent", touched: w.at(1), type: "contact", total: 3, filled: 4), "fields_filled"),  // 14
                (Activity.record("r-type", "agent", touched: w.at(1), type: "deal", total: 3, filled: 1), "record_type"),  // 15
                (Activity.feedback("f-type", "agent", at: w.at(1), type: "praise", text: "x"), "feedback_type"),  // 16
                (Activity.task("k-date", "agent", assigned: w.at(1), due: "2026-02-30"), "due_date"),  // 17 no such day
                (Activity.conversation("ok-2", "agent", started: w.at(2), channel: "email"), nil),  // 18
            ]
            let r = try await server.request("POST", Self.path, token: token, body: try activitiesBody(records.map { $0.0 }))
            #expect(r.status == 200, "\(r.text)")
            let result = try r.decode(IngestResult.self)
            #expect(result.inserted == 2)
            let expectedRejects = records.enumerated().filter { $0.element.1 != nil }
            #expect(result.rejected.map(\.index) == expectedRejects.map(\.offset))
            for (rejection, (index, record)) in zip(result.rejected, expectedRejects) {
                #expect(rejection.index == index)
                #expect(rejection.reason.contains(record.1!), "record \(index): '\(rejection.reason)' should mention \(record.1!)")
            }
            // The two good records are stored; nothing of the bad ones.
            let again = try await post(server, token, try activitiesBody([records[0].0, records[18].0]))
            #expect(again == IngestResult(unchanged: 2))
            // A person with the unknown id's activity does not appear later either.
            try await server.addPerson("nobody")
            let late = try await post(server, token, try activitiesBody([records[11].0]))
            #expect(late == IngestResult(inserted: 1))
        }
    }

    @Test(arguments: TestBackend.all, [
        ("[{\"kind\": ", 400, "malformed_json"),
        ("not json", 400, "malformed_json"),
        ("", 400, "malformed_json"),
        ("{\"kind\": \"ticket\"}", 422, "invalid_value"),
        ("\"a string\"", 422, "invalid_value"),
        ("42", 422, "invalid_value"),
        ("null", 422, "invalid_value"),
    ])
    func badBodies(backend: TestBackend, _ example: (String, Int, String)) async throws {
        let (body, status, code) = example
        try await withPerfServer(backend: backend) { server in
            try await server.addPerson("root", role: .admin)
            let token = try await server.login("root")
            let r = try await server.request("POST", Self.path, token: token, body: Data(body.utf8))
            #expect(r.status == status, "\(body): \(r.text)")
            #expect(r.errorCode == code, "\(body): \(r.text)")
        }
    }

    @Test(arguments: TestBackend.all) func emptyArrayIsANoOp(backend: TestBackend) async throws {
        try await withPerfServer(backend: backend) { server in
            try await server.addPerson("root", role: .admin)
            let token = try await server.login("root")
            #expect(try await post(server, token, jsonBody("[]")) == IngestResult())
        }
    }
}
