import Foundation
import Logging
import ScorecardCore
import ScorecardServer
import ScorecardTesting
import Testing

/// `scorecard scores what-if` against a real re-score: the real server scores a week, the real
/// client syncs it and asks what-if for new values; then activity that produces exactly those
/// values is ingested, the week is scored again, and the server's new scores must be the what-if's.
@Suite struct WhatIfTests {
    static let week = ISOWeek("2026-W40")!
    static var tuesday: String { "\(week.monday.adding(days: 1))" }

    /// A ticket resolved on the week's Tuesday after `minutes`, with a CSAT of 3.
    static func ticket(_ id: String, _ person: String, sla: Bool, escalated: Bool, minutes: Double) -> JSONValue {
        .object([
            "kind": .string("ticket"), "id": .string(id), "person_id": .string(person),
            "opened_at": .string("\(tuesday)T09:00:00Z"), "resolved_at": .string("\(tuesday)T10:00:00Z"),
            "sla_met": .bool(sla), "resolution_minutes": .number(minutes), "escalated": .bool(escalated), "csat": .number(3),
        ])
    }

    /// A task assigned on the week's Tuesday, done that day or not; no due date, no estimate.
    static func task(_ id: String, _ person: String, done: Bool) -> JSONValue {
        var fields: [String: JSONValue] = [
            "kind": .string("task"), "id": .string(id), "person_id": .string(person), "assigned_at": .string("\(tuesday)T08:00:00Z"),
        ]
        if done { fields["completed_at"] = .string("\(tuesday)T16:00:00Z") }
        return .object(fields)
    }

    static func ingestAndScore(_ server: TestServer, _ records: [JSONValue]) async throws {
        let result = try await Ingest.activities(try Ingest.parseActivities(try WireJSON.encode(records)), store: server.store)
        try #require(result.rejected.isEmpty, "\(result.rejected)")
        var logger = Logger(label: "what-if-tests")
        logger.logLevel = .critical
        _ = try await ScoringJob(store: server.store, logger: logger).score(period: week)
    }

    /// `scorecard ARGUMENTS` in the sandbox, which must succeed, its standard output as JSON.
    static func json(_ arguments: [String], _ sandbox: Sandbox) async throws -> [String: JSONValue] {
        let r = try await CLIChild.run(arguments, sandbox: sandbox)
        try #require(r.status == 0, "\(arguments): exit \(r.status), \(r.stderr)")
        return try #require(try? WireJSON.decode([String: JSONValue].self, from: Data(r.stdout.utf8)), "\(arguments): not JSON: \(r.stdout)")
    }

    static func number(_ value: JSONValue?) -> Double? {
        if case .number(let x)? = value { return x }
        return nil
    }

    /// `domains` of a what-if's JSON as domain → (before, after).
    static func domains(_ json: [String: JSONValue]) -> [String: (Double, Double)] {
        guard case .array(let rows)? = json["domains"] else { return [:] }
        var out: [String: (Double, Double)] = [:]
        for case .object(let row) in rows {
            if case .string(let d)? = row["domain"], let b = number(row["before"]), let a = number(row["after"]) { out[d] = (b, a) }
        }
        return out
    }

    @Test(arguments: TestBackend.all) func whatIfEqualsTheServersRescore(backend: TestBackend) async throws {
        guard CLIChild.executable != nil else {
            Issue.record("\(CLIMissing())")
            return
        }
        try await withServer(backend: backend) { server, sandbox in
            try await server.addTeam("Desk", type: .support)
            for id in ["ana", "ben", "cara"] { try await server.addPerson(id, team: "Desk") }
            // Ana: 4 tickets, SLA met on 2 (50 %), 1 escalated (25 %), 60 minutes each, CSAT 3; 2 tasks, 1 done (50 %).
            // Ben: 2 tickets of 90 minutes, so the team's resolution baseline is mean(60, 90) = 75.
            var records: [JSONValue] = (1...4).map { Self.ticket("ana-t\($0)", "ana", sla: $0 <= 2, escalated: $0 == 1, minutes: 60) }
            records += [Self.task("ana-k1", "ana", done: true), Self.task("ana-k2", "ana", done: false)]
            records += (1...2).map { Self.ticket("ben-t\($0)", "ben", sla: true, escalated: false, minutes: 90) }
            try await Self.ingestAndScore(server, records)

            let anaToken = try await server.login("ana")
            try registerAccount(sandbox, server: server.baseURL, person: "ana", token: anaToken)
            let sync = try await CLIChild.run(["sync"], sandbox: sandbox)
            try #require(sync.status == 0, "\(sync.stderr)")
            // Support weights 30 and 10 → 75 % and 25 %. Support 20 + 6 + 15 + 6 = 47; operations
            // 17.5 + 0 + 0 + 15 = 32.5; composite 47 × 0.75 + 32.5 × 0.25 = 43.375 → 43.38.
            let stored = try #require(try await server.store.snapshot(personID: "ana", period: Self.week.description))
            #expect(stored.compositeScore == 43.38)

            let whatIf = try await Self.json(
                ["scores", "what-if", "sla_compliance_rate=75", "escalation_rate=12.5", "task_completion_rate=75", "--format", "json"], sandbox)
            #expect(Self.number(whatIf["composite_before"]) == 43.38)
            let predicted = try #require(Self.number(whatIf["composite_after"]))
            #expect(predicted == 54.94)  // 43.38 + (30 − 20 + 17.5 − 15) × 0.75 + (26.25 − 17.5) × 0.25 = 54.9425
            let predictedDomains = Self.domains(whatIf)
            #expect(predictedDomains.keys.sorted() == ["operations", "support"])

            // Make it real: 4 more tickets, all within SLA, none escalated, 60 minutes (Ana's mean and
            // so the baseline stay put), CSAT 3 → SLA 6 of 8 = 75 %, escalation 1 of 8 = 12.5 %; 2 more
            // tasks, both done → 3 of 4 = 75 %.
            var more: [JSONValue] = (5...8).map { Self.ticket("ana-t\($0)", "ana", sla: true, escalated: false, minutes: 60) }
            more += [Self.task("ana-k3", "ana", done: true), Self.task("ana-k4", "ana", done: true)]
            try await Self.ingestAndScore(server, more)
            let rescored = try #require(try await server.store.snapshot(personID: "ana", period: Self.week.description))
            #expect(rescored.domain(.support)?.metrics["sla_compliance_rate"] == 75)
            #expect(rescored.domain(.support)?.metrics["escalation_rate"] == 12.5)
            #expect(rescored.domain(.operations)?.metrics["task_completion_rate"] == 75)
            #expect(rescored.teamBaselines == stored.teamBaselines && rescored.weights == stored.weights)

            #expect(abs(predicted - rescored.compositeScore) <= 0.01, "what-if \(predicted), server \(rescored.compositeScore)")
            for (domain, (_, after)) in predictedDomains {
                let real = try #require(rescored.domainScores[domain])
                #expect(abs(after - real) <= 0.01, "\(domain): what-if \(after), server \(real)")
            }
            if case .array(let metrics)? = whatIf["metrics"] {
                for case .object(let m) in metrics {
                    guard case .string(let key)? = m["metric"], case .string(let d)? = m["domain"], let domain = Domain(rawValue: d) else { continue }
                    #expect(Self.number(m["points_after"]) == rescored.domain(domain)?.metrics[key + "_points"], "\(key)")
                }
            } else {
                Issue.record("no metrics in \(whatIf)")
            }

            // Synced, the same values are now the week's own: the what-if changes nothing.
            let again = try await CLIChild.run(["sync"], sandbox: sandbox)
            try #require(again.status == 0, "\(again.stderr)")
            let noop = try await Self.json(["scores", "what-if", "sla_compliance_rate=75", "--format", "json"], sandbox)
            #expect(Self.number(noop["composite_before"]) == rescored.compositeScore)
            #expect(Self.number(noop["composite_after"]) == rescored.compositeScore)

            // The table, and the errors: one line on stderr, exit 2 for what was typed, 1 for the week.
            let table = try await CLIChild.run(["scores", "what-if", "csat_avg=5"], sandbox: sandbox)
            #expect(table.status == 0 && table.stdout.contains("What-if · 2026-W40") && table.stdout.contains("Composite"), "\(table.stdout)")
            for (arguments, status, needle) in [
                (["happiness=3"], Int32(2), "'happiness'"), (["sla_compliance_rate=101"], 2, "0 to 100"), (["sla_compliance_rate=abc"], 2, "not a number"),
                (["win_rate=50"], 1, "no sales score"), ([], 2, "say which metrics"),
            ] {
                let r = try await CLIChild.run(["scores", "what-if"] + arguments, sandbox: sandbox)
                #expect(r.status == status, "\(arguments): \(r.status) \(r.stderr)")
                #expect(r.stderr.contains(needle) && r.stderr.split(separator: "\n").count == 1 && r.stdout.isEmpty, "\(arguments): \(r.stderr)")
            }

            // Cara had no activity: no snapshot, a clear message.
            let caraToken = try await server.login("cara")
            try registerAccount(sandbox, server: server.baseURL, person: "cara", token: caraToken)
            let caraSync = try await CLIChild.run(["sync"], sandbox: sandbox)
            try #require(caraSync.status == 0, "\(caraSync.stderr)")
            let none = try await CLIChild.run(["scores", "what-if", "sla_compliance_rate=90"], sandbox: sandbox)
            #expect(none.status == 1 && none.stderr.contains("no scores in the mirror yet"), "\(none.stderr)")
        }
    }
}

extension Snapshot {
    fileprivate func domain(_ domain: Domain) -> DomainScore? { domains.first { $0.domain == domain } }
}
