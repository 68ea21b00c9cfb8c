import Foundation
import ScorecardCache
import ScorecardCore
import ScorecardServer
import ScorecardSync
import ScorecardTesting
import Testing

/// 401 stops with "log in again"; a dead server stops with "offline" and the mirror keeps answering.
@Suite struct OfflineAndAuthTests {
    @Test(arguments: TestBackend.all) func aRevokedTokenEndsInLoginRequired(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server, sandbox in
            try await server.seedDemo(agents: 1, days: 5)
            let token = try await server.demoLogin()
            let mirror = try openMirror(sandbox, server: server.baseURL, person: Demo.agent)
            #expect(await makeEngine(mirror: mirror, server: server.baseURL, token: token).run().outcome == .upToDate)
            let callsBefore = try mirror.allCalls()
            try mirror.enqueue(.ackReview(reviewID: "r1", acknowledgedAt: "2026-11-20T10:00:00Z"), id: "0b7a4d2e-0000-4000-8000-000000000001")

            let logout = try await server.request("POST", "/api/v1/auth/logout", token: token)
            #expect(logout.status == 204)
            let report = await makeEngine(mirror: mirror, server: server.baseURL, token: token).run()
            guard case .loginRequired = report.outcome else {
                Issue.record("expected loginRequired, got \(report.outcome)")
                return
            }
            #expect(report.requests == 1, "401 is not retried (the push, first, gets it)")
            #expect(try mirror.allCalls() == callsBefore)
            #expect(try mirror.outboxIDs().count == 1, "pending edits stay")
            #expect(try mirror.meta(.lastSyncResult)?.hasPrefix("login required") == true)

            guard CLIChild.executable != nil else {
                Issue.record("\(CLIMissing())")
                return
            }
            try registerAccount(sandbox, server: server.baseURL, person: Demo.agent, token: token)
            let cli = try await CLIChild.run(["sync"], sandbox: sandbox)
            #expect(cli.status == 4, "exit 4 (login needed): \(cli.stderr)")
            #expect(cli.stderr.contains("scorecard login"), "stderr: \(cli.stderr)")
        }
    }

    @Test(arguments: TestBackend.all) func aDeadServerMeansOfflineAndTheMirrorStillAnswers(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server, sandbox in
            try await server.seedDemo(agents: 1, days: 10)
            let token = try await server.demoLogin()
            try registerAccount(sandbox, server: server.baseURL, person: Demo.agent, token: token)
            let mirror = try openMirror(sandbox, server: server.baseURL, person: Demo.agent)
            let engine = makeEngine(mirror: mirror, server: server.baseURL, token: token)
            #expect(await engine.run().outcome == .upToDate)
            let (from, to) = (Demo.endDate.adding(days: -6), Demo.endDate)
            let before = try mirror.kpiReport(from: from, to: to)
            #expect(before.calls.total > 0)

            await server.stop()

            let started = ContinuousClock.now
            let report = await engine.run()
            guard case .offline = report.outcome else {
                Issue.record("expected offline, got \(report.outcome)")
                return
            }
            #expect(ContinuousClock.now - started < .seconds(10), "offline is reported at once, not retried (8 backed-off retries average about 30 s)")
            #expect(try mirror.kpiReport(from: from, to: to) == before, "the mirror answers with the same figures")
            #expect(try mirror.meta(.lastSyncResult)?.hasPrefix("offline") == true)

            guard CLIChild.executable != nil else {
                Issue.record("\(CLIMissing())")
                return
            }
            let sync = try await CLIChild.run(["sync"], sandbox: sandbox)
            #expect(sync.status == 5, "exit 5 (offline): \(sync.stderr)")
            #expect(sync.stderr.contains("offline"))
            let stats = try await CLIChild.run(["stats", "\(from)..\(to)", "--format", "json"], sandbox: sandbox)
            #expect(stats.status == 0, "stats works offline: \(stats.stderr)")
            #expect(stats.stdout == String(decoding: try WireJSON.encode(before), as: UTF8.self) + "\n")
        }
    }
}
