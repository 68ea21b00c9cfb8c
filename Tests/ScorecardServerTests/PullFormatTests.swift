import Foundation
import ScorecardCore
import ScorecardServer
import ScorecardTesting
import Testing

/// The pull page's two forms: API.md's objects (the default) and the compact `rows` form
/// (`format=rows`), and the store's direct body writer, which must write the same bytes as
/// `FeedPage.json(format:)` for every stream, tombstones and empty pages included.
@Suite("Pull formats")
struct PullFormatTests {
    /// A feed for "a1" holding every stream: the perf seed's snapshots, a review and feedback, plus
    /// calls (one with characters to escape, one without disposition), day summaries and a tombstone.
    static func seed(_ server: PerfServer) async throws -> [String: String] {
        let t = try await PerfSeed.seed(server)
        let admin = t["root"]!
        let calls = [
            cdr("F-1", agent: "a1", n: 1, disposition: "Say \"hi\"\\ \n\ttab é"),
            cdr("F-2", agent: "a1", n: 2, disposition: nil),
            cdr("F-3", agent: "a1", n: 3),
        ]
        #expect(try await server.request("POST", "/api/v1/ingest/cdr", token: admin, body: try CDRFixture.json(calls)).status == 200)
        let summaries = #"[{"AgentID": "a1", "Date": "2026-11-16", "TotalLoginDuration": "08:00:00", "AHT": "00:03:00"}]"#
        #expect(try await server.request("POST", "/api/v1/ingest/agent-summary", token: admin, body: Data(summaries.utf8)).status == 200)
        #expect(try await server.request("DELETE", "/api/v1/calls/F-3", token: admin).status == 204)
        let generated = try await server.request(
            "POST", "/api/v1/performance/reviews/generate", token: t["mgrA"], json: #"{"person_id":"a1","period":"2026-W40"}"#)
        #expect(generated.status == 201)
        return t
    }

    @Test(arguments: TestBackend.all) func theDirectWriterMatchesTheTypedPageInBothForms(backend: TestBackend) async throws {
        try await withPerfServer(backend: backend) { server in
            _ = try await Self.seed(server)
            let all = try await server.store.pull(personID: "a1", since: 0, limit: 5000, resync: false)
            let streams = Set(all.changes.map(\.stream))
            #expect(streams.isSuperset(of: [.calls, .daySummaries, .snapshots, .reviews]), "\(streams)")
            #expect(all.changes.contains { $0.op == .delete })
            for format in PullFormat.allCases {
                for limit in [1, 2, 3, 5000] {
                    var since: Int64 = 0
                    while true {
                        let typed = try await server.store.pull(personID: "a1", since: since, limit: limit, resync: false)
                        let body = try await server.store.pullBody(personID: "a1", since: since, limit: limit, resync: false, format: format)
                        #expect(
                            body.bytes == typed.json(format: format),
                            "\(format) limit \(limit) since \(since):\n\(String(decoding: body.bytes, as: UTF8.self))\n\(String(decoding: typed.json(format: format), as: UTF8.self))")
                        #expect(body.count == typed.changes.count && body.hasMore == typed.hasMore && body.head == typed.head)
                        since = typed.next
                        if !typed.hasMore { break }
                    }
                }
                // Past the end: an empty page, with no `columns` in the rows form.
                let end = try await server.store.pullBody(personID: "a1", since: all.next, limit: 10, resync: false, format: format)
                #expect(String(decoding: end.bytes, as: UTF8.self) == #"{"changes":[],"has_more":false,"next":\#(all.next)}"#)
            }
        }
    }

    @Test(arguments: TestBackend.all) func rowsFormOnTheWire(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let admin = try await server.adminToken()
            try await server.addPerson("agent-1")
            let agent = try await server.login("agent-1")
            _ = try await server.ingestCDRs([cdr("c1", agent: "agent-1", disposition: nil), cdr("c2", agent: "agent-1", n: 1)], token: admin)
            #expect(try await server.request("DELETE", "/api/v1/calls/c1", token: admin).status == 204)

            let r = try await server.request("GET", "/api/v1/sync/pull?since=0&limit=5&format=rows", token: agent)
            #expect(r.status == 200)
            #expect(
                r.text == #"{"columns":{"calls":["call_type","direction","disposition","handling_seconds","started_at","status","talk_seconds","version"],"#
                    + #""day_summaries":["aht_seconds","busy_seconds","dial_seconds","idle_seconds","login_seconds","pause_seconds","version","wrapup_seconds"]},"#
                    + #""changes":[[2,"calls","upsert","c2",["InBound","inbound","General Enquiry",150,"2026-11-16T08:01:00Z","answered",120,1]],"#
                    + #"[3,"calls","delete","c1",null]],"has_more":false,"next":3}"#)
            // `format=json` is the default form, byte for byte.
            let plain = try await server.request("GET", "/api/v1/sync/pull?since=0&limit=5", token: agent)
            let json = try await server.request("GET", "/api/v1/sync/pull?since=0&limit=5&format=json", token: agent)
            #expect(plain.text == json.text)
            #expect(plain.text.hasPrefix(#"{"changes":[{"seq":2,"stream":"calls","op":"upsert","id":"c2","data":{"call_type":"InBound""#))
            // An unknown form is refused like any other bad parameter.
            let bad = try await server.request("GET", "/api/v1/sync/pull?since=0&format=csv", token: agent)
            #expect(bad.status == 422)
            #expect(try bad.json["error"]?["code"]?.string == "invalid_value")
        }
    }
}
