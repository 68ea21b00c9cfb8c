import Foundation
import ScorecardCore
import Testing

/// Inputs the libFuzzer targets (`Fuzz/`, docs/reliability.md) crashed on, through the real parsers.
@Suite("Fuzzed parser regressions")
struct FuzzRegressionTests {
    /// `HMS.seconds` multiplied the hours by 3600 unchecked: a CDR whose `TalkTime` had 16-digit
    /// hours trapped (arithmetic overflow), taking the ingest request's process down with it.
    /// Now the record alone is refused. (Fuzz/corpus/cdr-batch/crash-hms-overflow.json)
    @Test func durationWithTooManyHoursIsRefusedNotATrap() throws {
        let body = Data(
            #"[{"CallID":"c1","AgentID":"a","StartTime":"2026-11-16 10:00:00","Type":"InBound","Status":"Answered","TalkTime":"9999999999999999:00:00"}]"#.utf8)
        let calls = try CDRRecord.parseArray(body)
        #expect(calls.count == 1)
        guard case .failure(let error) = calls[0].result else {
            Issue.record("the record was accepted")
            return
        }
        #expect(error.reason == "TalkTime '9999999999999999:00:00' is not HH:MM:SS")

        let summaries = try AgentSummaryRecord.parseArray(
            Data(#"[{"AgentID":"a","Date":"2026-11-16","TotalLoginDuration":"2562047788015216:00:00"}]"#.utf8))
        guard case .failure(let summaryError) = summaries[0].result else {
            Issue.record("the summary was accepted")
            return
        }
        #expect(summaryError.reason == "TotalLoginDuration '2562047788015216:00:00' is not HH:MM:SS")
    }

    /// The most seconds an `HH:MM:SS` can say is `Int.max` (2562047788015215:30:07); one more is refused.
    @Test func hoursAtTheLimitOfInt() {
        #expect(HMS.seconds("2562047788015215:30:07") == Int.max)
        #expect(HMS.seconds("2562047788015215:30:08") == nil)
        #expect(HMS.seconds("2562047788015216:00:00") == nil)
        #expect(HMS.seconds("\(Int.max):00:00") == nil)
        #expect(HMS.seconds("99:59:59") == 359_999)
    }

    /// `JSONScanner.skipValue` recursed once per nesting level without a bound: an ingest body of
    /// 100,000 `[` overflowed the stack (found by feeding the cdr-batch target a deep input,
    /// beyond libFuzzer's 4 KiB inputs). Now nesting past 512 levels is malformed JSON.
    @Test func deepNestingIsRefusedNotAStackOverflow() throws {
        let deep = Data(repeating: UInt8(ascii: "["), count: 1_000_000)
        #expect(throws: JSONScanError.self) { try CDRRecord.parseArray(deep) }
        #expect(throws: JSONScanError.self) { try AgentSummaryRecord.parseArray(Data(#"[{"AgentID":"#.utf8) + deep) }

        func skip(_ text: String) throws {
            var bytes = Array(text.utf8)
            try bytes.withUnsafeMutableBufferPointer { b in
                var s = JSONScanner(UnsafeBufferPointer(b))
                try s.skipValue()
                try s.expectEnd()
            }
        }
        let most = JSONScanner.maxDepth
        try skip(String(repeating: "[", count: most) + String(repeating: "]", count: most))
        try skip(String(repeating: #"{"a":"#, count: most) + "1" + String(repeating: "}", count: most))
        #expect(throws: JSONScanError.self) { try skip(String(repeating: "[", count: most + 1) + String(repeating: "]", count: most + 1)) }
    }

    /// `readInt` accumulated the magnitude and negated it, so `-9223372036854775808` (`Int.min`,
    /// which `JSONWriter.int` writes and `Int("…")` reads) was "out of range": the json-scanner
    /// target's `readInt`-equals-`Int(text)` check failed on it.
    @Test func intMinReadsBack() throws {
        func int(_ text: String) throws -> Int {
            var bytes = Array(text.utf8)
            return try bytes.withUnsafeMutableBufferPointer { b in
                var s = JSONScanner(UnsafeBufferPointer(b))
                return try s.readInt()
            }
        }
        var w = JSONWriter()
        w.int(Int.min)
        #expect(try int(String(decoding: w.bytes, as: UTF8.self)) == Int.min)
        #expect(try int("9223372036854775807") == Int.max)
        #expect(try int("-0") == 0)
        #expect(try int("-42") == -42)
        #expect(throws: JSONScanError.self) { try int("-9223372036854775809") }
        #expect(throws: JSONScanError.self) { try int("9223372036854775808") }
    }
}
