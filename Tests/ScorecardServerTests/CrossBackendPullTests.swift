import Foundation
import ScorecardCore
import ScorecardServer
import ScorecardTesting
import Testing

/// The same ingests on SQLite and on PostgreSQL give byte-for-byte the same pull pages, in both
/// forms and at every page size: the feed is one protocol, whichever backend serves it.
@Suite("Pull pages across backends", .enabled(if: TestBackend.all.contains(.postgres)))
struct CrossBackendPullTests {
    /// Dispositions that stress every layer between ingest and the page: JSON escapes, COPY's
    /// tab and backslash escapes, array-literal quotes, commas and braces, the word NULL,
    /// non-ASCII text, and none at all.
    static let dispositions: [String?] = [
        "General Enquiry", "Appointment \"booked\"", "back\\slash", "tab\there", "line\nbreak", "a,b{c}", "NULL", "Ünïcødé ☎️",
        "  spaced  ", nil,
    ]

    /// Writes the same history through the API: new calls, rewrites, a call moved to another agent
    /// and back, deletes and re-creates, and day summaries, in several batches.
    static func write(_ server: TestServer) async throws -> (agent: String, other: String) {
        let admin = try await server.adminToken()
        try await server.addPerson("agent-1")
        try await server.addPerson("agent-2")
        var records: [[String: String?]] = []
        for i in 0..<300 {
            records.append(cdr("x-\(i)", agent: "agent-1", n: i, disposition: dispositions[i % dispositions.count], talk: HMS.clock(30 + i % 200)))
        }
        _ = try await server.ingestCDRs(records, token: admin)
        _ = try await server.ingestCDRs(
            (0..<40).map { i in cdr("x-\(i * 7)", agent: i % 5 == 0 ? "agent-2" : "agent-1", n: i * 7, disposition: "rewritten \(i)") },
            token: admin)
        for id in ["x-3", "x-14", "x-35"] {
            #expect(try await server.request("DELETE", "/api/v1/calls/\(id)", token: admin).status == 204)
        }
        _ = try await server.ingestCDRs(
            [cdr("x-14", agent: "agent-1", n: 14, disposition: "again"), cdr("x-0", agent: "agent-1", n: 0, disposition: "home again")], token: admin)
        let summaries: [[String: String]] = (0..<5).map { d in
            [
                "AgentID": "agent-1", "Date": CivilDate("2026-11-16")!.adding(days: d).description, "TotalLoginDuration": "08:00:0\(d)",
                "TotalBusyTime": "05:00:00", "TotalIdleTime": "01:00:00", "TotalPauseTime": "00:30:00", "TotalWrapupTime": "00:20:00",
                "TotalDialTime": "00:10:00", "AHT": "00:04:1\(d)",
            ]
        }
        let response = try await server.request("POST", "/api/v1/ingest/agent-summary", token: admin, body: try JSONEncoder().encode(summaries))
        #expect(response.status == 200)
        return ("agent-1", "agent-2")
    }

    /// Every page of `person`'s feed, as bytes, at `limit` per page in `format`.
    static func pages(_ server: TestServer, person: String, limit: Int, format: PullFormat) async throws -> [Data] {
        let token = try await server.login(person)
        var pages: [Data] = []
        var since: Int64 = 0
        while true {
            let response = try await server.request("GET", "/api/v1/sync/pull?since=\(since)&limit=\(limit)&format=\(format.rawValue)", token: token)
            try #require(response.status == 200, "\(response.text)")
            pages.append(response.body)
            let page = try response.decode(JSONValue.self)
            guard case .number(let next)? = page["next"], case .bool(let more)? = page["has_more"] else { throw TestHTTPError(status: 0, body: response.text) }
            since = Int64(next)
            if !more { return pages }
        }
    }

    /// Every page of both agents' feeds on `backend`. One server at a time: a test holding one
    /// server's slot while waiting for another's could wait forever with its siblings.
    static func history(_ backend: TestBackend, limit: Int, format: PullFormat) async throws -> [String: [Data]] {
        let server = try await TestServer.start(backend: backend)
        do {
            let people = try await write(server)
            var pages: [String: [Data]] = [:]
            for person in [people.agent, people.other] { pages[person] = try await Self.pages(server, person: person, limit: limit, format: format) }
            await server.stop()
            return pages
        } catch {
            await server.stop()
            throw error
        }
    }

    @Test(arguments: [PullFormat.json, .rows], [7, 100, 5000])
    func samePagesOnBothBackends(format: PullFormat, limit: Int) async throws {
        let sqlite = try await Self.history(.sqlite, limit: limit, format: format)
        let postgres = try await Self.history(.postgres, limit: limit, format: format)
        #expect(sqlite.keys.sorted() == postgres.keys.sorted())
        for (person, a) in sqlite.sorted(by: { $0.key < $1.key }) {
            let b = postgres[person] ?? []
            #expect(a.count == b.count, "\(person): \(a.count) pages on SQLite, \(b.count) on PostgreSQL")
            if person == "agent-1" { #expect(a.count > 1 || limit == 5000, "several pages") }
            for (n, (x, y)) in zip(a, b).enumerated() where x != y {
                Issue.record("\(person), page \(n + 1): SQLite\n\(String(decoding: x, as: UTF8.self).prefix(600))\nPostgreSQL\n\(String(decoding: y, as: UTF8.self).prefix(600))")
                break
            }
        }
    }
}
