// libFuzzer target: the dialer's ingest batches, `CDRRecord.parseArray` and
// `AgentSummaryRecord.parseArray` (ScorecardCore/Dialer/CDRRecord.swift), on arbitrary bytes.
//
// Checks, beyond "never crashes": a batch that parses has one result per top-level element (as
// JSONScanner counts them); every accepted call has a canonical `started_at` (it maps to itself),
// a direction and status the mapping gives for its type and status, and durations of at least 0;
// every accepted summary has durations of at least 0.
import Foundation
import ScorecardCore

func elementCount(_ data: Data) -> Int? {
    data.withUnsafeBytes { raw -> Int? in
        var s = JSONScanner(raw.bindMemory(to: UInt8.self))
        guard (try? s.enterArray()) != nil else { return nil }
        var n = 0, first = true
        while true {
            guard let more = try? s.nextElement(&first) else { return nil }
            if !more { break }
            guard (try? s.skipValue()) != nil else { return nil }
            n += 1
        }
        return (try? s.expectEnd()) != nil ? n : nil
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let body = Data(bytes: data, count: size)
    let calls = try? CDRRecord.parseArray(body)
    let summaries = try? AgentSummaryRecord.parseArray(body)
    precondition((calls == nil) == (summaries == nil), "the two record kinds disagree on the batch's shape")
    guard let calls, let summaries else { return 0 }
    let count = elementCount(body)
    precondition(count == calls.count && count == summaries.count, "\(calls.count) results for \(String(describing: count)) elements")
    for record in calls {
        guard case .success(let call) = record.result else { continue }
        precondition(Timestamp.epochSeconds(call.startedAt).map { Timestamp.format(epochSeconds: $0) } == call.startedAt, "started_at \(call.startedAt) is not canonical")
        precondition(call.direction == DialerMapping.direction(call.callType), "direction")
        precondition(call.talkSeconds >= 0 && call.handlingSeconds >= 0, "negative duration")
        precondition(!call.id.isEmpty && !call.personID.isEmpty, "empty id")
    }
    for record in summaries {
        guard case .success(let s) = record.result else { continue }
        precondition([s.loginSeconds, s.busySeconds, s.idleSeconds, s.pauseSeconds, s.wrapupSeconds, s.dialSeconds, s.ahtSeconds].allSatisfy { $0 >= 0 })
    }
    return 0
}
