import Foundation
import ScorecardCache
import ScorecardCore
import ScorecardServer
import ScorecardSync
import ScorecardTesting
import Testing

/// A new machine on the emulated 1 Mbit/s, 300 ms link (``LinkProfile/mobile1Mbit``): the real
/// `scorecard` binary logs in with a year of calls waiting. `stats week` is right while the
/// history is still coming, the year arrives at ≤ 25 B a call, and a goal the manager sets reaches
/// the client's long-poll through the link. (The timings themselves are `scorecard-bench
/// field-link`'s; the bounds here only catch a wake-up that never comes.)
@Suite struct FieldLinkTests {
    static let calls = 20_000

    // The limit counts the wait for a test-server slot too: generous, so a busy machine is not a failure.
    @Test(.timeLimit(.minutes(10))) func aNewMachineOnTheMobileLink() async throws {
        guard CLIChild.executable != nil else {
            Issue.record("\(CLIMissing())")
            return
        }
        try await withServer(backend: .sqlite) { server, sandbox in
            try await server.addPerson("agent-1")
            let admin = try await server.adminToken()
            try await Self.ingestYear(server, admin: admin)
            let token = try await server.login("agent-1")
            let week = DateRange.parse("week", today: DateRange.today())!
            let truth = try await server.request("GET", "/api/v1/performance/kpis?from=\(week.from)&to=\(week.to)", token: token).text

            let proxy = try FaultProxy(upstreamPort: server.port)
            proxy.link = .mobile1Mbit
            proxy.start()
            defer { proxy.stop() }
            let url = "http://127.0.0.1:\(proxy.port)"
            let account = try registerAccount(sandbox, server: url, person: "agent-1", token: token)
            let path = sandbox.accounts.mirrorPath(account)
            // As `scorecard login` does: the mirror exists before the first sync (so the `stats`
            // polled below never races the sync to create it).
            _ = try openMirror(sandbox, server: url, person: "agent-1")

            // The first sync on the link; `stats week` polled meanwhile.
            let sync = try CLIChild(["sync"], sandbox: sandbox)
            var rightWhileHistoryRuns = false
            var polls = 0
            while true {
                let stats = try await CLIChild.run(["stats", "week", "--format", "json"], sandbox: sandbox)
                polls += 1
                if stats.status == 0, stats.stdout == truth + "\n" {
                    rightWhileHistoryRuns = try Mirror(path: path).historyProgress() != nil
                    break
                }
                if let ended = sync.exitStatusIfEnded, ended != 0 {
                    let result = await sync.wait()
                    Issue.record("the sync over the link failed (\(result.status)): \(result.stderr)")
                    return
                }
                if polls > 600 {
                    Issue.record("stats week never matched the server: \(stats.stdout.prefix(300)) \(stats.stderr.prefix(300))")
                    break
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            let synced = await sync.wait()
            #expect(synced.status == 0 && !synced.signaled, "sync: \(synced.stderr)")
            #expect(rightWhileHistoryRuns, "this week was right before the year was in (\(polls) polls)")
            let perCall = Double(proxy.bytesToClient) / Double(Self.calls)
            #expect(perCall <= 25, "\(perCall) B a call on the wire")
            let mirror = try openMirror(sandbox, server: url, person: "agent-1")
            #expect(try mirror.historyProgress() == nil)
            try await expectMirrorEqualsServer(mirror, server, person: "agent-1")

            // Live: the long-poll through the link hears of a goal set at the office.
            let engine = SyncEngine(mirror: mirror, client: APIClient(server: URL(string: url)!, token: token))
            let waiting = Task { try await engine.waitForChanges(wait: 20) }
            #expect(try await server.waitForLongPolls(1), "the client's long-poll reached the server")
            let goal = #"{"person_id":"agent-1","domain":"support","metric_key":"composite_score","label":"Lift the composite","target_value":80,"comparison":"gte","deadline":"2099-01-01"}"#
            let posted = ContinuousClock.now
            let created = try await server.request("POST", "/api/v1/performance/goals", token: admin, body: Data(goal.utf8))
            #expect(created.status == 201, "\(created.text)")
            let live = try #require(try await waiting.value)
            #expect(ContinuousClock.now - posted < .seconds(5), "the goal reached the waiting client")
            #expect(Set(live.page.changes.map(\.stream)) == ["goals"], "\(live.page.changes.count) changes after the goal")
            let applied = try #require(try engine.applyLive(live))
            #expect(applied.documents.count == 1)
            #expect(try mirror.goals().contains { $0.label == "Lift the composite" })
        }
    }

    /// A year of calls for agent-1 (the field-link benchmark's data), up to a minute ago.
    static func ingestYear(_ server: TestServer, admin: String) async throws {
        let records = CDRFixture.year(agent: "agent-1", calls: calls)
        for start in stride(from: 0, to: records.count, by: 10_000) {
            _ = try await server.ingestCDRs(Array(records[start..<min(records.count, start + 10_000)]), token: admin)
        }
    }
}
