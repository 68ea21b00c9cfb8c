import Foundation
import ScorecardCache
import ScorecardCore
import Testing

/// Fields a newer server sends that this client does not know are kept in `extra`, so adding a
/// field never forces a resync; keys may arrive in any order, `data` before `stream` included.
@Suite struct UnknownFieldsTests {
    static let page = #"""
        {"next": 3, "changes": [
          {"data": {"id": "C1", "person_id": "a1", "started_at": "2026-11-16T09:00:00Z", "direction": "inbound",
                    "call_type": "InBound", "status": "answered", "talk_seconds": 60, "handling_seconds": 90,
                    "disposition": "Say \"hi\"\n", "version": 2, "sentiment": {"score": 0.75, "tags": ["calm"]}, "queue": "sales"},
           "seq": 1, "id": "C1", "op": "upsert", "stream": "calls"},
          {"seq": 2, "stream": "reviews", "op": "upsert", "id": "R1",
           "data": {"id": "R1", "period_start": "2026-11-09", "version": 4, "summary": "ok"}},
          {"seq": 3, "stream": "future_stream", "op": "upsert", "id": "X", "data": {"anything": true}}
        ], "has_more": false}
        """#

    @Test func unknownFieldsAreKeptAndKnownOnesParsed() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("extra-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let mirror = try Mirror(path: directory.appendingPathComponent("m.sqlite").path)
        try mirror.bind(server: "http://127.0.0.1:1", person: "a1")

        let page = try MirrorPage.parse(Data(Self.page.utf8))
        #expect(page.changes.count == 3)
        let stats = try mirror.apply(page)
        #expect(stats.upserts == ["calls": 1, "reviews": 1])  // the unknown stream is skipped
        #expect(try mirror.cursor() == 3)

        let call = try #require(try mirror.allCalls().first)
        #expect(call.disposition == "Say \"hi\"\n")
        #expect(call.version == 2)
        #expect(try mirror.callExtra(id: "C1") == #"{"queue":"sales","sentiment":{"score": 0.75, "tags": ["calm"]}}"#)
    }

    @Test func malformedPagesAreRefused() {
        for text in [#"{"changes": [], "next": 1}"#, #"{"changes": [{"seq": 1}], "next": 1, "has_more": false}"#, "[1,", "{\"next\": 1.5}"] {
            #expect(throws: JSONScanError.self, "\(text)") { try MirrorPage.parse(Data(text.utf8)) }
        }
    }
}
