import Foundation
import ScorecardCache
import ScorecardCore
import ScorecardServer
import ScorecardSync
import ScorecardTesting
import Testing

/// 410 → full resync: the mirror ends equal to the server and pending local edits survive.
@Suite struct ResyncTests {
    static let mutationID = "8d1c6f1e-3b0f-4a43-9b6f-0f5a1a2b3c4d"

    /// Syncs, queues a local edit, deletes a call on the server and prunes its tombstone (the
    /// client's cursor is now below the feed's floor), ingests more, and returns the admin token.
    static func expireTheCursor(_ server: TestServer, _ mirror: Mirror, token: String) async throws -> (admin: String, deleted: String) {
        let admin = try await server.adminToken()
        let first = await makeEngine(mirror: mirror, server: server.baseURL, token: token).run()
        try #require(first.outcome == .upToDate)
        try mirror.enqueue(.ackReview(reviewID: "review-1", acknowledgedAt: "2026-11-20T10:00:00Z"), id: mutationID)
        let victim = try #require(try mirror.allCalls().dropFirst(5).first).id
        #expect(try await server.request("DELETE", "/api/v1/calls/\(victim)", token: admin).status == 204)
        let pruned = try await server.store.pruneTombstones(olderThan: Int(Date().timeIntervalSince1970) + 10)
        #expect(pruned >= 1)
        let more = (1...12).map { cdr("LATE-\($0)", agent: Demo.agent, day: Demo.endDate.adding(days: 3), minute: $0) }
        try await server.ingestCDRs(more, token: admin)
        return (admin, victim)
    }

    @Test(arguments: TestBackend.all) func cursorExpiredRunsAFullResyncAndKeepsTheOutbox(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server, sandbox in
            try await server.seedDemo(agents: 1, days: 10)
            let token = try await server.demoLogin()
            let mirror = try openMirror(sandbox, server: server.baseURL, person: Demo.agent)
            let (_, victim) = try await Self.expireTheCursor(server, mirror, token: token)

            let report = await makeEngine(mirror: mirror, server: server.baseURL, token: token).run()
            #expect(report.outcome == .upToDate)
            #expect(report.resynced)
            try await expectMirrorEqualsServer(mirror, server, person: Demo.agent)
            #expect(try !mirror.allCalls().contains { $0.id == victim }, "the deleted call is swept away")
            #expect(try mirror.allCalls().contains { $0.id == "LATE-12" })
            #expect(try mirror.outboxIDs() == [Self.mutationID], "the pending edit survives the resync")
            // The swapped-in tables have the golden shape and indexes (SQLite quotes renamed tables' names; cache/README.md).
            var swapped = try mirror.schemaSQL()
            for table in ["calls", "day_summaries", "snapshots", "reviews", "goals", "feedback"] {
                swapped = swapped.replacingOccurrences(of: "CREATE TABLE \"\(table)\" (", with: "CREATE TABLE \(table) (")
            }
            #expect(swapped == (try Mirror(path: sandbox.root.path + "/fresh.sqlite").schemaSQL()), "the swap leaves the golden schema")

            // And the next sync is an ordinary incremental one.
            let again = await makeEngine(mirror: mirror, server: server.baseURL, token: token).run()
            #expect(again.outcome == .upToDate)
            #expect(!again.resynced)
            #expect(again.stats.total == 0)
        }
    }

    /// The server's database restored from an older backup, then written past the client's
    /// cursor: the history the client pulled is gone, but its cursor is below the new head. The
    /// cursor's feed mark is not the server's, so the pull answers 410 and the client resyncs
    /// instead of keeping a row the server no longer has (found by `scorecard-bench chaos`).
    @Test(arguments: TestBackend.all) func aCursorFromARestoredAwayHistoryMakesTheClientResync(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server, sandbox in
            try await server.seedDemo(agents: 1, days: 10)
            let token = try await server.demoLogin()
            let admin = try await server.adminToken()
            let mirror = try openMirror(sandbox, server: server.baseURL, person: Demo.agent)
            let first = await makeEngine(mirror: mirror, server: server.baseURL, token: token).run()
            try #require(first.outcome == .upToDate)
            #expect(try mirror.feedMark() != nil, "the last page's mark is kept with the cursor")
            // What a restore does to the feed: a call the client holds is gone without a tombstone,
            // and the writes since the backup are another history (other marks).
            let lost = try #require(try mirror.allCalls().first).id
            try await server.execute("DELETE FROM change_log WHERE entity_id = '\(lost)'; DELETE FROM calls WHERE id = '\(lost)'")
            try await server.execute("UPDATE feed_marks SET tag = ~tag")
            let more = (1...40).map { cdr("AFTER-\($0)", agent: Demo.agent, day: Demo.endDate.adding(days: 3), minute: $0) }
            try await server.ingestCDRs(more, token: admin)

            let report = await makeEngine(mirror: mirror, server: server.baseURL, token: token).run()
            #expect(report.outcome == .upToDate)
            #expect(report.resynced, "the pull refused the cursor (410) and the client resynced")
            #expect(try !mirror.allCalls().contains { $0.id == lost }, "the row the server lost is gone from the mirror")
            try await expectMirrorEqualsServer(mirror, server, person: Demo.agent)
            // The next sync is an ordinary incremental one again.
            let again = await makeEngine(mirror: mirror, server: server.baseURL, token: token).run()
            #expect(again.outcome == .upToDate && !again.resynced && again.stats.total == 0)
        }
    }

    /// A feed with more changes below its floor than one page holds: the resync pulls page after
    /// page below the floor (`resync=1`). A 410 on those pages used to make the client restart the
    /// resync forever.
    @Test(arguments: TestBackend.all) func aMultiPageResyncBelowTheFloorCompletes(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server, sandbox in
            try await server.seedDemo(agents: 1, days: 10)
            let token = try await server.demoLogin()
            let mirror = try openMirror(sandbox, server: server.baseURL, person: Demo.agent)
            _ = try await Self.expireTheCursor(server, mirror, token: token)

            let report = await makeEngine(mirror: mirror, server: server.baseURL, token: token, pageSize: 100).run()
            #expect(report.outcome == .upToDate)
            #expect(report.resynced)
            #expect(report.pages > 5, "a multi-page resync")
            try await expectMirrorEqualsServer(mirror, server, person: Demo.agent)
            #expect(try mirror.outboxIDs() == [Self.mutationID])
        }
    }

    /// When the newest changes were tombstones that got pruned, a resync must still leave the
    /// cursor where the next pull is accepted — not resync again on every later sync.
    @Test(arguments: TestBackend.all) func aResyncIsNotRepeatedOnTheNextSync(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server, sandbox in
            try await server.seedDemo(agents: 1, days: 10)
            let admin = try await server.adminToken()
            let token = try await server.demoLogin()
            let mirror = try openMirror(sandbox, server: server.baseURL, person: Demo.agent)
            let engine = makeEngine(mirror: mirror, server: server.baseURL, token: token)
            #expect(await engine.run().outcome == .upToDate)
            let victim = try #require(try mirror.allCalls().first).id
            #expect(try await server.request("DELETE", "/api/v1/calls/\(victim)", token: admin).status == 204)
            _ = try await server.store.pruneTombstones(olderThan: Int(Date().timeIntervalSince1970) + 10)

            let first = await engine.run()
            #expect(first.outcome == .upToDate)
            #expect(first.resynced)
            try await expectMirrorEqualsServer(mirror, server, person: Demo.agent)
            let second = await engine.run()
            #expect(second.outcome == .upToDate)
            #expect(!second.resynced, "no second full resync right after the first")
            #expect(second.stats.total == 0)
        }
    }

    /// A resync that fails half-way leaves the old truth visible, keeps the outbox, and the next run
    /// resumes it from its own cursor to the same end state.
    @Test(arguments: TestBackend.all) func anInterruptedResyncResumesAndEndsEqual(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server, sandbox in
            try await server.seedDemo(agents: 1, days: 10)
            let token = try await server.demoLogin()
            let mirror = try openMirror(sandbox, server: server.baseURL, person: Demo.agent)
            let (_, victim) = try await Self.expireTheCursor(server, mirror, token: token)
            let callsBefore = try mirror.allCalls()

            // The push of the queued ack (the server rejects it: there is no such review; it stays in
            // the outbox) and the 410 get through; every request after them fails, so the run gives
            // up with the resync begun and no page of it in.
            let reset = TransportError(.transient, "connection reset by peer")
            let transport = ScriptedTransport([.pass, .pass], then: .fail(reset))
            let broken = await makeEngine(mirror: mirror, server: server.baseURL, token: token, transport: transport, maxAttempts: 3).run()
            guard case .failed = broken.outcome else {
                Issue.record("expected the run to give up: \(broken.outcome)")
                return
            }
            #expect(broken.resynced)
            #expect(try mirror.resyncCursor() == 0, "the resync started and is remembered")
            #expect(try mirror.allCalls() == callsBefore, "the visible truth is untouched until the swap")
            #expect(try mirror.outboxIDs() == [Self.mutationID])

            let resumed = await makeEngine(mirror: mirror, server: server.baseURL, token: token).run()
            #expect(resumed.outcome == .upToDate)
            try await expectMirrorEqualsServer(mirror, server, person: Demo.agent)
            #expect(try !mirror.allCalls().contains { $0.id == victim })
            #expect(try mirror.outboxIDs() == [Self.mutationID])
        }
    }

    /// Same, interrupted after some pages of a multi-page resync (a floor of 0, so the server's
    /// floor check does not interfere: the client is put into a resync by hand).
    @Test(arguments: TestBackend.all) func aResyncInterruptedAfterSomePagesResumesFromItsCursor(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server, sandbox in
            try await server.seedDemo(agents: 1, days: 10)
            let admin = try await server.adminToken()
            let token = try await server.demoLogin()
            let mirror = try openMirror(sandbox, server: server.baseURL, person: Demo.agent)
            #expect(await makeEngine(mirror: mirror, server: server.baseURL, token: token).run().outcome == .upToDate)
            try mirror.enqueue(.cancelGoal(goalID: "goal-1", baseVersion: 1), id: Self.mutationID)
            let victim = try #require(try mirror.allCalls().last).id
            #expect(try await server.request("DELETE", "/api/v1/calls/\(victim)", token: admin).status == 204)

            try mirror.beginResync()
            let reset = TransportError(.transient, "connection reset by peer")
            let transport = ScriptedTransport([.pass, .pass, .pass], then: .fail(reset))
            let broken = await makeEngine(mirror: mirror, server: server.baseURL, token: token, pageSize: 60, transport: transport, maxAttempts: 2)
                .run()
            guard case .failed = broken.outcome else {
                Issue.record("expected the run to give up: \(broken.outcome)")
                return
            }
            #expect(broken.pages >= 2)
            let resyncCursor = try #require(try mirror.resyncCursor())
            #expect(resyncCursor > 0)
            #expect(try mirror.allCalls().contains { $0.id == victim }, "old truth still visible mid-resync")

            let resumed = await makeEngine(mirror: mirror, server: server.baseURL, token: token, pageSize: 60).run()
            #expect(resumed.outcome == .upToDate)
            #expect(try mirror.resyncCursor() == nil)
            try await expectMirrorEqualsServer(mirror, server, person: Demo.agent)
            #expect(try !mirror.allCalls().contains { $0.id == victim }, "swept: it was never seen in the resync")
            #expect(try mirror.outboxIDs() == [Self.mutationID])
        }
    }
}
