import Foundation
import ScorecardCache
import ScorecardCore
import ScorecardServer
import ScorecardSync
import ScorecardTesting
import Testing

/// The mirror's KPIs are the server's, byte for byte, whatever the range.
@Suite struct StatsParityTests {
    @Test(arguments: TestBackend.all) func mirrorKPIsEqualTheServersByteForByte(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server, sandbox in
            try await server.seedDemo(agents: 2, days: 10)
            let admin = try await server.adminToken()
            // Edge cases on top of the demo: no disposition, no talk, odd casing, a summary-only day.
            let extraDay = Demo.endDate.adding(days: 2)  // a Sunday after the demo data
            try await server.ingestCDRs(
                [
                    cdr("EDGE-1", agent: Demo.agent, day: extraDay, minute: 1, disposition: nil),
                    cdr("EDGE-2", agent: Demo.agent, day: extraDay, minute: 2, status: "Unanswered", talk: "00:00:00", disposition: nil),
                    cdr("EDGE-3", agent: Demo.agent, day: extraDay, minute: 3, type: "Manual", disposition: "booked APPOINTMENT ✓"),
                    cdr("EDGE-4", agent: Demo.agent, day: extraDay, minute: 4, status: "NotAnswered", type: "Progressive", talk: "00:00:00"),
                ], token: admin)
            try await server.ingestSummaries(
                [["AgentID": Demo.agent, "Date": "\(extraDay.adding(days: 1))", "TotalLoginDuration": "01:00:00", "AHT": "00:03:33"]],
                token: admin)
            let token = try await server.demoLogin()
            try registerAccount(sandbox, server: server.baseURL, person: Demo.agent, token: token)
            let mirror = try openMirror(sandbox, server: server.baseURL, person: Demo.agent)
            #expect(await makeEngine(mirror: mirror, server: server.baseURL, token: token, pageSize: 300).run().outcome == .upToDate)

            let end = Demo.endDate
            let saturday = end.adding(days: 1)
            try #require(saturday.isoWeekday == 6)
            let ranges: [(String, CivilDate, CivilDate)] = [
                ("a weekend day with no calls", saturday, saturday),
                ("a single working day", end.adding(days: -2), end.adding(days: -2)),
                ("a week, Monday to Sunday", end.adding(days: -4), end.adding(days: 2)),
                ("before any data", CivilDate("2026-01-01")!, CivilDate("2026-01-31")!),
                ("after all data", end.adding(days: 30), end.adding(days: 40)),
                ("all the demo days", end.adding(days: -9), end),
                ("straddling the start of the data", end.adding(days: -20), end.adding(days: -7)),
                ("the edge cases and the summary-only day", extraDay, extraDay.adding(days: 1)),
                ("a whole year", end.adding(days: -365), end),
            ]
            for (label, from, to) in ranges {
                let response = try await server.request("GET", "/api/v1/performance/kpis?from=\(from)&to=\(to)", token: token)
                #expect(response.status == 200, "\(label): \(response.text)")
                let local = try WireJSON.encode(try mirror.kpiReport(from: from, to: to))
                #expect(local == response.body, "\(label): mirror \(String(decoding: local, as: UTF8.self)) vs server \(response.text)")
            }

            // The CLI prints the same bytes (plus a newline).
            guard CLIChild.executable != nil else {
                Issue.record("\(CLIMissing())")
                return
            }
            for (label, from, to) in [ranges[2], ranges[0], ranges[7]] {
                let response = try await server.request("GET", "/api/v1/performance/kpis?from=\(from)&to=\(to)", token: token)
                let cli = try await CLIChild.run(["stats", "\(from)..\(to)", "--format", "json"], sandbox: sandbox)
                #expect(cli.status == 0, "\(label): \(cli.stderr)")
                #expect(cli.stdout.hasSuffix("\n"))
                #expect(String(cli.stdout.dropLast()) == response.text, "\(label): CLI vs server")
            }
            let single = ranges[1].1
            let cli = try await CLIChild.run(["stats", "\(single)", "--format", "json"], sandbox: sandbox)
            let response = try await server.request("GET", "/api/v1/performance/kpis?date=\(single)", token: token)
            #expect(String(cli.stdout.dropLast()) == response.text, "single day via YYYY-MM-DD and date=")
        }
    }
}
