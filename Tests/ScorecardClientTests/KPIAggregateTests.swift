import Foundation
import ScorecardCache
import ScorecardCore
import Testing

/// The mirror's per-day KPI aggregates (Mirror+KPI.swift) stay equal to a report computed from the
/// calls themselves, whatever later pages do to the days they cover.
@Suite struct KPIAggregateTests {
    let first = CivilDate("2026-10-01")!
    let today = CivilDate("2026-10-20")!

    func call(_ id: String, day: CivilDate, minute: Int, version: Int = 1, disposition: String? = "General Enquiry", talk: Int = 60) -> Call {
        Call(
            id: id, personID: "a1", startedAt: Timestamp.format(epochSeconds: day.daysSinceEpoch * 86_400 + minute * 60),
            direction: minute % 3 == 0 ? .outbound : .inbound, callType: "InBound", status: talk == 0 ? .missed : .answered,
            talkSeconds: talk, handlingSeconds: talk + 30, disposition: disposition, version: version)
    }

    func page(_ mirror: Mirror, _ changes: [(String, Call?)]) throws {
        let next = try mirror.cursor()
        var seq = next
        try mirror.apply(
            MirrorPage(
                changes: changes.map { id, call in
                    seq += 1
                    return MirrorChange(seq: seq, stream: "calls", op: call == nil ? .delete : .upsert, id: id, payload: call.map { .call($0, extra: nil) })
                }, next: seq + 1, hasMore: false))
    }

    /// The report from the aggregates against `KPICalculator` over every call of the range, byte for byte.
    func expectMatches(_ mirror: Mirror, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for (from, to) in [(first, today), (first.adding(days: 3), first.adding(days: 9)), (today, today), (first.adding(days: -5), today.adding(days: 3))] {
            let cached = try WireJSON.encode(try mirror.kpiReport(from: from, to: to, today: today))
            let direct = try WireJSON.encode(
                KPICalculator.report(
                    personID: "a1", from: from, to: to, calls: try mirror.calls(from: from, to: to),
                    summaries: try mirror.daySummaries(from: from, to: to)))
            #expect(cached == direct, "\(label), \(from)..\(to)", sourceLocation: sourceLocation)
        }
    }

    func withMirror(_ body: (Mirror) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kpi-aggregates-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let mirror = try Mirror(path: directory + "/m.sqlite")
        try mirror.bind(server: "http://127.0.0.1:9", person: "a1")
        try body(mirror)
    }

    func seed(_ mirror: Mirror) throws {
        var changes: [(String, Call?)] = []
        for d in 0..<20 {
            for m in 0..<12 {
                let id = "c\(d)-\(m)"
                changes.append((id, call(id, day: first.adding(days: d), minute: 30 + m * 7, disposition: m % 4 == 0 ? "Appointment Booked" : nil, talk: m % 5 == 0 ? 0 : 40 + m)))
            }
        }
        try page(mirror, changes)
    }

    @Test func pagesInvalidateTheDaysTheyTouch() throws {
        try withMirror { mirror in
            try seed(mirror)
            try expectMatches(mirror, "fresh")
            try expectMatches(mirror, "from the aggregates")
            // A new call on a past day, a disposition changed, a call moved to another day, a call deleted.
            let day3 = first.adding(days: 3), day5 = first.adding(days: 5), day8 = first.adding(days: 8), day9 = first.adding(days: 9)
            try page(
                mirror,
                [
                    ("n1", call("n1", day: day3, minute: 900, disposition: "appointment")),
                    ("c5-1", call("c5-1", day: day5, minute: 37, version: 2, disposition: "Appointment Booked")),
                    ("c8-2", call("c8-2", day: day9, minute: 700, version: 2)),
                    ("c9-3", nil),
                ])
            try expectMatches(mirror, "after a page that adds, changes, moves and deletes")
            // A stale version changes nothing and must not break anything either.
            try page(mirror, [("c5-1", call("c5-1", day: day8, minute: 1, version: 1))])
            try expectMatches(mirror, "after a stale version")
            // Today's calls are always read live.
            try page(mirror, [("t1", call("t1", day: today, minute: 600))])
            try expectMatches(mirror, "after a call today")
        }
    }

    @Test func aFullResyncDropsTheAggregates() throws {
        try withMirror { mirror in
            try seed(mirror)
            try expectMatches(mirror, "before the resync")
            try mirror.beginResync()
            try page(mirror, (0..<30).map { i in ("r\(i)", call("r\(i)", day: first.adding(days: i % 10), minute: i * 11)) })
            try mirror.finishResync()
            try expectMatches(mirror, "after the resync")
            try page(mirror, [("r3", nil), ("r4", call("r4", day: first.adding(days: 2), minute: 5, version: 2))])
            try expectMatches(mirror, "after a page on the swapped tables (triggers recreated)")
        }
    }
}
