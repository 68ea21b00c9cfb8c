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
}
