import Foundation
import ScorecardCache
import ScorecardCore
import Testing

/// The compact `rows` form of a pull page (`format=rows`): values by the page's `columns`, unknown
/// columns kept in `extra` as in the object form, and `next`/`has_more` read from a page's tail.
@Suite struct RowsPageTests {
    static let rows = #"""
        {"columns": {"calls": ["call_type", "direction", "disposition", "handling_seconds", "started_at", "status",
                               "talk_seconds", "version", "queue"],
                     "day_summaries": ["aht_seconds", "busy_seconds", "dial_seconds", "idle_seconds", "login_seconds",
                                       "pause_seconds", "version", "wrapup_seconds"],
                     "future_stream": ["x"]},
         "changes": [
          [1, "calls", "upsert", "C1", ["InBound", "inbound", "Say \"hi\"\n", 90, "2026-11-16T09:00:00Z", "answered", 60, 2, {"name": "sales"}]],
          [2, "day_summaries", "upsert", "2026-11-16", [180, 21600, 600, 3600, 28800, 1800, 1, 1200]],
          [3, "reviews", "upsert", "R1", {"id": "R1", "period_start": "2026-11-09", "version": 4, "summary": "ok"}],
          [4, "calls", "upsert", "C2", ["Manual", "outbound", null, 0, "2026-11-16T10:00:00Z", "missed", 0, 1, null], "a later element"],
          [5, "calls", "delete", "C0", null],
          [6, "future_stream", "upsert", "X", ["anything"]]
        ], "has_more": false, "next": 6}
        """#

    @Test func rowsAreReadByTheirColumns() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rows-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let mirror = try Mirror(path: directory.appendingPathComponent("m.sqlite").path)
        try mirror.bind(server: "http://127.0.0.1:1", person: "a1")

        let page = try MirrorPage.parse(Data(Self.rows.utf8))
        #expect(page.changes.map(\.seq) == [1, 2, 3, 4, 5, 6])
        #expect(page.next == 6 && !page.hasMore)
        let stats = try mirror.apply(page)
        #expect(stats.upserts == ["calls": 2, "day_summaries": 1, "reviews": 1])  // the unknown stream is skipped
        #expect(try mirror.cursor() == 6)

        let calls = try mirror.allCalls().sorted { $0.id < $1.id }
        #expect(calls.map(\.id) == ["C1", "C2"])
        #expect(calls[0].disposition == "Say \"hi\"\n" && calls[0].version == 2 && calls[0].talkSeconds == 60 && calls[0].handlingSeconds == 90)
        #expect(calls[0].startedAt == "2026-11-16T09:00:00Z" && calls[0].direction == .inbound && calls[0].status == .answered)
        #expect(calls[1].disposition == nil && calls[1].callType == "Manual" && calls[1].status == .missed)
        #expect(try mirror.callExtra(id: "C1") == #"{"queue":{"name": "sales"}}"#)
        #expect(try mirror.callExtra(id: "C2") == #"{"queue":null}"#)
        let day = try #require(try mirror.daySummaries(from: CivilDate("2026-11-16")!, to: CivilDate("2026-11-16")!).first)
        #expect(day.loginSeconds == 28800 && day.busySeconds == 21600 && day.ahtSeconds == 180 && day.wrapupSeconds == 1200)
    }

    @Test func badRowsAreRefused() {
        let columns = #""columns": {"calls": ["call_type", "direction", "disposition", "handling_seconds", "started_at", "status", "talk_seconds", "version"]}"#
        let call = #"["InBound", "inbound", null, 1, "2026-11-16T09:00:00Z", "answered", 1, 1]"#
        for text in [
            #"{"changes": [[1, "calls", "upsert", "C1", \#(call)]], "has_more": false, "next": 1}"#,  // no columns before the row
            #"{\#(columns), "changes": [[1, "calls", "upsert", "C1", ["InBound"]]], "has_more": false, "next": 1}"#,  // too few values
            #"{\#(columns), "changes": [[1, "calls", "upsert", "C1", \#(call.dropLast()), 5]]], "has_more": false, "next": 1}"#,  // too many
            #"{\#(columns), "changes": [[1, "calls", "upsert"]], "has_more": false, "next": 1}"#,  // no id, no data
            #"{\#(columns), "changes": [[1, "calls", "upsert", "C1", null]], "has_more": false, "next": 1}"#,  // an upsert needs data
            #"{"columns": {"calls": ["direction"]}, "changes": [[1, "calls", "upsert", "C1", ["inbound"]]], "has_more": false, "next": 1}"#,
        ] {
            #expect(throws: JSONScanError.self, "\(text)") { try MirrorPage.parse(Data(text.utf8)) }
        }
    }

    @Test func theCursorIsReadFromTheTail() {
        #expect(MirrorPage.peekCursor(Data(Self.rows.utf8)).map { [$0.next, $0.hasMore ? 1 : 0] } == [6, 0])
        #expect(MirrorPage.peekCursor(Data(#"{"changes":[{"seq":7,"data":{"a":[1]}}],"has_more":true,"next":7}"#.utf8)).map(\.next) == 7)
        #expect(MirrorPage.peekCursor(Data(#"{"changes":[],"has_more":false,"next":0}"#.utf8))?.hasMore == false)
        for text in [
            #"{"next":7,"has_more":true,"changes":[]}"#,  // keys before changes: nothing to read at the tail
            #"{"changes":[],"has_more":true}"#,  // no next
            #"{"changes":[],"has_more":true,"next":7,"note":"x"}"#,  // another key
            #"{"changes":[],"has_more":true,"next":7"#,  // cut short
            "",
        ] {
            #expect(MirrorPage.peekCursor(Data(text.utf8)) == nil, "\(text)")
        }
    }
}
