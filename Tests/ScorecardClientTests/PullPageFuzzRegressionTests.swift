import Foundation
import ScorecardCache
import ScorecardCore
import Testing

/// Pull pages the `pull-page-json` fuzz target (Fuzz/, docs/reliability.md) failed on, through the real parser.
@Suite struct PullPageFuzzRegressionTests {
    /// A change with `stream` twice: its `data` was read as a call (the stream before it) while the
    /// change kept the second stream, so a page written back parsed to other changes. A change
    /// naming two different streams is now malformed. (Fuzz/corpus/pull-page-json/crash-two-streams.json)
    @Test func aChangeWithTwoStreamsIsRefused() throws {
        let call = #"{"id":"c1","person_id":"a","started_at":"2026-12-01T10:00:00Z","direction":"inbound","version":1}"#
        let twoStreams = #"{"changes":[{"seq":1,"stream":"calls","op":"upsert","id":"c1","data":\#(call),"stream":"reviews"}],"next":1,"has_more":false}"#
        #expect(throws: JSONScanError.self) { try MirrorPage.parse(Data(twoStreams.utf8)) }

        let sameTwice = #"{"changes":[{"seq":1,"stream":"calls","op":"upsert","id":"c1","data":\#(call),"stream":"calls"}],"next":1,"has_more":false}"#
        let page = try MirrorPage.parse(Data(sameTwice.utf8))
        guard case .call(let parsed, _)? = page.changes.first?.payload else {
            Issue.record("no call payload")
            return
        }
        #expect(parsed.id == "c1" && page.changes.first?.stream == "calls")

        let found = try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fuzz/corpus/pull-page-json/crash-two-streams.json"))
        #expect(throws: JSONScanError.self) { try MirrorPage.parse(found) }
    }
}
