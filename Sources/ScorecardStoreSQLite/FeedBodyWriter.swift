import ScorecardCore
import ScorecardServerCore
import ScorecardSQLite

/// Writes a pull page straight from ``FeedQuery``'s rows, in either ``PullFormat``, without
/// building `Call` values and their strings first: the same bytes as `FeedPage.json(format:)`.
struct FeedBodyWriter {
    let format: PullFormat
    let personID: String
    private var w: JSONWriter
    private var count = 0

    init(format: PullFormat, personID: String, capacity: Int) {
        self.format = format
        self.personID = personID
        w = JSONWriter(capacity: capacity)
        w.raw("{")
    }

    /// `columns` (rows form) and the start of `changes`, written when the first change comes.
    private mutating func startChanges() {
        if format == .rows && count > 0 {
            w.raw("\"columns\":{\"calls\":")
            FeedPage.writeNames(Call.rowColumns, to: &w)
            w.raw(",\"day_summaries\":")
            FeedPage.writeNames(DaySummary.rowColumns, to: &w)
            w.raw("},")
        }
        w.raw("\"changes\":[")
    }

    mutating func change(seq: Int64, stream: SyncStream, id: String, entity: FeedQuery.Entity, row r: RawStatement) {
        count += 1
        if count == 1 { startChanges() }
        let tombstone: Bool
        if case .tombstone = entity { tombstone = true } else { tombstone = false }
        switch format {
        case .json:
            w.raw(count == 1 ? "{\"seq\":" : ",{\"seq\":")
            w.int(Int(seq))
            w.raw(",\"stream\":")
            w.string(stream.rawValue)
            w.raw(tombstone ? ",\"op\":\"delete\",\"id\":" : ",\"op\":\"upsert\",\"id\":")
            w.string(id)
            w.raw(",\"data\":")
        case .rows:
            w.raw(count == 1 ? "[" : ",[")
            w.int(Int(seq))
            w.raw(",")
            w.string(stream.rawValue)
            w.raw(tombstone ? ",\"delete\"," : ",\"upsert\",")
            w.string(id)
            w.raw(",")
        }
        switch entity {
        case .tombstone, .skip: w.raw("null")
        case .call: writeCall(id: id, r)
        case .daySummary: writeSummary(id: id, r)
        case .document(let lookup):
            w.json(utf8: lookup.textBytes(0))
            lookup.reset()
        }
        w.raw(format == .json ? "}" : "]")
    }

    /// Columns 4–11 of the row; the same normalisation as the typed path (`Call`'s enums).
    private mutating func writeCall(id: String, _ r: RawStatement) {
        let direction = (CallDirection(rawValue: r.text(5)) ?? .outbound).rawValue
        let status = (CallStatus(rawValue: r.text(7)) ?? .other).rawValue
        switch format {
        case .json:
            w.raw("{\"call_type\":")
            w.string(utf8: r.textBytes(6))
            w.raw(",\"direction\":")
            w.string(direction)
            w.raw(",\"disposition\":")
            disposition(r)
            w.raw(",\"handling_seconds\":")
            w.int(r.int(9))
            w.raw(",\"id\":")
            w.string(id)
            w.raw(",\"person_id\":")
            w.string(personID)
            w.raw(",\"started_at\":")
            w.string(utf8: r.textBytes(4))
            w.raw(",\"status\":")
            w.string(status)
            w.raw(",\"talk_seconds\":")
            w.int(r.int(8))
            w.raw(",\"version\":")
            w.int(r.int(11))
            w.raw("}")
        case .rows:  // Call.rowColumns order
            w.raw("[")
            w.string(utf8: r.textBytes(6))
            w.raw(",")
            w.string(direction)
            w.raw(",")
            disposition(r)
            w.raw(",")
            w.int(r.int(9))
            w.raw(",")
            w.string(utf8: r.textBytes(4))
            w.raw(",")
            w.string(status)
            w.raw(",")
            w.int(r.int(8))
            w.raw(",")
            w.int(r.int(11))
            w.raw("]")
        }
    }

    private mutating func disposition(_ r: RawStatement) {
        if r.isNull(10) { w.raw("null") } else { w.string(utf8: r.textBytes(10)) }
    }

    /// Columns 12–19; rare enough to go through `DaySummary`.
    private mutating func writeSummary(id: String, _ r: RawStatement) {
        let d = DaySummary(
            personID: personID, date: CivilDate(id) ?? CivilDate(daysSinceEpoch: 0), loginSeconds: r.int(12), busySeconds: r.int(13),
            idleSeconds: r.int(14), pauseSeconds: r.int(15), wrapupSeconds: r.int(16), dialSeconds: r.int(17), ahtSeconds: r.int(18),
            version: r.int(19))
        switch format {
        case .json: d.write(to: &w)
        case .rows: d.writeRow(to: &w)
        }
    }

    /// Closes the page.
    mutating func finish(next: Int64, hasMore: Bool) -> [UInt8] {
        if count == 0 { startChanges() }
        w.raw("],\"has_more\":")
        w.bool(hasMore)
        w.raw(",\"next\":")
        w.int(Int(next))
        w.raw("}")
        return w.bytes
    }
}
