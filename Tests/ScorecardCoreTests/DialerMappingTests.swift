import Foundation
import ScorecardCore
import Testing

/// The dialer's record shapes (seed 000) mapped to ours, decoded from JSON as the server receives them.
@Suite("Dialer mapping")
struct DialerMappingTests {
    /// Decodes a JSON array of CDRs.
    static func cdrs(_ json: String) throws -> [Result<Call, RecordError>] {
        try JSONDecoder().decode([CDRRecord].self, from: Data(json.utf8)).map(\.result)
    }

    static func cdr(_ fields: String) throws -> Result<Call, RecordError> {
        try #require(try cdrs("[{\(fields)}]").first)
    }

    static let base = #""CallID": "c-1", "AgentID": "agent-1", "StartTime": "2026-11-16 09:05:00", "Status": "Answered", "TalkTime": "00:01:30", "HandlingTime": "00:02:00", "Disposition": "Sale""#

    @Test func fullRecordMaps() throws {
        let call = try Self.cdr(Self.base + #", "Type": "InBound""#).get()
        #expect(call.id == "c-1")
        #expect(call.personID == "agent-1")
        #expect(call.startedAt == "2026-11-16T09:05:00Z")
        #expect(call.day == "2026-11-16")
        #expect(call.direction == .inbound)
        #expect(call.callType == "InBound")
        #expect(call.status == .answered)
        #expect(call.talkSeconds == 90)
        #expect(call.handlingSeconds == 120)
        #expect(call.disposition == "Sale")
        #expect(call.version == 1)
    }

    @Test(arguments: [
        ("InBound", CallDirection.inbound), ("inbound", .inbound), ("Manual", .outbound), ("Progressive", .outbound),
        ("Predictive", .outbound), ("Preview", .outbound), ("Something", .outbound),
    ])
    func typeMapsToDirection(type: String, direction: CallDirection) throws {
        let call = try Self.cdr(#""CallID": "c", "AgentID": "a", "StartTime": "2026-11-16 09:05:00", "Status": "Answered", "TalkTime": "00:00:01", "Type": "\#(type)""#).get()
        #expect(call.direction == direction)
        #expect(call.callType == type)
        #expect(DialerMapping.direction(type) == direction)
    }

    @Test(arguments: [
        ("Answered", CallStatus.answered), ("Unanswered", .missed), ("NotAnswered", .missed), ("Busy", .other),
        ("Abandoned", .other), ("Failed", .other),
    ])
    func statusMaps(status: String, expected: CallStatus) throws {
        let call = try Self.cdr(#""CallID": "c", "AgentID": "a", "StartTime": "2026-11-16 09:05:00", "Type": "Manual", "TalkTime": "00:00:00", "Status": "\#(status)""#).get()
        #expect(call.status == expected)
        #expect(DialerMapping.status(status) == expected)
    }

    @Test func isoStartTimeIsAccepted() throws {
        let call = try Self.cdr(#""CallID": "c", "AgentID": "a", "StartTime": "2026-11-16T23:59:59Z", "Type": "Manual", "Status": "Answered", "TalkTime": "00:00:00""#).get()
        #expect(call.startedAt == "2026-11-16T23:59:59Z")
    }

    @Test func optionalFieldsDefault() throws {
        let call = try Self.cdr(#""CallID": "c", "AgentID": "a", "StartTime": "2026-11-16 09:05:00", "Type": "Manual", "Status": "Answered", "TalkTime": "00:00:07", "HandlingTime": null, "Disposition": null"#).get()
        #expect(call.handlingSeconds == 0)
        #expect(call.disposition == nil)
        let bare = try Self.cdr(#""CallID": "c", "AgentID": "a", "StartTime": "2026-11-16 09:05:00", "Type": "Manual", "Status": "Answered""#).get()
        #expect(bare.talkSeconds == 0)
        #expect(bare.handlingSeconds == 0)
        #expect(bare.disposition == nil)
    }

    @Test func numericIDsAreStrings() throws {
        let call = try Self.cdr(#""CallID": 12345, "AgentID": 77, "StartTime": "2026-11-16 09:05:00", "Type": "Manual", "Status": "Answered", "TalkTime": "00:00:07""#).get()
        #expect(call.id == "12345")
        #expect(call.personID == "77")
    }

    static func reason(_ result: Result<Call, RecordError>) -> String? {
        if case .failure(let e) = result { return e.reason }
        return nil
    }

    @Test(arguments: [
        (#""AgentID": "a", "StartTime": "2026-11-16 09:05:00", "Type": "Manual", "Status": "Answered", "TalkTime": "00:00:01""#, "CallID"),
        (#""CallID": "  ", "AgentID": "a", "StartTime": "2026-11-16 09:05:00", "Type": "Manual", "Status": "Answered""#, "CallID"),
        (#""CallID": "c", "StartTime": "2026-11-16 09:05:00", "Type": "Manual", "Status": "Answered""#, "AgentID"),
        (#""CallID": "c", "AgentID": "a", "StartTime": "2026/11/16 09:05", "Type": "Manual", "Status": "Answered""#, "StartTime"),
        (#""CallID": "c", "AgentID": "a", "StartTime": "2026-02-30 09:05:00", "Type": "Manual", "Status": "Answered""#, "StartTime"),
        (#""CallID": "c", "AgentID": "a", "Type": "Manual", "Status": "Answered""#, "StartTime"),
        (#""CallID": "c", "AgentID": "a", "StartTime": "2026-11-16 09:05:00", "Status": "Answered""#, "Type"),
        (#""CallID": "c", "AgentID": "a", "StartTime": "2026-11-16 09:05:00", "Type": "Manual""#, "Status"),
        (#""CallID": "c", "AgentID": "a", "StartTime": "2026-11-16 09:05:00", "Type": "Manual", "Status": "Answered", "TalkTime": "1:2""#, "TalkTime"),
        (#""CallID": "c", "AgentID": "a", "StartTime": "2026-11-16 09:05:00", "Type": "Manual", "Status": "Answered", "HandlingTime": "00:61:00""#, "HandlingTime"),
        (#""CallID": "c", "AgentID": "a", "StartTime": "2026-11-16 09:05:00", "Type": "Manual", "Status": "Answered", "Disposition": ["x"]"#, "Disposition"),
    ])
    func badRecordFailsNamingTheField(fields: String, field: String) throws {
        let reason = try #require(Self.reason(try Self.cdr(fields)))
        #expect(reason.contains(field), "reason '\(reason)' should name \(field)")
    }

    @Test func nonObjectElementsFailButDoNotSinkTheBatch() throws {
        let results = try Self.cdrs(#"[42, {\#(Self.base), "Type": "Manual"}, "text", null, [1]]"#)
        #expect(results.count == 5)
        #expect(try results[1].get().id == "c-1")
        for i in [0, 2, 3, 4] {
            let reason = try #require(Self.reason(results[i]))
            #expect(reason.contains("object"), "element \(i): \(reason)")
        }
    }

    // MARK: Agent summaries

    static func summaries(_ json: String) throws -> [Result<DaySummary, RecordError>] {
        try JSONDecoder().decode([AgentSummaryRecord].self, from: Data(json.utf8)).map(\.result)
    }

    @Test func agentSummaryMaps() throws {
        let json = #"""
            [{"AgentID": "agent-1", "Date": "2026-11-16", "TotalLoginDuration": "08:00:00", "TotalBusyTime": "06:00:01",
              "TotalIdleTime": "01:00:00", "TotalPauseTime": "00:30:00", "TotalWrapupTime": "00:20:00",
              "TotalDialTime": "00:10:00", "AHT": "00:03:05"}]
            """#
        let s = try #require(try Self.summaries(json).first).get()
        #expect(s.personID == "agent-1")
        #expect(s.date == CivilDate("2026-11-16"))
        #expect(s.entityID == "2026-11-16")
        #expect(s.loginSeconds == 28_800)
        #expect(s.busySeconds == 21_601)
        #expect(s.idleSeconds == 3_600)
        #expect(s.pauseSeconds == 1_800)
        #expect(s.wrapupSeconds == 1_200)
        #expect(s.dialSeconds == 600)
        #expect(s.ahtSeconds == 185)
        #expect(s.version == 1)
    }

    @Test func agentSummaryMissingDurationsAreZero() throws {
        let s = try #require(try Self.summaries(#"[{"AgentID": "a", "Date": "2026-11-16 00:00:00", "AHT": null}]"#).first).get()
        #expect(s.date == CivilDate("2026-11-16"))
        #expect(s.loginSeconds == 0)
        #expect(s.ahtSeconds == 0)
    }

    @Test(arguments: [
        (#"{"Date": "2026-11-16"}"#, "AgentID"),
        (#"{"AgentID": "a"}"#, "Date"),
        (#"{"AgentID": "a", "Date": "16/11/2026"}"#, "Date"),
        (#"{"AgentID": "a", "Date": "2026-11-31"}"#, "Date"),
        (#"{"AgentID": "a", "Date": "2026-11-16", "AHT": "3 minutes"}"#, "AHT"),
        (#"{"AgentID": "a", "Date": "2026-11-16", "TotalBusyTime": "1:2"}"#, "TotalBusyTime"),
        ("7", "object"),
    ])
    func badAgentSummaryFailsNamingTheField(element: String, field: String) throws {
        let result = try #require(try Self.summaries("[\(element)]").first)
        guard case .failure(let error) = result else {
            Issue.record("expected a failure for \(element)")
            return
        }
        #expect(error.reason.contains(field), "reason '\(error.reason)' should name \(field)")
    }
}
