import Foundation
import Logging
import ScorecardCore
import ScorecardServer
import ScorecardStoreSQLite
import ScorecardTesting
import Testing

/// Starts a fresh server, runs `body`, and stops the server whether `body` returned or threw.
func withWebServer(
    backend: TestBackend = .sqlite, configure: (inout ServerConfiguration) -> Void = { _ in }, makeCoach: ReviewService.CoachFactory? = nil,
    _ body: (TestServer) async throws -> Void
) async throws {
    let server = try await TestServer.start(backend: backend, configure: configure, makeCoach: makeCoach)
    do {
        try await body(server)
    } catch {
        await server.stop()
        throw error
    }
    await server.stop()
}

let quiet: Logger = {
    var logger = Logger(label: "web-tests")
    logger.logLevel = .critical
    return logger
}()

/// Team A (support; manager mgrA; lead1 a lead; agents a1, a2, a3) and team B (support; manager
/// mgrB; agent b1), admin root. Everyone but the managers and root has tickets resolved in
/// 2026-W39 and 2026-W40, both weeks scored (support only); a1 has calls and day summaries in
/// W40, feedback entries in W40, and two goals.
enum WebSeed {
    static let w39 = ISOWeek("2026-W39")!
    static let w40 = ISOWeek("2026-W40")!
    static let agents = ["a1", "a2", "a3", "b1", "lead1"]
    static let callers = ["a1", "mgrA", "mgrB", "lead1", "root"]

    /// A timestamp on `week`'s `day` (0 = Monday).
    static func at(_ week: ISOWeek, _ day: Int, _ time: String = "10:00:00") -> String { "\(week.monday.adding(days: day))T\(time)Z" }

    static func ticket(_ id: String, _ person: String, _ week: ISOWeek, sla: Bool, escalated: Bool, csat: Int?) -> [String: JSONValue] {
        var t: [String: JSONValue] = [
            "kind": "ticket", "id": .string(id), "person_id": .string(person), "opened_at": .string(at(week, 1, "08:00:00")),
            "resolved_at": .string(at(week, 1)), "sla_met": .bool(sla), "escalated": .bool(escalated),
        ]
        if let csat { t["csat"] = .number(Double(csat)) }
        return t
    }

    static func feedback(_ id: String, _ person: String, _ type: String, _ time: String) -> [String: JSONValue] {
        ["kind": "feedback", "id": .string(id), "person_id": .string(person), "occurred_at": .string(time), "feedback_type": .string(type),
         "feedback": .string("Feedback \(id)")]
    }

    /// Seeds and scores; the store's people get passwords `pw-<id>`.
    static func seed(_ server: TestServer) async throws {
        try await server.addPerson("mgrA", role: .manager)
        try await server.addPerson("mgrB", role: .manager)
        try await server.addPerson("root", role: .admin)
        try await server.addTeam("A", type: .support, manager: "mgrA")
        try await server.addTeam("B", type: .support, manager: "mgrB")
        for id in ["lead1", "a1", "a2", "a3"] { try await server.addPerson(id, team: "A") }
        try await server.store.addMember(teamID: "A", personID: "lead1", role: .lead)
        try await server.addPerson("b1", team: "B")
        var records: [[String: JSONValue]] = []
        // W39: a1 20, a2 40, a3 70, b1 0, lead1 60. W40: a1 70 (up 50), a2 40, a3 62, b1 20, lead1 60.
        let plan: [(String, ISOWeek, Bool, Bool, Int?)] = [
            ("a1", w39, false, false, nil), ("a2", w39, true, true, nil), ("a3", w39, true, false, 5), ("b1", w39, false, true, nil),
            ("lead1", w39, true, false, nil),
            ("a1", w40, true, false, 5), ("a2", w40, true, true, nil), ("a3", w40, true, false, 1), ("b1", w40, false, false, nil),
            ("lead1", w40, true, false, nil),
        ]
        for (n, p) in plan.enumerated() { records.append(ticket("t\(n)", p.0, p.1, sla: p.2, escalated: p.3, csat: p.4)) }
        records += [
            feedback("f1", "a1", "approval", at(w40, 1)), feedback("f2", "a1", "correction", at(w40, 2)),
            feedback("f3", "a1", "innovation", at(w40, 3)), feedback("f4", "a2", "approval", at(w40, 2)),
            feedback("f5", "a1", "correction", at(w39, 2)), feedback("f6", "a1", "correction", at(w39, 3)),
        ]
        let parsed = try Ingest.parseActivities(try WireJSON.encode(records.map(JSONValue.object)))
        let ingested = try await Ingest.activities(parsed, store: server.store)
        try #require(ingested.rejected.isEmpty, "rejected: \(ingested.rejected)")
        let calls: [[String: String?]] = (0..<12).map { n in
            CDRFixture.record(
                id: "c\(n)", agent: "a1", start: "2026-09-\(29 + n % 2) \(10 + n % 5):00:00", type: n % 3 == 0 ? "Manual" : "InBound",
                status: n % 4 == 3 ? "NotAnswered" : "Answered", disposition: n % 5 == 0 ? "Appointment Booked" : (n % 2 == 0 ? "General Enquiry" : nil))
        }
        _ = try await Ingest.calls(try CDRRecord.parseArray(try CDRFixture.json(calls)), store: server.store)
        let summaries = ["2026-09-29", "2026-09-30"].map { day in
            ["AgentID": "a1", "Date": day, "TotalLoginDuration": "08:00:00", "TotalBusyTime": "05:00:00", "TotalIdleTime": "01:30:00",
             "TotalPauseTime": "00:45:00", "TotalWrapupTime": "00:30:00", "TotalDialTime": "00:15:00", "AHT": "00:04:10"]
        }
        _ = try await Ingest.summaries(try AgentSummaryRecord.parseArray(try JSONEncoder().encode(summaries)), store: server.store)
        let job = ScoringJob(store: server.store, logger: quiet)
        _ = try await job.score(period: w39)
        _ = try await job.score(period: w40)
    }
}

extension TestServer {
    /// A browser signed in as `id` through the form.
    func browser(_ id: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> WebClient {
        let client = WebClient(baseURL: baseURL)
        let r = try await client.signIn(id, password: TestServer.password(id))
        try #require(r.status == 303, "sign-in of \(id) answered \(r.status): \(r.text.prefix(300))", sourceLocation: sourceLocation)
        return client
    }

    /// GETs an API path with a bearer token and decodes it.
    func api<T: Decodable>(_ path: String, token: String, as type: T.Type, sourceLocation: SourceLocation = #_sourceLocation) async throws -> T {
        let r = try await request("GET", path, token: token)
        try #require(r.status == 200, "\(path) answered \(r.status): \(r.text)", sourceLocation: sourceLocation)
        return try r.decode(type)
    }
}

extension TestResponse {
    var location: String? { header("Location") }
}

/// A test coach: a fixed review, so review pages show known text.
struct WebTestCoach: Coach {
    func review(_ input: ReviewInput) async throws -> CoachOutput {
        CoachOutput(
            content: ReviewContent(
                summary: "Summary for \(input.personID) <b>bold</b>", strengths: ["Clear notes"], improvements: ["Faster first response"],
                recommendations: [
                    Recommendation(priority: "low", category: "tagging", action: "Tag every ticket", impact: "Better reports"),
                    Recommendation(priority: "high", category: "response_time", action: "Answer within 10 minutes", impact: "Higher CSAT"),
                    Recommendation(priority: "medium", category: "sla", action: "Watch the SLA clock", impact: "Fewer breaches"),
                ],
                callouts: [Callout(type: "positive", reference: "Ticket T-1", observation: "Kind reply"),
                           Callout(type: "concern", reference: "Ticket T-2", observation: "Late reply")]),
            model: "web-test-coach", tokensIn: 10, tokensOut: 20)
    }

    static let factory: ReviewService.CoachFactory = { _ in WebTestCoach() }
}
