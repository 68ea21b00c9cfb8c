import Foundation
import ScorecardCore
import ScorecardServer
import ScorecardTesting
import Testing

@Suite("Pull")
struct PullTests {
    @Test(arguments: TestBackend.all) func pagesWithLimit(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let admin = try await server.adminToken()
            try await server.addPerson("agent-1")
            let agent = try await server.login("agent-1")
            _ = try await server.ingestCDRs((0..<25).map { cdr("c\($0)", agent: "agent-1", n: $0) }, token: admin)

            var since: Int64 = 0
            var seen: [Int64] = []
            for (expectedCount, expectedMore) in [(10, true), (10, true), (5, false)] {
                let page = try await server.pull(token: agent, since: since, limit: 10)
                #expect(page.changes.count == expectedCount)
                #expect(page.hasMore == expectedMore)
                #expect(page.next == page.changes.last?.seq)
                #expect(page.changes.allSatisfy { $0.seq > since })
                seen += page.changes.map(\.seq)
                since = page.next
            }
            #expect(seen == Array(1...25))
            // Past the end: empty, has_more false, next stays where it was.
            let end = try await server.pull(token: agent, since: since, limit: 10)
            #expect(end.changes.isEmpty)
            #expect(!end.hasMore)
            #expect(end.next == since)
            // A limit that divides the feed exactly: the last full page says has_more false.
            let exact = try await server.pull(token: agent, since: 0, limit: 25)
            #expect(exact.changes.count == 25)
            #expect(!exact.hasMore)
            // The default limit returns everything here.
            let all = try await server.pull(token: agent, since: 0)
            #expect(all.changes.count == 25)
            #expect(!all.hasMore)
            // The wire shape.
            let r = try await server.request("GET", "/api/v1/sync/pull?since=0&limit=1", token: agent)
            let j = try r.json
            #expect(j["next"]?.int == 1)
            #expect(j["has_more"] == .bool(true))
            let change = try #require(j["changes"]?[0])
            #expect(Set(change.object?.keys.map { $0 } ?? []) == ["seq", "stream", "op", "id", "data"])
            #expect(change["data"]?["person_id"]?.string == "agent-1")
            #expect(change["data"]?["started_at"]?.string == "2026-11-16T08:00:00Z")
            #expect(change["data"]?["version"]?.int == 1)
        }
    }

    @Test(arguments: TestBackend.all) func aRewrittenCallAppearsOnceAtItsLatestSeq(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let admin = try await server.adminToken()
            try await server.addPerson("agent-1")
            let agent = try await server.login("agent-1")
            _ = try await server.ingestCDRs([cdr("x", agent: "agent-1", disposition: "v1")], token: admin)
            _ = try await server.ingestCDRs([cdr("y", agent: "agent-1", n: 1)], token: admin)
            for v in 2...5 {
                let result = try await server.ingestCDRs([cdr("x", agent: "agent-1", disposition: "v\(v)")], token: admin)
                #expect(result.updated == 1)
            }
            _ = try await server.ingestCDRs([cdr("x", agent: "agent-1", disposition: "v5")], token: admin)  // unchanged
            let changes = try await server.pullAll(token: agent)
            #expect(changes.map(\.id) == ["y", "x"])
            #expect(changes.map(\.seq) == [2, 6])
            let x = try #require(changes.last?.call)
            #expect(x.version == 5)
            #expect(x.disposition == "v5")
            // A client that had seen seq 2 gets only x, once.
            let tail = try await server.pullAll(token: agent, since: 2)
            #expect(tail.map(\.id) == ["x"])
            #expect(tail.first?.call?.version == 5)
        }
    }

    @Test(arguments: TestBackend.all) func tombstonesReplaceTheUpsert(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let admin = try await server.adminToken()
            try await server.addPerson("agent-1")
            let agent = try await server.login("agent-1")
            _ = try await server.ingestCDRs((0..<3).map { cdr("c\($0)", agent: "agent-1", n: $0) }, token: admin)
            #expect(try await server.request("DELETE", "/api/v1/calls/c1", token: admin).status == 204)
            let changes = try await server.pullAll(token: agent)
            #expect(changes.map(\.id) == ["c0", "c2", "c1"])
            #expect(changes.map(\.op) == [.upsert, .upsert, .delete])
            #expect(changes.last?.seq == 4)
            #expect(changes.last?.data == nil)
            #expect(changes.last?.stream == "calls")
        }
    }

    @Test(arguments: TestBackend.all, ["limit=0", "limit=5001", "limit=-3", "limit=ten", "since=-1", "since=abc", "since=1.5"])
    func invalidParametersAre422(backend: TestBackend, query: String) async throws {
        try await withServer(backend: backend) { server in
            try await server.addPerson("agent-1")
            let agent = try await server.login("agent-1")
            let r = try await server.request("GET", "/api/v1/sync/pull?\(query)", token: agent)
            #expect(r.status == 422, "\(query): \(r.text)")
            #expect(r.errorCode == "invalid_value")
            let name = String(query.prefix { $0 != "=" })
            #expect(try r.decode(ErrorBody.self).error.message.contains(name))
        }
    }

    /// `streams=` (a per-stream repair): only those streams' changes, while `next` and
    /// `has_more` still walk the whole feed to its head; in both page forms.
    @Test(arguments: TestBackend.all) func aStreamFilterSendsOnlyThoseStreams(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let admin = try await server.adminToken()
            try await server.addPerson("agent-1")
            let agent = try await server.login("agent-1")
            _ = try await server.ingestCDRs((0..<10).map { cdr("c\($0)", agent: "agent-1", n: $0) }, token: admin)
            let now = Timestamp.now()
            try await server.store.createGoal(
                Goal(
                    id: "g1", personID: "agent-1", domain: .support, metricKey: "sla_compliance_rate", label: "SLA", targetValue: 90,
                    comparison: .gte, deadline: "2099-12-31", createdByPersonID: nil, createdAt: now, updatedAt: now))
            _ = try await server.ingestCDRs((10..<20).map { cdr("c\($0)", agent: "agent-1", n: $0) }, token: admin)
            for format in ["json", "rows"] {
                var since: Int64 = 0, ids: [String] = [], pages = 0
                while true {
                    let r = try await server.request("GET", "/api/v1/sync/pull?since=\(since)&limit=5&resync=1&streams=goals&format=\(format)", token: agent)
                    try #require(r.status == 200, "\(r.text)")
                    // Either form: a change is an object (`json`) or `[seq, stream, op, id, data]` (`rows`).
                    guard case .object(let page) = try r.decode(JSONValue.self), case .array(let changes)? = page["changes"],
                        case .number(let next)? = page["next"], case .bool(let hasMore)? = page["has_more"]
                    else { Issue.record("not a page: \(r.text)"); return }
                    for change in changes {
                        switch change {
                        case .object(let c):
                            #expect(c["stream"] == .string("goals"), "\(format): \(c)")
                            if case .string(let id)? = c["id"] { ids.append(id) }
                        case .array(let c) where c.count >= 4:
                            #expect(c[1] == .string("goals"), "\(format): \(c)")
                            if case .string(let id) = c[3] { ids.append(id) }
                        default: Issue.record("\(format): an odd change \(change)")
                        }
                    }
                    since = Int64(next)
                    pages += 1
                    if !hasMore { break }
                }
                #expect(ids == ["g1"], "\(format)")
                #expect(since == 21, "\(format): the cursor walks to the head")
                #expect(pages == 1, "\(format): the other streams' rows are not even read into pages")
            }
            let both = try await server.request("GET", "/api/v1/sync/pull?since=0&streams=goals,calls", token: agent)
            #expect(try both.decode(PullPage<FeedEntity>.self).changes.count == 21)
            for bad in ["bogus", "goals,bogus", "", "goals,"] {
                let r = try await server.request("GET", "/api/v1/sync/pull?since=0&streams=\(bad)", token: agent)
                #expect(r.status == 422 && r.errorCode == "invalid_value", "streams=\(bad): \(r.text)")
            }
        }
    }

    @Test(arguments: TestBackend.all) func largestLimitIsAccepted(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            try await server.addPerson("agent-1")
            let agent = try await server.login("agent-1")
            let r = try await server.request("GET", "/api/v1/sync/pull?since=0&limit=5000", token: agent)
            #expect(r.status == 200)
            let page = try r.decode(PullPage<FeedEntity>.self)
            #expect(page.changes.isEmpty)
            #expect(page.next == 0)
            #expect(!page.hasMore)
        }
    }

    @Test(arguments: TestBackend.all) func cursorBelowThePrunedFloorIsGone(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let admin = try await server.adminToken()
            try await server.addPerson("agent-1")
            try await server.addPerson("agent-2")
            let agent = try await server.login("agent-1")
            let other = try await server.login("agent-2")
            _ = try await server.ingestCDRs((0..<3).map { cdr("c\($0)", agent: "agent-1", n: $0) }, token: admin)  // seq 1…3
            _ = try await server.ingestCDRs([cdr("o1", agent: "agent-2")], token: admin)
            #expect(try await server.request("DELETE", "/api/v1/calls/c1", token: admin).status == 204)  // tombstone at seq 4
            _ = try await server.ingestCDRs([cdr("c3", agent: "agent-1", n: 3)], token: admin)  // seq 5
            let pruned = try await server.store.pruneTombstones(olderThan: Int(Date().timeIntervalSince1970) + 10)
            #expect(pruned == 1)

            for since in [1, 2, 3] {
                let r = try await server.request("GET", "/api/v1/sync/pull?since=\(since)", token: agent)
                #expect(r.status == 410, "since=\(since)")
                #expect(r.errorCode == "cursor_expired")
            }
            // From the start (full resync) and from the floor on, the feed answers.
            let full = try await server.pullAll(token: agent, since: 0)
            #expect(full.map(\.id) == ["c0", "c2", "c3"])
            #expect(full.allSatisfy { $0.op == .upsert })
            #expect(try await server.pullAll(token: agent, since: 4).map(\.id) == ["c3"])
            #expect(try await server.pullAll(token: agent, since: 5).isEmpty)
            // Another person's feed has no floor.
            #expect(try await server.pullAll(token: other, since: 0).map(\.id) == ["o1"])
            #expect(try await server.request("GET", "/api/v1/sync/pull?since=1", token: other).status == 200)
        }
    }

    /// Three live calls (seq 1…3) and a pruned tombstone at seq 4, the head: the floor is 4.
    static func prunedFeed(_ server: TestServer) async throws -> String {
        let admin = try await server.adminToken()
        try await server.addPerson("agent-1")
        let agent = try await server.login("agent-1")
        _ = try await server.ingestCDRs((0..<4).map { cdr("c\($0)", agent: "agent-1", n: $0) }, token: admin)  // seq 1…4
        #expect(try await server.request("DELETE", "/api/v1/calls/c3", token: admin).status == 204)  // tombstone at seq 5, the head
        #expect(try await server.store.pruneTombstones(olderThan: Int(Date().timeIntervalSince1970) + 10) == 1)
        return agent
    }

    /// Pulls from `since=0` page by page like a client's full resync; returns the ids and the final cursor.
    static func resync(_ server: TestServer, token: String, limit: Int) async throws -> (ids: [String], cursor: Int64) {
        var since: Int64 = 0
        var ids: [String] = []
        while true {
            let page = try await server.pull(token: token, since: since, limit: limit, resync: true)
            ids += page.changes.map(\.id)
            since = page.next
            if !page.hasMore { return (ids, since) }
        }
    }

    @Test(arguments: TestBackend.all) func oneShotResyncAfterPruningEndsAtACursorTheServerAccepts(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let agent = try await Self.prunedFeed(server)
            // The rows left end at seq 3, but the floor is 5: the resync's cursor must not stay below it.
            let (ids, cursor) = try await Self.resync(server, token: agent, limit: 100)
            #expect(ids == ["c0", "c1", "c2"])
            #expect(cursor == 5)
            let next = try await server.request("GET", "/api/v1/sync/pull?since=\(cursor)", token: agent)
            #expect(next.status == 200, "\(next.text)")
        }
    }

    /// A full resync after pruning spans several pages whose cursors lie below the floor: with
    /// `resync=1` the server serves them; without it the second page is 410.
    @Test(arguments: TestBackend.all) func pagedResyncAfterPruningCompletes(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let agent = try await Self.prunedFeed(server)
            let (ids, cursor) = try await Self.resync(server, token: agent, limit: 1)
            #expect(ids == ["c0", "c1", "c2"])
            #expect(cursor == 5)
            let plain = try await server.request("GET", "/api/v1/sync/pull?since=1&limit=1", token: agent)
            #expect(plain.status == 410)
        }
    }

    @Test(arguments: TestBackend.all) func cursorBeyondTheHeadIsGone(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let admin = try await server.adminToken()
            try await server.addPerson("agent-1")
            let agent = try await server.login("agent-1")
            _ = try await server.ingestCDRs([cdr("c0", agent: "agent-1")], token: admin)
            #expect(try await server.request("GET", "/api/v1/sync/pull?since=1", token: agent).status == 200)
            // A cursor from another server (or a reset database) cannot be trusted.
            let r = try await server.request("GET", "/api/v1/sync/pull?since=2", token: agent)
            #expect(r.status == 410)
            #expect(r.errorCode == "cursor_expired")
        }
    }

    @Test(arguments: TestBackend.all) func recentTombstonesAreNotPruned(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let admin = try await server.adminToken()
            try await server.addPerson("agent-1")
            let agent = try await server.login("agent-1")
            _ = try await server.ingestCDRs([cdr("c0", agent: "agent-1"), cdr("c1", agent: "agent-1", n: 1)], token: admin)
            #expect(try await server.request("DELETE", "/api/v1/calls/c0", token: admin).status == 204)
            #expect(try await server.store.pruneTombstones(olderThan: Int(Date().timeIntervalSince1970) - 3_600) == 0)
            #expect(try await server.request("GET", "/api/v1/sync/pull?since=1", token: agent).status == 200)
            #expect(try await server.pullAll(token: agent).map(\.op) == [.upsert, .delete])
        }
    }
}
