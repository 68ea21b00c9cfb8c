import Foundation
import Logging
import ScorecardCache
import ScorecardCore
import ScorecardServer
import ScorecardSync
import ScorecardTesting
import Testing

/// What the offline-edit tests start from: team `t1` managed by `boss`, agent `ana` with a scored
/// week, a rule-based review of it (not acknowledged) and one goal the manager set.
struct EditsWorld {
    static let agent = "ana"
    var managerToken: String
    var review: Review
    var goal: Goal
}

extension TestServer {
    func seedEdits() async throws -> EditsWorld {
        try await addPerson("boss", role: .manager)
        try await addTeam("t1", type: .support, manager: "boss")
        try await addPerson(EditsWorld.agent, team: "t1")
        try await store.addMember(teamID: "t1", personID: EditsWorld.agent, role: .member)
        let week = ISOWeek("2026-W45")!
        let day = week.monday.adding(days: 1)
        var records: [Result<ActivityRecord, RecordError>] = []
        for n in 0..<3 {
            records.append(
                ActivityRecord.parse([
                    "kind": .string("ticket"), "id": .string("T-\(n)"), "person_id": .string(EditsWorld.agent),
                    "opened_at": .string("\(day)T09:00:00Z"), "resolved_at": .string("\(day)T1\(n):00:00Z"),
                    "sla_met": .bool(n > 0), "resolution_minutes": .number(Double(60 * (n + 1))),
                ]))
        }
        _ = try await Ingest.activities(records, store: store)
        var logger = Logger(label: "edits")
        logger.logLevel = .critical
        _ = try await ScoringJob(store: store, logger: logger).score(period: week)
        let manager = try await login("boss")
        let generated = try await request(
            "POST", "/api/v1/performance/reviews/generate", token: manager, json: ["person_id": EditsWorld.agent, "period": "2026-W45"])
        try #require(generated.status == 201, "\(generated.text)")
        let created = try await request(
            "POST", "/api/v1/performance/goals", token: manager,
            body: Data(
                #"{"person_id":"ana","domain":"support","metric_key":"sla_compliance_rate","label":"SLA above 90%","target_value":90,"comparison":"gte","deadline":"2099-12-31"}"#
                    .utf8))
        try #require(created.status == 201, "\(created.text)")
        return EditsWorld(managerToken: manager, review: try generated.decode(Review.self), goal: try created.decode(Goal.self))
    }

    /// A manager's PATCH of a goal, on its current version.
    func managerPatch(_ goalID: String, _ json: String, token: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let current = try #require(try await store.goal(id: goalID), sourceLocation: sourceLocation)
        let r = try await request(
            "PATCH", "/api/v1/performance/goals/\(goalID)", token: token, body: Data(json.utf8), headers: ["If-Match": "\"\(current.version)\""])
        try #require(r.status == 200, "manager PATCH answered \(r.status): \(r.text)", sourceLocation: sourceLocation)
    }
}

/// One agent device: its own XDG homes, logged in as `ana` against `url` (the server or a proxy).
struct Device {
    let sandbox: Sandbox
    let url: String

    static func make(url: String, server: TestServer) async throws -> Device {
        let sandbox = try Sandbox.make()
        try registerAccount(sandbox, server: url, person: EditsWorld.agent, token: try await server.login(EditsWorld.agent))
        return Device(sandbox: sandbox, url: url)
    }

    /// `scorecard ARGUMENTS` on this device.
    @discardableResult
    func run(_ arguments: String..., sourceLocation: SourceLocation = #_sourceLocation) async throws -> CLIResult {
        try await CLIChild.run(arguments, sandbox: sandbox)
    }

    /// Runs and expects exit 0.
    @discardableResult
    func ok(_ arguments: String..., sourceLocation: SourceLocation = #_sourceLocation) async throws -> CLIResult {
        let r = try await CLIChild.run(arguments, sandbox: sandbox)
        #expect(r.status == 0 && !r.signaled, "scorecard \(arguments.joined(separator: " ")) → \(r.status): \(r.stderr)", sourceLocation: sourceLocation)
        return r
    }

    func mirror() throws -> Mirror { try openMirror(sandbox, server: url, person: EditsWorld.agent) }

    /// The goal as this device's `goals --all --format json` shows it.
    func shownGoal(_ id: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Goal? {
        let r = try await ok("goals", "--all", "--format", "json", sourceLocation: sourceLocation)
        return try WireJSON.decode([Goal].self, from: Data(r.stdout.utf8)).first { $0.id == id }
    }

    func remove() { sandbox.remove() }
}
