import Foundation
import Logging
import ScorecardCore
import ScorecardServer
import ScorecardTesting
import Testing

// What the seed 002 tests (scoring, reviews, goals, reports, settings) share.

/// A logger that stays quiet in tests (the logging system is never bootstrapped here).
let quietLogger: Logger = {
    var logger = Logger(label: "performance-tests")
    logger.logLevel = .critical
    return logger
}()

// MARK: Weeks

/// The weeks the tests score: fixed, and all before the day the suite runs.
enum Weeks {
    static let w38 = ISOWeek("2026-W38")!
    static let w39 = ISOWeek("2026-W39")!
    /// Monday 2026-09-28 to Sunday 2026-10-04: the week most tests score.
    static let w40 = ISOWeek("2026-W40")!
    static let w41 = ISOWeek("2026-W41")!
    static let w42 = ISOWeek("2026-W42")!
    static let w43 = ISOWeek("2026-W43")!
}

extension ISOWeek {
    /// A timestamp on the week's `day` (0 = Monday … 6 = Sunday) at `time`.
    func at(_ day: Int, _ time: String = "10:00:00") -> String { "\(monday.adding(days: day))T\(time)Z" }

    /// A date (`YYYY-MM-DD`) in the week.
    func date(_ day: Int) -> String { monday.adding(days: day).description }
}

// MARK: Activity records

/// Activity objects in the shape `POST /api/v1/ingest/activities` takes (one kind per builder).
enum Activity {
    static func make(_ kind: String, _ id: String, _ person: String, _ fields: [String: JSONValue?]) -> JSONValue {
        var object: [String: JSONValue] = ["kind": .string(kind), "id": .string(id), "person_id": .string(person)]
        for (key, value) in fields {
            if let value { object[key] = value }
        }
        return .object(object)
    }

    static func ticket(
        _ id: String, _ person: String, resolved: String?, opened: String? = nil, sla: Bool? = nil, minutes: Double? = nil,
        escalated: Bool = false, csat: Int? = nil, tagged: Bool = false, summary: String? = nil
    ) -> JSONValue {
        make(
            "ticket", id, person,
            [
                "opened_at": j(opened ?? resolved ?? "2026-01-05T09:00:00Z"), "resolved_at": j(resolved), "sla_met": j(sla),
                "resolution_minutes": j(minutes), "escalated": j(escalated), "csat": j(csat), "tagged": j(tagged), "summary": j(summary),
            ])
    }

    static func task(
        _ id: String, _ person: String, assigned: String, due: String? = nil, completed: String? = nil, blocked: Bool = false,
        estimate: Double? = nil, actual: Double? = nil
    ) -> JSONValue {
        make(
            "task", id, person,
            [
                "assigned_at": j(assigned), "due_date": j(due), "completed_at": j(completed), "blocked": j(blocked),
                "estimated_minutes": j(estimate), "actual_minutes": j(actual),
            ])
    }

    static func workOrder(
        _ id: String, _ person: String, assigned: String, scheduled: String? = nil, started: String? = nil, completed: String? = nil,
        estimate: Double? = nil, actual: Double? = nil, notes: Bool = false, summary: String? = nil
    ) -> JSONValue {
        make(
            "work_order", id, person,
            [
                "assigned_at": j(assigned), "scheduled_start": j(scheduled), "actual_start": j(started), "completed_at": j(completed),
                "estimated_minutes": j(estimate), "actual_minutes": j(actual), "has_notes": j(notes), "summary": j(summary),
            ])
    }

    static func conversation(
        _ id: String, _ person: String, started: String, channel: String, firstResponse: Double? = nil, resolution: Double? = nil,
        resolved: Bool = false, tagged: Bool = false
    ) -> JSONValue {
        make(
            "conversation", id, person,
            [
                "started_at": j(started), "channel": j(channel), "first_response_minutes": j(firstResponse),
                "resolution_minutes": j(resolution), "resolved": j(resolved), "tagged": j(tagged),
            ])
    }

    static func lead(_ id: String, _ person: String, created: String, status: String = "open", closed: String? = nil, value: Double = 0)
        -> JSONValue
    {
        make("lead", id, person, ["created_at": j(created), "status": j(status), "closed_at": j(closed), "value": j(value)])
    }

    static func quote(_ id: String, _ person: String, sent: String, accepted: Bool?, value: Double = 0) -> JSONValue {
        make("quote", id, person, ["sent_at": j(sent), "accepted": j(accepted), "value": j(value)])
    }

    static func leadMessage(_ id: String, _ person: String, sent: String) -> JSONValue {
        make("lead_message", id, person, ["sent_at": j(sent), "lead_id": j("lead-\(id)")])
    }

    static func record(_ id: String, _ person: String, touched: String, type: String, total: Int, filled: Int, note: Int = 0) -> JSONValue {
        make(
            "record", id, person,
            [
                "touched_at": j(touched), "record_type": j(type), "fields_total": j(total), "fields_filled": j(filled),
                "note_length": j(note),
            ])
    }

    static func feedback(_ id: String, _ person: String, at: String, type: String = "approval", text: String, rating: Int? = nil)
        -> JSONValue
    {
        make("feedback", id, person, ["occurred_at": j(at), "feedback_type": j(type), "feedback": j(text), "rating": j(rating)])
    }

    /// A ticket resolved on `week`'s Tuesday whose support points need no team baseline
    /// (no resolution minutes): SLA 40 when met, escalation 20 when not escalated, CSAT 2 per star.
    static func scoreTicket(_ id: String, _ person: String, _ week: ISOWeek, sla: Bool?, escalated: Bool, csat: Int? = nil) -> JSONValue {
        ticket(id, person, resolved: week.at(1), sla: sla, escalated: escalated, csat: csat)
    }

    private static func j(_ s: String?) -> JSONValue? { s.map(JSONValue.string) }
    private static func j(_ d: Double?) -> JSONValue? { d.map(JSONValue.number) }
    private static func j(_ i: Int?) -> JSONValue? { i.map { JSONValue.number(Double($0)) } }
    private static func j(_ b: Bool?) -> JSONValue? { b.map(JSONValue.bool) }
}

/// The JSON body of an activities batch.
func activitiesBody(_ records: [JSONValue]) throws -> Data { try WireJSON.encode(records) }

/// A JSON body from literal text (bodies in tests read best as the JSON they are).
func jsonBody(_ text: String) -> Data { Data(text.utf8) }

// MARK: Coaches

/// The LLM's test double: a fixed review in seed 002's output schema, a failure for the listed
/// people, and a log of who it was asked about, in order.
struct TestCoach: Coach {
    static let model = "test-coach"
    var failFor: Set<String> = []
    var log: CoachLog?

    func review(_ input: ReviewInput) async throws -> CoachOutput {
        await log?.record(input.personID)
        if failFor.contains(input.personID) { throw CoachError("test coach has no answer for \(input.personID)") }
        return CoachOutput(content: TestCoach.content(for: input.personID), model: TestCoach.model, tokensIn: 321, tokensOut: 123)
    }

    /// Text with markers the audit log must never contain.
    static func content(for personID: String) -> ReviewContent {
        ReviewContent(
            summary: "SUMMARY-MARKER for \(personID)", strengths: ["STRENGTH-MARKER"], improvements: ["IMPROVEMENT-MARKER"],
            recommendations: [Recommendation(priority: "high", category: "sla", action: "ACTION-MARKER", impact: "IMPACT-MARKER")],
            callouts: [Callout(type: "concern", reference: "Ticket T-1", observation: "OBSERVATION-MARKER")])
    }

    static let markers = [
        "SUMMARY-MARKER", "STRENGTH-MARKER", "IMPROVEMENT-MARKER", "ACTION-MARKER", "IMPACT-MARKER", "OBSERVATION-MARKER",
    ]

    static func factory(failFor: Set<String> = [], log: CoachLog? = nil) -> ReviewService.CoachFactory {
        { _ in TestCoach(failFor: failFor, log: log) }
    }
}

/// Who a ``TestCoach`` was asked about.
actor CoachLog {
    private(set) var people: [String] = []
    func record(_ personID: String) { people.append(personID) }
}

// MARK: A store without a server

/// Opens a store on a fresh database of `backend` (``TestStore``), runs `body`, and removes the
/// store whether `body` returned or threw. `temp.count(sql)` counts rows outside the store.
func withStore(backend: TestBackend, _ body: (any ServerStore, TestStore) async throws -> Void) async throws {
    try await TestStore.with(backend, body)
}

extension ServerStore {
    /// A person with an unusable password (service tests never log in).
    @discardableResult
    func addPerson(_ id: String, role: Role = .agent, team: String? = nil) async throws -> Person {
        let person = Person(id: id, name: "Person \(id)", email: "\(id)@example.test", role: role, teamID: team)
        try await createPerson(person, passwordHash: "not-a-bcrypt-hash")
        return person
    }

    func addTeam(_ id: String, type: TeamType?, manager: String? = nil) async throws {
        try await createTeam(Team(id: id, name: "Team \(id)", teamType: type, managerPersonID: manager))
    }

    /// Ingests activity objects and requires every one to be accepted.
    @discardableResult
    func ingest(_ records: [JSONValue], sourceLocation: SourceLocation = #_sourceLocation) async throws -> IngestResult {
        let result = try await Ingest.activities(try Ingest.parseActivities(try activitiesBody(records)), store: self)
        try #require(result.rejected.isEmpty, "rejected: \(result.rejected)", sourceLocation: sourceLocation)
        return result
    }

    /// Scores one week with the scoring job.
    @discardableResult
    func score(_ week: ISOWeek) async throws -> ScoringJob.Run {
        try await ScoringJob(store: self, logger: quietLogger).score(period: week)
    }

    func set(_ key: String, _ value: JSONValue) async throws {
        try #require(SettingSpec.named(key)?.problem(with: value) == nil, "\(key) = \(value) is not valid")
        try await setSetting(key: key, value: value, by: nil)
    }

    /// Every change in a person's feed.
    func feed(_ personID: String) async throws -> [FeedChange] {
        try await pull(personID: personID, since: 0, limit: 5000, resync: false).changes
    }
}

/// `weights` as JSON for a weights setting.
func weightsJSON(_ pairs: [String: Double]) -> JSONValue { .object(pairs.mapValues(JSONValue.number)) }

extension Snapshot {
    /// The metrics of one domain (empty when the domain was not scored).
    func metrics(_ domain: Domain) -> [String: Double] { domains.first { $0.domain == domain }?.metrics ?? [:] }
    func domain(_ domain: Domain) -> DomainScore? { domains.first { $0.domain == domain } }
}

// MARK: A live server with a test coach

/// A real server on port 0 with a fresh database on a backend, like `TestServer`, whose reviews are written by
/// the given coach factory (nil: the server's default coach).
final class PerfServer: Sendable {
    /// The live server (started with a stand-in coach when the test gives one).
    let server: TestServer

    var store: any ServerStore { server.store }
    var running: RunningServer { server.running }
    var reviews: ReviewService { running.services.reviews }

    private init(server: TestServer) { self.server = server }

    static func start(backend: TestBackend, coach: ReviewService.CoachFactory?) async throws -> PerfServer {
        PerfServer(server: try await TestServer.start(backend: backend, makeCoach: coach))
    }

    func stop() async { await server.stop() }

    @discardableResult
    func addPerson(_ id: String, role: Role = .agent, team: String? = nil) async throws -> Person {
        try await server.addPerson(id, role: role, team: team)
    }

    func login(_ id: String) async throws -> String { try await server.login(id) }

    func request(_ method: String, _ path: String, token: String? = nil, body: Data? = nil, headers: [String: String] = [:]) async throws
        -> TestResponse
    {
        try await server.request(method, path, token: token, body: body, headers: headers)
    }

    func request(_ method: String, _ path: String, token: String? = nil, json text: String, headers: [String: String] = [:]) async throws
        -> TestResponse
    {
        try await request(method, path, token: token, body: jsonBody(text), headers: headers)
    }

    /// Every change in the caller's feed, pulled over HTTP as loose JSON.
    func feed(token: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [Change<JSONValue>] {
        var changes: [Change<JSONValue>] = []
        var since: Int64 = 0
        while true {
            let r = try await request("GET", "/api/v1/sync/pull?since=\(since)&limit=5000", token: token)
            try #require(r.status == 200, "pull answered \(r.status): \(r.text)", sourceLocation: sourceLocation)
            let page = try r.decode(PullPage<JSONValue>.self)
            changes += page.changes
            since = page.next
            if !page.hasMore { return changes }
        }
    }
}

func withPerfServer(
    backend: TestBackend, coach: ReviewService.CoachFactory? = TestCoach.factory(), _ body: (PerfServer) async throws -> Void
) async throws {
    let server = try await PerfServer.start(backend: backend, coach: coach)
    do {
        try await body(server)
    } catch {
        await server.stop()
        throw error
    }
    await server.stop()
}

extension Array where Element == Change<JSONValue> {
    /// The latest change of one entity in a feed.
    func latest(_ stream: SyncStream, _ id: String) -> Change<JSONValue>? {
        last { $0.stream == stream.rawValue && $0.id == id }
    }

    /// Whether any change names the entity.
    func mentions(_ stream: SyncStream, _ id: String) -> Bool { contains { $0.stream == stream.rawValue && $0.id == id } }
}

// MARK: The shared team layout of the HTTP tests

/// Team A (support; manager mgrA; lead1 as a lead; agents a1, a2, a3), team B (support; manager
/// mgrB; agent b1), admin root. Everyone but the managers and root has one ticket resolved in
/// 2026-W40, scored (support only, no resolution minutes, so no team baselines):
/// a1 20 (SLA missed), a2 40 (escalated), a3 70 (SLA met, CSAT 5), b1 0 (missed and escalated),
/// lead1 60 (SLA met, no CSAT).
enum PerfSeed {
    static let callers = ["a1", "a2", "a3", "b1", "lead1", "mgrA", "mgrB", "root"]
    static let scored: [String: Double] = ["a1": 20, "a2": 40, "a3": 70, "b1": 0, "lead1": 60]

    /// Who each caller may see (seed 002's access table).
    static let visible: [String: Set<String>] = [
        "a1": ["a1"], "a2": ["a2"], "a3": ["a3"], "b1": ["b1"],
        "lead1": ["mgrA", "lead1", "a1", "a2", "a3"],
        "mgrA": ["mgrA", "lead1", "a1", "a2", "a3"],
        "mgrB": ["mgrB", "b1"],
        "root": ["a1", "a2", "a3", "b1", "lead1", "mgrA", "mgrB", "root"],
    ]

    /// Seeds, scores 2026-W40 and returns a token per caller.
    static func seed(_ server: PerfServer) async throws -> [String: String] {
        try await server.addPerson("mgrA", role: .manager)
        try await server.addPerson("mgrB", role: .manager)
        try await server.addPerson("root", role: .admin)
        try await server.store.addTeam("A", type: .support, manager: "mgrA")
        try await server.store.addTeam("B", type: .support, manager: "mgrB")
        for id in ["lead1", "a1", "a2", "a3"] { try await server.addPerson(id, team: "A") }
        try await server.store.addMember(teamID: "A", personID: "lead1", role: .lead)
        try await server.addPerson("b1", team: "B")
        let w = Weeks.w40
        try await server.store.ingest([
            Activity.scoreTicket("a1-t", "a1", w, sla: false, escalated: false),
            Activity.scoreTicket("a2-t", "a2", w, sla: true, escalated: true),
            Activity.scoreTicket("a3-t", "a3", w, sla: true, escalated: false, csat: 5),
            Activity.scoreTicket("b1-t", "b1", w, sla: false, escalated: true),
            Activity.scoreTicket("lead1-t", "lead1", w, sla: true, escalated: false),
        ])
        try await server.store.score(w)
        var tokens: [String: String] = [:]
        for id in callers { tokens[id] = try await server.login(id) }
        return tokens
    }
}
