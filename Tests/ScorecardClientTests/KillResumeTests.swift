import Foundation
import ScorecardCache
import ScorecardCore
import ScorecardServer
import ScorecardSync
import ScorecardTesting
import Testing

/// `kill -9` of a real `scorecard sync` child at seeded random instants: the mirror is always at a
/// page boundary, and a resumed sync ends equal to the server with no duplicates and no gaps.
@Suite struct KillResumeTests {
    /// What the mirror file holds, read in this process between children.
    struct MirrorState {
        var cursor: Int64
        var callIDs: Set<String>
        var callRows: Int
        var summaryDates: Set<String>
        var summaryRows: Int
    }

    static func state(at path: String) throws -> MirrorState {
        let mirror = try Mirror(path: path)
        let status = try mirror.status()
        return MirrorState(
            cursor: status.cursor, callIDs: Set(try mirror.allCalls().map(\.id)), callRows: status.rows["calls"] ?? 0,
            summaryDates: Set(try mirror.daySummaries(from: allTime.from, to: allTime.to).map(\.date.description)),
            summaryRows: status.rows["day_summaries"] ?? 0)
    }

    @Test(.timeLimit(.minutes(10)), arguments: TestBackend.all)
    func killNineAtRandomPointsThenResume(backend: TestBackend) async throws {
        guard CLIChild.executable != nil else {
            Issue.record("\(CLIMissing())")
            return
        }
        try await withServer(backend: backend) { server, sandbox in
            try await server.seedDemo(agents: 1, days: 35)
            let token = try await server.demoLogin()
            let account = try registerAccount(sandbox, server: server.baseURL, person: Demo.agent, token: token)
            let path = sandbox.accounts.mirrorPath(account)
            let feed = try await server.feed(of: Demo.agent)
            let head = feed.head
            try #require(feed.changes.count >= 2_000, "a first sync of \(feed.changes.count) changes at 50 a page is multi-page")
            #expect(feed.changes.allSatisfy { $0.op == .upsert })

            // After a page with cursor c is committed, the mirror holds exactly the feed's entities up to c.
            func expectPageBoundary(_ s: MirrorState, _ label: String) {
                let calls = Set(feed.changes.filter { $0.seq <= s.cursor && $0.stream == .calls }.map(\.id))
                let days = Set(feed.changes.filter { $0.seq <= s.cursor && $0.stream == .daySummaries }.map(\.id))
                #expect(s.callIDs == calls, "\(label): calls at cursor \(s.cursor): \(s.callIDs.count) vs \(calls.count)")
                #expect(s.callRows == calls.count, "\(label): no duplicate call rows")
                #expect(s.summaryDates == days, "\(label): day summaries at cursor \(s.cursor)")
                #expect(s.summaryRows == days.count, "\(label): no duplicate summary rows")
                #expect(s.cursor == 0 || s.cursor == head || feed.changes.contains { $0.seq == s.cursor }, "\(label): cursor on a seq")
            }

            var rng = SplitMix64(seed: 0xC0FF_EE00_0042)
            var kills = 0, midway = 0, completed = 0, restarts = 0
            let started = ContinuousClock.now
            var lastWasMidway = false
            while !(kills >= 24 && midway >= 12 && lastWasMidway), ContinuousClock.now - started < .seconds(60) {  // ends at the targets; the cap only bounds a loaded machine
                let child = try CLIChild(["sync", "--page-size", "50"], sandbox: sandbox)
                try await Task.sleep(for: .milliseconds(Int(rng.next() % 401)))
                child.kill9()
                let result = await child.wait()
                let s = try Self.state(at: path)
                let label = "run \(kills + completed + 1)"
                expectPageBoundary(s, label)
                lastWasMidway = false
                if result.signaled {
                    #expect(result.status == SIGKILL, "\(label): \(result.stderr)")
                    kills += 1
                    if s.cursor > 0 && s.cursor < head {
                        midway += 1
                        lastWasMidway = true
                    }
                } else {
                    #expect(result.status == 0, "\(label) exited \(result.status): \(result.stderr)")
                    completed += 1
                }
                if s.cursor == head {
                    // Done: start another first sync from an empty mirror, to be killed again.
                    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
                    restarts += 1
                }
            }
            #expect(kills >= 20, "kill points: \(kills) (\(midway) mid-sync, \(completed) runs completed, \(restarts) fresh starts)")
            #expect(midway >= 10, "kills that landed between the first and the last page: \(midway)")

            // The resumed sync runs to completion.
            let final = try await CLIChild.run(["sync", "--page-size", "50"], sandbox: sandbox)
            #expect(final.status == 0 && !final.signaled, "final sync: \(final.stderr)")
            let mirror = try openMirror(sandbox, server: server.baseURL, person: Demo.agent)
            try await expectMirrorEqualsServer(mirror, server, person: Demo.agent)
        }
    }

    /// A new mirror fetches this week and last first, then the history. `kill -9` at seeded
    /// instants in either phase: the mirror always holds exactly the window plus the feed up to
    /// its cursor; while the history runs, `stats week` answers (complete, equal to the server)
    /// and a range before the window exits 6 with `"complete": false`; a call rewritten on the
    /// server meanwhile ends at its newest version; the resumed sync ends equal to the server.
    @Test(.timeLimit(.minutes(10)), arguments: TestBackend.all)
    func killNineInTheWindowAndInTheHistory(backend: TestBackend) async throws {
        guard CLIChild.executable != nil else {
            Issue.record("\(CLIMissing())")
            return
        }
        try await withServer(backend: backend) { server, sandbox in
            try await server.addPerson("agent-1")
            let admin = try await server.adminToken()
            let today = DateRange.today()
            // 56 days up to today, 40 calls a day: 2,240 calls, 45 pages of 50.
            for back in stride(from: 55, through: 0, by: -1) {
                let day = today.adding(days: -back)
                _ = try await server.ingestCDRs((0..<40).map { cdr("d\(day)-\($0)", agent: "agent-1", day: day, minute: $0 * 7) }, token: admin)
            }
            // This week's first call rewritten: the window holds version 2.
            let thisWeek = ISOWeek(containing: today)
            _ = try await server.ingestCDRs([cdr("d\(thisWeek.monday)-0", agent: "agent-1", day: thisWeek.monday, minute: 0, talk: "00:03:00")], token: admin)
            let token = try await server.login("agent-1")
            let account = try registerAccount(sandbox, server: server.baseURL, person: "agent-1", token: token)
            let path = sandbox.accounts.mirrorPath(account)
            let windowFrom = thisWeek.previous.monday
            let before = "\(windowFrom.adding(days: -20))..\(windowFrom.adding(days: -1))"

            var rng = SplitMix64(seed: 0x57A7_5000_0018)
            var beforeWindow = 0, inHistory = 0, checked = 0, rounds = 0
            var rewritten = false
            let started = ContinuousClock.now
            while !(inHistory >= 6 && checked >= 3), ContinuousClock.now - started < .seconds(90) {
                rounds += 1
                let child = try CLIChild(["sync", "--page-size", "50"], sandbox: sandbox)
                try await Task.sleep(for: .milliseconds(Int(rng.next() % 500)))
                child.kill9()
                _ = await child.wait()
                let feed = try await server.feed(of: "agent-1")
                let mirror = try Mirror(path: path)
                let cursor = try mirror.cursor()
                let window = try mirror.meta(.windowCallsFrom).flatMap { CivilDate($0) }
                // Exactly the window plus the feed up to the cursor: nothing missing, nothing doubled.
                var expected = Set(feed.changes.filter { $0.seq <= cursor && $0.stream == .calls }.map(\.id))
                if let window {
                    #expect(window == windowFrom)
                    for change in feed.changes where change.stream == .calls {
                        if case .call(let call)? = change.entity, call.startedAt >= window.startTimestamp { expected.insert(change.id) }
                    }
                }
                let calls = try mirror.allCalls()
                #expect(Set(calls.map(\.id)) == expected, "round \(rounds): cursor \(cursor), window \(window.map(\.description) ?? "none")")
                #expect(calls.count == Set(calls.map(\.id)).count, "round \(rounds): no doubled rows")
                if window == nil {
                    #expect(cursor == 0, "round \(rounds): the history never starts before the window")
                    beforeWindow += 1
                } else if try mirror.historyProgress() != nil {
                    inHistory += 1
                    if checked < 3 {
                        checked += 1
                        let week = try await CLIChild.run(["stats", "week", "--format", "json"], sandbox: sandbox)
                        #expect(week.status == 0, "stats week while the history runs: \(week.stderr)")
                        let local = try WireJSON.decode(KPIReport.self, from: Data(week.stdout.utf8))
                        let remote = try await server.request(
                            "GET", "/api/v1/performance/kpis?from=\(thisWeek.monday)&to=\(today)", token: token)
                        var truth = try remote.decode(KPIReport.self)
                        truth.to = local.to
                        #expect(local.complete == true)
                        #expect(local.calls == truth.calls, "stats week equals the server's while the history runs")
                        let old = try await CLIChild.run(["stats", before, "--format", "json"], sandbox: sandbox)
                        #expect(old.status == 6, "a range before the window: exit 6 (\(old.stderr))")
                        #expect(old.stderr.contains("history still syncing ("), "\(old.stderr)")
                        #expect(try WireJSON.decode(KPIReport.self, from: Data(old.stdout.utf8)).complete == false)
                        let text = try await CLIChild.run(["stats", before], sandbox: sandbox)
                        #expect(text.status == 6 && text.stdout.isEmpty, "no partial figures in the text form")
                    }
                    if !rewritten {
                        // A newer version written on the server while the history runs.
                        rewritten = true
                        _ = try await server.ingestCDRs(
                            [cdr("d\(thisWeek.monday)-0", agent: "agent-1", day: thisWeek.monday, minute: 0, talk: "00:04:00")], token: admin)
                    }
                } else {
                    // Done: start again from an empty mirror.
                    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
                }
            }
            #expect(inHistory >= 6, "kills in the history phase: \(inHistory) (\(beforeWindow) before the window was in, \(rounds) rounds)")
            #expect(checked >= 3)
            let final = try await CLIChild.run(["sync", "--page-size", "50"], sandbox: sandbox)
            #expect(final.status == 0 && !final.signaled, "final sync: \(final.stderr)")
            let mirror = try openMirror(sandbox, server: server.baseURL, person: "agent-1")
            #expect(try mirror.historyProgress() == nil)
            #expect(try mirror.allCalls().first { $0.id == "d\(thisWeek.monday)-0" }?.version == 3, "the newest version, never an older one")
            try await expectMirrorEqualsServer(mirror, server, person: "agent-1")
            let month = try await CLIChild.run(["stats", before, "--format", "json"], sandbox: sandbox)
            #expect(month.status == 0)
            #expect(try WireJSON.decode(KPIReport.self, from: Data(month.stdout.utf8)).complete == true)
        }
    }
}
