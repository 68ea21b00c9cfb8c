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

    /// A snapshot keeps its peer figures and team baselines, and fields inside or beside them that
    /// this client does not know are kept in the stored document without breaking the decode; a
    /// snapshot from a server that stores no peer figures has none.
    @Test func snapshotPeerFiguresAndUnknownFieldsAreKept() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("peer-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let mirror = try Mirror(path: directory.appendingPathComponent("m.sqlite").path)
        try mirror.bind(server: "http://127.0.0.1:1", person: "a1")
        func snapshot(_ week: String, _ extra: String) -> String {
            #"{"seq": 0, "stream": "snapshots", "op": "upsert", "id": "a1:\#(week)", "data": {"id": "a1:\#(week)", "person_id": "a1", "period": "\#(week)", "period_start": "2026-11-0\#(week == "2026-W45" ? 2 : 9)", "period_end": "2026-11-15", "composite_score": 60, "domain_scores": {"support": 60}, "weights": {"support": 100}, "team_id": "t1", "team_type": "support", "sales_activity_ratio": 0, "domains": [], "created_at": "2026-11-16T00:00:00Z", "updated_at": "2026-11-16T00:00:00Z", "version": 1\#(extra)}}"#
        }
        let newer = #", "peer": {"percentile": 62.5, "team_average": 55.25, "team_size": 5, "distribution": [{"from": 0, "to": 10, "count": 5, "shade": "x"}], "quartiles": [1, 2]}, "team_baselines": {"avg_resolution_minutes": 75}, "what_if": {"any": true}"#
        let page = #"{"next": 2, "changes": [\#(snapshot("2026-W45", "").replacingOccurrences(of: "\"seq\": 0", with: "\"seq\": 1")), \#(snapshot("2026-W46", newer).replacingOccurrences(of: "\"seq\": 0", with: "\"seq\": 2"))], "has_more": false}"#
        _ = try mirror.apply(try MirrorPage.parse(Data(page.utf8)))
        let snapshots = try mirror.snapshots(weeks: 2)
        #expect(snapshots.map(\.period) == ["2026-W45", "2026-W46"])
        #expect(snapshots[0].peer == nil && snapshots[0].teamBaselines == nil)
        #expect(snapshots[1].peer == PeerFigures(percentile: 62.5, teamAverage: 55.25, teamSize: 5, distribution: [.init(from: 0, to: 10, count: 5)]))
        #expect(snapshots[1].teamBaselines == ["avg_resolution_minutes": 75])
        let document = String(decoding: try #require(try mirror.snapshotDocument(id: "a1:2026-W46")), as: UTF8.self)
        #expect(document.contains(#""quartiles": [1, 2]"#) && document.contains(#""what_if""#))
    }

    @Test func malformedPagesAreRefused() {
        for text in [#"{"changes": [], "next": 1}"#, #"{"changes": [{"seq": 1}], "next": 1, "has_more": false}"#, "[1,", "{\"next\": 1.5}"] {
            #expect(throws: JSONScanError.self, "\(text)") { try MirrorPage.parse(Data(text.utf8)) }
        }
    }
}
