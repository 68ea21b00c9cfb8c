import Foundation
import GRDB
import ScorecardCore
import ScorecardServer
import ScorecardTesting
import Synchronization
import Testing

/// The number of SQL statements a page runs does not grow with the team: no query per member.
@Suite("Web statements per page")
struct StatementCountTests {
    /// Counts statements while `enabled`.
    final class Counter: Sendable {
        let count = Atomic<Int>(0)
        let enabled = Atomic<Bool>(false)
        func record() { if enabled.load(ordering: .relaxed) { count.add(1, ordering: .relaxed) } }
    }

    /// Statements each page runs for a team of `size` agents scored over two weeks.
    func statements(teamSize size: Int) async throws -> [String: Int] {
        let counter = Counter()
        let server = try await TestServer.start(prepare: { db in
            // The page's queries: not connection set-up (PRAGMAs), transaction control, or the
            // pool's own schema and snapshot reads, which depend on which connection serves a read.
            db.trace(options: .statement) { event in
                guard case .statement(let statement) = event else { return }
                let sql = statement.sql.uppercased()
                let plumbing = ["PRAGMA", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"].contains { sql.hasPrefix($0) } || sql.contains("SQLITE_MASTER")
                if !plumbing { counter.record() }
            }
        })
        do {
            try await server.addPerson("mgr", role: .manager)
            try await server.addTeam("T", type: .support, manager: "mgr")
            var records: [JSONValue] = []
            for p in 0..<size {
                try await server.addPerson("p\(p)", team: "T")
                for (w, week) in [WebSeed.w39, WebSeed.w40].enumerated() {
                    records.append(.object(WebSeed.ticket("t\(p)-\(w)", "p\(p)", week, sla: (p + w) % 2 == 0, escalated: p % 3 == 0, csat: 1 + p % 5)))
                }
            }
            _ = try await Ingest.activities(try Ingest.parseActivities(try WireJSON.encode(records)), store: server.store)
            for week in [WebSeed.w39, WebSeed.w40] { _ = try await ScoringJob(store: server.store, logger: quiet).score(period: week) }
            let manager = try await server.browser("mgr")
            let agent = try await server.browser("p1")
            var result: [String: Int] = [:]
            for (name, client, path) in [
                ("team", manager, "/admin/performance/team"), ("agent", manager, "/admin/performance/agents/p1"),
                ("mine", agent, "/agent/my-performance"), ("calls", agent, "/agent/my-performance/calls?period=week"),
                ("feedback", manager, "/admin/performance/feedback"),
            ] {
                for _ in 0..<2 { _ = try await client.get(path) }  // the pool's connections are open
                counter.count.store(0, ordering: .relaxed)
                counter.enabled.store(true, ordering: .relaxed)
                let r = try await client.get(path)
                counter.enabled.store(false, ordering: .relaxed)
                #expect(r.status == 200, "\(path)")
                result[name] = counter.count.load(ordering: .relaxed)
            }
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    @Test func statementsDoNotGrowWithTheTeam() async throws {
        let small = try await statements(teamSize: 3)
        let large = try await statements(teamSize: 15)
        #expect(small.count == 5)
        #expect(small == large, "statements per page, team of 3: \(small); team of 15: \(large)")
        for (page, count) in large { #expect(count > 0 && count < 30, "\(page): \(count) queries") }
    }
}
