import Foundation
import ScorecardCore
import ScorecardServer
import ScorecardTesting
import Testing

/// Writers ingest and delete through HTTP while a reader pages through the feed: the reader's
/// mirror, built only from pages, must end equal to the server's state — no change lost.
@Suite("Concurrent feed")
struct ConcurrentFeedTests {
    /// Set once the writers are done.
    actor Flag {
        private(set) var isSet = false
        func set() { isSet = true }
    }

    static let writers = 3
    static let batchesPerWriter = 8

    /// Writer `w`'s batches: new ids and re-writes (own and other writers' ids), plus some deletes.
    static func plan(seed: Int, writer w: Int) -> [(records: [[String: String?]], delete: String?)] {
        var rng = SplitMix64(seed: UInt64(seed) &* 1_000 &+ UInt64(w))
        var created = 0
        var batches: [(records: [[String: String?]], delete: String?)] = []
        for _ in 0..<batchesPerWriter {
            var records: [[String: String?]] = []
            for _ in 0..<Int.random(in: 1...25, using: &rng) {
                if created == 0 || Int.random(in: 0..<10, using: &rng) < 6 {
                    records.append(cdr("s\(seed)-w\(w)-\(created)", agent: "agent-1", n: created, disposition: "new"))
                    created += 1
                } else {
                    let owner = Int.random(in: 0..<writers, using: &rng)
                    let index = Int.random(in: 0..<created, using: &rng)
                    let talk = HMS.clock(Int.random(in: 0..<600, using: &rng))
                    records.append(
                        cdr("s\(seed)-w\(owner)-\(index)", agent: "agent-1", n: index, disposition: "rewrite-\(Int.random(in: 0..<4, using: &rng))", talk: talk))
                }
            }
            let delete = created > 0 && Int.random(in: 0..<10, using: &rng) < 3 ? "s\(seed)-w\(w)-\(Int.random(in: 0..<created, using: &rng))" : nil
            batches.append((records, delete))
        }
        return batches
    }

    @Test(arguments: TestBackend.all, [1, 2, 3, 4, 5])
    func pullerMirrorEqualsServerState(backend: TestBackend, seed: Int) async throws {
        try await withServer(backend: backend) { server in
            let admin = try await server.adminToken()
            try await server.addPerson("agent-1")
            let agent = try await server.login("agent-1")
            let done = Flag()

            let puller = Task { () throws -> (mirror: [String: Call], pages: Int, seqs: [Int64]) in
                var mirror: [String: Call] = [:]
                var since: Int64 = 0
                var pages = 0
                var seqs: [Int64] = []
                while true {
                    let writersDone = await done.isSet  // read before the pull: the last pull sees every write
                    let page = try await server.pull(token: agent, since: since, limit: 50)
                    pages += 1
                    for change in page.changes {
                        seqs.append(change.seq)
                        switch change.op {
                        case .upsert:
                            guard let call = change.call else {
                                Issue.record("upsert without a call at seq \(change.seq)")
                                continue
                            }
                            #expect(call.id == change.id)
                            mirror[change.id] = call
                        case .delete:
                            #expect(change.data == nil)
                            mirror[change.id] = nil
                        }
                    }
                    // Mid-feed, `next` is the page's last seq; the last page may move it up to the head.
                    if let last = page.changes.last { #expect(page.hasMore ? page.next == last.seq : page.next >= last.seq) }
                    #expect(page.next >= since)
                    since = page.next
                    if writersDone && !page.hasMore { break }
                    if !page.hasMore { try await Task.sleep(for: .milliseconds(2)) }
                }
                return (mirror, pages, seqs)
            }

            try await withThrowingTaskGroup(of: Void.self) { group in
                for w in 0..<Self.writers {
                    let plan = Self.plan(seed: seed, writer: w)
                    group.addTask {
                        for batch in plan {
                            let result = try await server.ingestCDRs(batch.records, token: admin)
                            #expect(result.rejected.isEmpty)
                            #expect(result.inserted + result.updated + result.unchanged == batch.records.count)
                            if let id = batch.delete {
                                let status = try await server.request("DELETE", "/api/v1/calls/\(id)", token: admin).status
                                #expect(status == 204 || status == 404, "delete \(id)")
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            await done.set()
            let (mirror, pages, seqs) = try await puller.value

            let calls = try await server.store.calls(personID: "agent-1", from: allTime.from, to: allTime.to)
            let truth = Dictionary(uniqueKeysWithValues: calls.map { ($0.id, $0) })
            #expect(!truth.isEmpty)
            #expect(mirror.mapValues(\.version) == truth.mapValues(\.version))
            #expect(mirror == truth, "the mirror holds each call's latest content")
            #expect(seqs == seqs.sorted() && Set(seqs).count == seqs.count, "seqs strictly increase across pages")
            #expect(pages > 1)
            // A fresh full pull agrees too.
            let fresh = try await server.pullAll(token: agent)
            #expect(Set(fresh.filter { $0.op == .upsert }.map(\.id)) == Set(truth.keys))
        }
    }
}
