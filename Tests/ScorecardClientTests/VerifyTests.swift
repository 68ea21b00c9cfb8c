import Foundation
import ScorecardCache
import ScorecardCore
import ScorecardServer
import ScorecardSync
import ScorecardTesting
import Testing

/// `scorecard verify` against the real server on both backends: an equal mirror costs one request;
/// rows deleted, altered and added behind the client's back (with sqlite3) are each named, and
/// `verify --repair` makes the mirror equal again without touching the pending outbox.
@Suite struct VerifyTests {
    /// The `verify --format json` answer, as far as the tests read it.
    struct Answer: Decodable {
        struct Named<Item: Decodable>: Decodable {
            var count: Int
            var ids: [Item]
        }
        struct Stale: Decodable, Equatable {
            var id: String
            var mirror_version: Int
            var server_version: Int
        }
        struct Stream: Decodable {
            var stream: String
            var status: String
            var count: Int
            var mirror_count: Int
            var digest: String
            var mirror_digest: String
            var missing: Named<String>?
            var extra: Named<String>?
            var stale: Named<Stale>?
        }
        var equal: Bool
        var head: Int64
        var requests: Int
        var synced: Bool
        var repaired: [String]
        var streams: [Stream]

        func stream(_ name: String) -> Stream? { streams.first { $0.stream == name } }
        var statuses: [String: String] { Dictionary(uniqueKeysWithValues: streams.map { ($0.stream, $0.status) }) }
    }

    static func answer(_ result: CLIResult, sourceLocation: SourceLocation = #_sourceLocation) throws -> Answer {
        do {
            return try WireJSON.decode(Answer.self, from: Data(result.stdout.utf8))
        } catch {
            Issue.record("not a verify answer (exit \(result.status)): \(result.stdout) \(result.stderr)", sourceLocation: sourceLocation)
            throw error
        }
    }

    /// Runs SQL on the mirror file with the sqlite3 shell, as someone behind the client's back would.
    static func sqlite3(_ path: String, _ sql: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [path, sql]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "sqlite3 \(sql)", sourceLocation: sourceLocation)
    }

    /// Ana's world (a snapshot, a review, a goal) plus 12 calls and the admin's token.
    static func seed(_ server: TestServer) async throws -> (world: EditsWorld, admin: String) {
        let world = try await server.seedEdits()
        let admin = try await server.adminToken()
        let day = CivilDate("2026-11-18")!
        try await server.ingestCDRs((1...12).map { cdr("C-\($0)", agent: EditsWorld.agent, day: day, minute: $0) }, token: admin)
        return (world, admin)
    }

    @Test(arguments: TestBackend.all) func equalMirrorCostsOneRequestAndEveryDifferenceIsNamedAndRepaired(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server, _ in
            let (world, _) = try await Self.seed(server)
            let proxy = try FaultProxy(upstreamPort: server.port)
            proxy.start()
            defer { proxy.stop() }
            let device = try await Device.make(url: "http://127.0.0.1:\(proxy.port)", server: server)
            defer { device.remove() }
            try await device.ok("sync")

            // Equal: one request, `ok` everywhere.
            let connections = proxy.connectionsAccepted
            let equal = try Self.answer(try await device.ok("verify", "--format", "json"))
            #expect(equal.equal)
            #expect(equal.requests == 1, "an equal mirror costs one request")
            #expect(proxy.connectionsAccepted == connections + 1, "one connection, one request")
            #expect(!equal.synced)
            #expect(Set(equal.statuses.values) == ["ok"], "\(equal.statuses)")
            #expect(equal.stream("calls")?.count == 12)
            #expect(equal.stream("goals")?.count == 1)
            #expect(equal.stream("reviews")?.count == 1)
            #expect(equal.stream("feedback")?.count == 0)
            #expect(equal.stream("calls")?.digest == equal.stream("calls")?.mirror_digest)

            // A pending edit, then rows deleted, altered and added behind the client's back.
            try await device.ok("ack", String(world.review.id.prefix(8)))
            let outbox = try device.mirror().outbox()
            try #require(outbox.count == 1)
            let path = device.sandbox.accounts.mirrorPath(Account(server: device.url, person: EditsWorld.agent))
            let goalVersion = world.goal.version
            try Self.sqlite3(
                path,
                """
                DELETE FROM calls WHERE id = 'C-3';
                UPDATE calls SET version = version + 4, talk_seconds = 1 WHERE id = 'C-5';
                INSERT INTO calls(id, started_at, direction, call_type, status, talk_seconds, handling_seconds, disposition, version, extra)
                    VALUES ('GHOST-1', '2026-11-18T07:00:00Z', 'inbound', 'InBound', 'answered', 60, 90, NULL, 1, NULL);
                DELETE FROM goals;
                UPDATE reviews SET version = version + 7;
                """)

            let differs = try await device.run("verify", "--format", "json")
            #expect(differs.status == 7, "differences exit 7: \(differs.stderr)")
            #expect(differs.stderr.contains("differs from the server in 3 streams (calls, reviews, goals)"), "\(differs.stderr)")
            let found = try Self.answer(differs)
            #expect(!found.equal)
            #expect(found.statuses == ["calls": "differs", "day_summaries": "ok", "snapshots": "ok", "reviews": "differs", "goals": "differs", "feedback": "ok"])
            #expect(found.requests == 4, "the digest, then one listing per differing stream")
            let calls = try #require(found.stream("calls"))
            #expect(calls.missing?.ids == ["C-3"])
            #expect(calls.extra?.ids == ["GHOST-1"])
            #expect(calls.stale?.ids == [Answer.Stale(id: "C-5", mirror_version: 5, server_version: 1)])
            #expect(calls.count == 12 && calls.mirror_count == 12, "a count alone would not tell")
            #expect(found.stream("goals")?.missing?.ids == [world.goal.id])
            #expect(found.stream("goals")?.missing?.count == 1)
            #expect(found.stream("reviews")?.stale?.ids.first?.id == world.review.id)
            #expect(found.stream("day_summaries")?.missing == nil, "an equal stream names nothing (null)")
            #expect(goalVersion >= 1)

            // The table names the same.
            let table = try await device.run("verify")
            #expect(table.status == 7)
            #expect(table.stdout.contains("calls          differs: 1 missing (C-3), 1 extra (GHOST-1), 1 stale (C-5 v5, server v1)"), "\(table.stdout)")
            #expect(table.stdout.contains("day_summaries  ok (0)"), "\(table.stdout)")

            // Repair: equal again, the outbox as it was, nothing sent.
            let repaired = try await device.ok("verify", "--repair", "--format", "json")
            let after = try Self.answer(repaired)
            #expect(after.equal)
            #expect(after.repaired == ["calls", "reviews", "goals"])
            #expect(after.statuses == ["calls": "repaired", "day_summaries": "ok", "snapshots": "ok", "reviews": "repaired", "goals": "repaired", "feedback": "ok"])
            let kept = try device.mirror().outbox()
            #expect(kept.map(\.id) == outbox.map(\.id))
            #expect(kept.map(\.state) == [.pending])
            #expect(kept.map(\.attempts) == [0], "the pending edit was not sent")
            #expect(try await server.store.review(id: world.review.id)?.isAcknowledged == false, "nothing reached the server")
            let mirror = try device.mirror()
            #expect(try mirror.allCalls().map(\.id).sorted() == (1...12).map { "C-\($0)" }.sorted())
            #expect(try mirror.allCalls().first { $0.id == "C-5" }?.talkSeconds == 120, "the altered call is the server's again")
            #expect(try mirror.goals().map(\.id) == [world.goal.id])
            let shown = try await device.ok("reviews", "--format", "json")
            #expect(try WireJSON.decode([Review].self, from: Data(shown.stdout.utf8)).first?.isAcknowledged == true, "the pending ack is still laid over")
            let schema = try mirror.schemaSQL().replacingOccurrences(of: "\"", with: "")
            #expect(schema.contains("CREATE INDEX calls_started_at") && schema.contains("CREATE TRIGGER calls_deleted"), "indexes and trigger back")
            #expect(!schema.contains("_repair"), "no fresh table left behind")

            let again = try Self.answer(try await device.ok("verify", "--format", "json"))
            #expect(again.equal && again.requests == 1)
            #expect(try await device.ok("stats", "2026-11-18", "--format", "csv").stdout.contains("2026-11-18,12,"), "KPI aggregates rebuilt from the repaired calls")
        }
    }

    /// The server moved on since the last sync (a new call, a deleted one): verify syncs first,
    /// compares at the new head, and the tombstone is no entity.
    @Test(arguments: TestBackend.all) func whenTheServerMovedOnVerifySyncsFirst(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server, _ in
            let (_, admin) = try await Self.seed(server)
            let device = try await Device.make(url: server.baseURL, server: server)
            defer { device.remove() }
            try await device.ok("sync")
            try await server.ingestCDRs([cdr("C-13", agent: EditsWorld.agent, day: CivilDate("2026-11-19")!, minute: 1)], token: admin)
            #expect(try await server.request("DELETE", "/api/v1/calls/C-1", token: admin).status == 204)

            let answer = try Self.answer(try await device.ok("verify", "--format", "json"))
            #expect(answer.equal)
            #expect(answer.synced)
            #expect(answer.requests == 3, "digest, sync (one pull), digest again")
            #expect(answer.stream("calls")?.count == 12)
            let digest = try await server.store.feedDigest(personID: EditsWorld.agent, listing: .calls)
            #expect(digest.head == answer.head)
            #expect(digest.entities?.map(\.id).contains("C-1") == false, "tombstones are not listed")
            #expect(digest.entities?.count == 12)
            #expect(try device.mirror().meta(.lastVerifyResult) == "ok")
        }
    }

    /// The same pairs give the same digest in any order; a version or id change moves it.
    @Test func theDigestIsOrderIndependentAndSeesVersions() {
        var a = EntityDigest(), b = EntityDigest(), c = EntityDigest()
        let pairs = (1...100).map { ("C-\($0)", $0 % 3 + 1) }
        for (id, v) in pairs { a.add(id: id, version: v) }
        for (id, v) in pairs.reversed() { b.add(id: id, version: v) }
        for (id, v) in pairs { c.add(id: id, version: id == "C-50" ? v + 1 : v) }
        #expect(a == b)
        #expect(a != c)
        #expect(a.count == 100)
        // Fixed constants, no per-process seed: the value docs/sync.md gives (checked there with Python).
        #expect(EntityDigest.hash(id: "C-1", version: 1) == 0x3052_6a3d_70a3_8652)
        #expect(EntityDigest.hash(id: "C-1", version: 1) != EntityDigest.hash(id: "C-1", version: 2))
        #expect(StreamDigest(a).entityDigest == a)
        #expect(EntityDigest().hex == "0000000000000000")
    }
}
