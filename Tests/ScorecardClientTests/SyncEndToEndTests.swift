import Foundation
import ScorecardCache
import ScorecardCore
import ScorecardServer
import ScorecardSync
import ScorecardTesting
import Testing

/// Real server on loopback, real mirror file, real HTTP.
@Suite struct SyncEndToEndTests {
    @Test(arguments: TestBackend.all) func firstSyncMirrorsEveryStreamOfTheAgent(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server, sandbox in
            try await server.seedDemo(agents: 2, days: 10)
            let token = try await server.demoLogin()
            let mirror = try openMirror(sandbox, server: server.baseURL, person: Demo.agent)
            let report = await makeEngine(mirror: mirror, server: server.baseURL, token: token, pageSize: 200).run()
            #expect(report.outcome == .upToDate)
            #expect(report.pages > 1, "several pages")
            #expect(!report.resynced)
            let serverCalls = try await server.store.calls(personID: Demo.agent, from: allTime.from, to: allTime.to)
            #expect(serverCalls.count > 400)
            #expect(report.stats.upserts["calls"] == serverCalls.count)
            #expect(report.stats.deletes.values.reduce(0, +) == 0)
            try await expectMirrorEqualsServer(mirror, server, person: Demo.agent)
            // Only the agent's own data: the other agent's calls are not in the mirror.
            let others = Set(try await server.store.calls(personID: "agent-002", from: allTime.from, to: allTime.to).map(\.id))
            #expect(!others.isEmpty)
            #expect(Set(try mirror.allCalls().map(\.id)).isDisjoint(with: others))
            #expect(try mirror.meta(.lastSyncResult) == "ok")
        }
    }

    @Test(arguments: TestBackend.all) func incrementalSyncReceivesOnlyTheNewChanges(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server, sandbox in
            try await server.seedDemo(agents: 2, days: 10)
            let admin = try await server.adminToken()
            let token = try await server.demoLogin()
            let mirror = try openMirror(sandbox, server: server.baseURL, person: Demo.agent)
            let engine = makeEngine(mirror: mirror, server: server.baseURL, token: token, pageSize: 500)
            #expect(await engine.run().outcome == .upToDate)
            let cursorBefore = try mirror.cursor()

            // 7 new calls and 2 changed ones for the agent; 3 new calls for someone else.
            let existing = try await server.store.calls(personID: Demo.agent, from: allTime.from, to: allTime.to)
                .filter { $0.status == .answered }
            let changed = [cdr(from: existing[3], talkSeconds: existing[3].talkSeconds + 11), cdr(from: existing[20], disposition: "Appointment Booked (changed)")]
            let fresh = (1...7).map { cdr("NEW-\($0)", agent: Demo.agent, day: Demo.endDate.adding(days: 1), minute: $0 * 7) }
            let elsewhere = (1...3).map { cdr("OTHER-\($0)", agent: "agent-002", day: Demo.endDate.adding(days: 1), minute: $0) }
            let result = try await server.ingestCDRs(fresh + changed + elsewhere, token: admin)
            #expect(result.inserted == 10 && result.updated == 2 && result.rejected.isEmpty)

            let report = await engine.run()
            #expect(report.outcome == .upToDate)
            #expect(report.stats.total == 9, "exactly the agent's 7 new and 2 changed calls: \(report.stats)")
            #expect(report.stats.upserts["calls"] == 9)
            #expect(report.pages == 1)
            #expect(try mirror.cursor() > cursorBefore)
            try await expectMirrorEqualsServer(mirror, server, person: Demo.agent)
            let changedCall = try mirror.allCalls().first { $0.id == existing[3].id }
            #expect(changedCall?.talkSeconds == existing[3].talkSeconds + 11)
            #expect(changedCall?.version == existing[3].version + 1)

            let noop = await engine.run()
            #expect(noop.outcome == .upToDate)
            #expect(noop.stats.total == 0)
            #expect(noop.requests == 1)
        }
    }

    @Test(arguments: TestBackend.all) func summariesAndDeletesFlowThroughIncrementalSyncs(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server, sandbox in
            let admin = try await server.adminToken()
            try await server.addPerson("a1")
            let token = try await server.login("a1")
            let day = CivilDate("2026-03-02")!
            try await server.ingestCDRs((0..<30).map { cdr("C\($0)", agent: "a1", day: day, minute: $0) }, token: admin)
            try await server.ingestSummaries(
                [["AgentID": "a1", "Date": "\(day)", "TotalLoginDuration": "08:00:00", "TotalBusyTime": "05:00:00", "AHT": "00:04:10"]],
                token: admin)
            let mirror = try openMirror(sandbox, server: server.baseURL, person: "a1")
            let engine = makeEngine(mirror: mirror, server: server.baseURL, token: token, pageSize: 7)
            #expect(await engine.run().outcome == .upToDate)
            try await expectMirrorEqualsServer(mirror, server, person: "a1")

            let deleted = try await server.request("DELETE", "/api/v1/calls/C4", token: admin)
            #expect(deleted.status == 204)
            try await server.ingestSummaries(
                [["AgentID": "a1", "Date": "\(day)", "TotalLoginDuration": "09:00:00", "TotalBusyTime": "05:00:00", "AHT": "00:04:20"]],
                token: admin)
            let report = await engine.run()
            #expect(report.outcome == .upToDate)
            #expect(report.stats.deletes["calls"] == 1)
            #expect(report.stats.upserts["day_summaries"] == 1)
            #expect(report.stats.total == 2)
            #expect(try !mirror.allCalls().contains { $0.id == "C4" })
            #expect(try mirror.daySummaries(from: day, to: day).first?.ahtSeconds == 260)
            try await expectMirrorEqualsServer(mirror, server, person: "a1")
        }
    }
}
