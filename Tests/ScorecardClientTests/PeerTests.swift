import Foundation
import Logging
import ScorecardCore
import ScorecardServer
import ScorecardTesting
import Testing

/// Peer figures offline: the `peer` object `scorecard scores --format json` shows from the mirror
/// is the API's peer-comparison answer for the same week, for a team above and one below
/// `peer_comparison_min_team_size`, and a re-score moves both on together.
@Suite struct PeerTests {
    static let week = ISOWeek("2026-W40")!

    /// A ticket resolved on the week's Tuesday: SLA 40 when met, 20 when not escalated, CSAT 2
    /// per star; the resolution minutes are compared with the team baseline (30 points).
    static func ticket(_ id: String, _ person: String, sla: Bool, minutes: Double, csat: Int) -> JSONValue {
        .object([
            "kind": .string("ticket"), "id": .string(id), "person_id": .string(person),
            "opened_at": .string("\(week.monday.adding(days: 1))T09:00:00Z"), "resolved_at": .string("\(week.monday.adding(days: 1))T10:00:00Z"),
            "sla_met": .bool(sla), "resolution_minutes": .number(minutes), "escalated": .bool(false), "csat": .number(Double(csat)),
        ])
    }

    static func score(_ server: TestServer) async throws {
        var logger = Logger(label: "peer-tests")
        logger.logLevel = .critical
        _ = try await ScoringJob(store: server.store, logger: logger).score(period: week)
    }

    /// The API's answer in the shape the mirror's snapshot carries it.
    static func expectedPeer(_ server: TestServer, token: String) async throws -> JSONValue {
        let r = try await server.request("GET", "/api/v1/performance/peer-comparison?period=\(week)", token: token)
        try #require(r.status == 200, "\(r.text)")
        let c = try r.decode(PeerComparison.self)
        guard c.available else { return .object(["hidden": .bool(true), "reason": .string(try #require(c.reason))]) }
        let buckets = try #require(c.distribution).map { b -> JSONValue in
            let bounds = b.range.split(separator: "-").map { JSONValue.number(Double($0)!) }
            return .object(["from": bounds[0], "to": bounds[1], "count": .number(Double(b.count))])
        }
        return .object([
            "percentile": .number(try #require(c.percentile)), "team_average": .number(try #require(c.teamAverage)),
            "team_size": .number(Double(try #require(c.teamSize))), "distribution": .array(buckets),
        ])
    }

    /// Logs `person` in as the sandbox's account, syncs with the real CLI and returns `latest` of
    /// `scores --format json`.
    static func offlineLatest(_ server: TestServer, _ sandbox: Sandbox, person: String, token: String) async throws -> [String: JSONValue] {
        try registerAccount(sandbox, server: server.baseURL, person: person, token: token)
        let sync = try await CLIChild.run(["sync"], sandbox: sandbox)
        try #require(sync.status == 0, "\(sync.stderr)")
        let scores = try await CLIChild.run(["scores", "--format", "json"], sandbox: sandbox)
        try #require(scores.status == 0, "\(scores.stderr)")
        let json = try WireJSON.decode([String: JSONValue].self, from: Data(scores.stdout.utf8))
        guard case .object(let latest)? = json["latest"] else {
            Issue.record("no latest in \(scores.stdout)")
            return [:]
        }
        return latest
    }

    @Test(arguments: TestBackend.all) func offlinePeerFiguresEqualTheAPIsAboveAndBelowTheMinimum(backend: TestBackend) async throws {
        guard CLIChild.executable != nil else {
            Issue.record("\(CLIMissing())")
            return
        }
        try await withServer(backend: backend) { server, sandbox in
            try await server.addTeam("Big", type: .support)
            try await server.addTeam("Duo", type: .support)
            // Big: four people, resolution minutes 30, 60, 90, 120 (baseline 75); Duo: two people.
            let big: [(String, Bool, Double, Int)] = [("big-1", true, 30, 5), ("big-2", true, 60, 4), ("big-3", false, 90, 3), ("big-4", false, 120, 1)]
            var records: [JSONValue] = []
            for (id, sla, minutes, csat) in big {
                try await server.addPerson(id, team: "Big")
                records.append(Self.ticket("\(id)-t", id, sla: sla, minutes: minutes, csat: csat))
            }
            for (id, minutes) in [("duo-1", 20.0), ("duo-2", 40.0)] {
                try await server.addPerson(id, team: "Duo")
                records.append(Self.ticket("\(id)-t", id, sla: true, minutes: minutes, csat: 4))
            }
            let result = try await Ingest.activities(try Ingest.parseActivities(try WireJSON.encode(records)), store: server.store)
            try #require(result.rejected.isEmpty, "\(result.rejected)")
            try await Self.score(server)

            let bigToken = try await server.login("big-2"), duoToken = try await server.login("duo-1")
            let bigLatest = try await Self.offlineLatest(server, sandbox, person: "big-2", token: bigToken)
            let bigPeer = try await Self.expectedPeer(server, token: bigToken)
            #expect(bigLatest["peer"] == bigPeer, "above the minimum: mirror \(String(describing: bigLatest["peer"])) vs API \(bigPeer)")
            guard case .object(let shown) = bigPeer else { return }
            #expect(shown["team_size"] == .number(4))
            #expect(shown["team_average"] != nil && shown["hidden"] == nil)
            // The baselines the formulas used, per snapshot: the mean of 30, 60, 90 and 120.
            #expect(bigLatest["team_baselines"] == .object(["avg_resolution_minutes": .number(75)]))

            let duoLatest = try await Self.offlineLatest(server, sandbox, person: "duo-1", token: duoToken)
            let duoPeer = try await Self.expectedPeer(server, token: duoToken)
            #expect(duoLatest["peer"] == duoPeer, "below the minimum: mirror \(String(describing: duoLatest["peer"])) vs API \(duoPeer)")
            guard case .object(let hidden) = duoPeer else { return }
            #expect(hidden["hidden"] == .bool(true))
            #expect(hidden.keys.sorted() == ["hidden", "reason"], "no figures leak below the minimum")
            guard case .string(let reason)? = hidden["reason"] else { return }
            #expect(reason.contains("fewer than 3 people"))
            #expect(duoLatest["team_baselines"] == .object(["avg_resolution_minutes": .number(30)]))

            // The text page shows the same, offline.
            let text = try await CLIChild.run(["scores"], sandbox: sandbox)
            #expect(text.stdout.contains("Peer comparison hidden: \(reason)"), "\(text.stdout)")

            // A re-score with a minimum of 2 shows Duo's figures and hides nothing of Big's; with 5, Big's are hidden.
            try await server.store.setSetting(key: "peer_comparison_min_team_size", value: .number(2), by: nil)
            try await Self.score(server)
            let duoAgain = try await Self.offlineLatest(server, sandbox, person: "duo-1", token: duoToken)
            let duoShown = try await Self.expectedPeer(server, token: duoToken)
            #expect(duoAgain["peer"] == duoShown, "after a re-score: mirror \(String(describing: duoAgain["peer"])) vs API \(duoShown)")
            guard case .object(let duoFigures) = duoShown else { return }
            #expect(duoFigures["team_size"] == .number(2))

            try await server.store.setSetting(key: "peer_comparison_min_team_size", value: .number(5), by: nil)
            try await Self.score(server)
            let bigAgain = try await Self.offlineLatest(server, sandbox, person: "big-2", token: bigToken)
            let bigHidden = try await Self.expectedPeer(server, token: bigToken)
            #expect(bigAgain["peer"] == bigHidden, "after a re-score: mirror \(String(describing: bigAgain["peer"])) vs API \(bigHidden)")
            guard case .object(let h) = bigHidden else { return }
            #expect(h["hidden"] == .bool(true))
            #expect(bigAgain["version"] == .number(2), "the re-score that hid the figures moved the snapshot's version on; the one that kept them did not")
        }
    }
}
