import ScorecardCore

/// One result row of a backend's pull query, read by ``FeedBodyWriter`` without making Swift
/// values first. Columns are numbered from 0 as the backend's query lays them out.
public protocol FeedRow {
    /// An integer column.
    func int(_ column: Int) -> Int
    /// True when the column is NULL.
    func isNull(_ column: Int) -> Bool
    /// A text column's UTF-8 bytes, valid only inside `body`.
    func withText<R>(_ column: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R
}

/// Writes a pull page straight from a backend's rows, in either ``PullFormat``, without building
/// `Call` values and their strings first: the same bytes as `FeedPage.json(format:)`, whichever
/// backend the rows come from.
///
/// A change is ``begin(seq:stream:id:tombstone:)``, then one of ``null()``, ``call(id:_:at:)``,
/// ``summary(id:_:at:)`` or ``document(_:)``, then ``end()``.
public struct FeedBodyWriter {
    public let format: PullFormat
    public let personID: String
    private var w: JSONWriter
    /// Changes begun so far.
    public private(set) var count = 0

    public init(format: PullFormat, personID: String, capacity: Int) {
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

    /// Opens a change: everything before its `data`.
    public mutating func begin(seq: Int64, stream: SyncStream, id: String, tombstone: Bool) {
        count += 1
        if count == 1 { startChanges() }
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
    }

    /// Closes a change.
    public mutating func end() { w.raw(format == .json ? "}" : "]") }

    /// A tombstone's `data`.
    public mutating func null() { w.raw("null") }

    /// A stored wire document (snapshot, review, goal, feedback) as `data`.
    public mutating func document(_ json: UnsafeBufferPointer<UInt8>) { w.json(utf8: json) }

    /// A call as `data`, from eight columns starting at `base`: started_at, direction, call_type,
    /// status, talk_seconds, handling_seconds, disposition, version. The same normalisation as the
    /// typed path (`Call`'s enums).
    public mutating func call<Row: FeedRow>(id: String, _ r: Row, at base: Int) {
        let direction = (CallDirection(rawValue: text(r, base + 1)) ?? .outbound).rawValue
        let status = (CallStatus(rawValue: text(r, base + 3)) ?? .other).rawValue
        switch format {
        case .json:
            w.raw("{\"call_type\":")
            r.withText(base + 2) { w.string(utf8: $0) }
            w.raw(",\"direction\":")
            w.string(direction)
            w.raw(",\"disposition\":")
            disposition(r, base + 6)
            w.raw(",\"handling_seconds\":")
            w.int(r.int(base + 5))
            w.raw(",\"id\":")
            w.string(id)
            w.raw(",\"person_id\":")
            w.string(personID)
            w.raw(",\"started_at\":")
            r.withText(base) { w.string(utf8: $0) }
            w.raw(",\"status\":")
            w.string(status)
            w.raw(",\"talk_seconds\":")
            w.int(r.int(base + 4))
            w.raw(",\"version\":")
            w.int(r.int(base + 7))
            w.raw("}")
        case .rows:  // Call.rowColumns order
            w.raw("[")
            r.withText(base + 2) { w.string(utf8: $0) }
            w.raw(",")
            w.string(direction)
            w.raw(",")
            disposition(r, base + 6)
            w.raw(",")
            w.int(r.int(base + 5))
            w.raw(",")
            r.withText(base) { w.string(utf8: $0) }
            w.raw(",")
            w.string(status)
            w.raw(",")
            w.int(r.int(base + 4))
            w.raw(",")
            w.int(r.int(base + 7))
            w.raw("]")
        }
    }

    private func text<Row: FeedRow>(_ r: Row, _ column: Int) -> String {
        r.withText(column) { String(decoding: $0, as: UTF8.self) }
    }

    private mutating func disposition<Row: FeedRow>(_ r: Row, _ column: Int) {
        if r.isNull(column) { w.raw("null") } else { r.withText(column) { w.string(utf8: $0) } }
    }

    /// A day summary as `data`, from eight columns starting at `base`: login, busy, idle, pause,
    /// wrapup, dial and AHT seconds, version. Rare enough to go through `DaySummary`.
    public mutating func summary<Row: FeedRow>(id: String, _ r: Row, at base: Int) {
        let d = DaySummary(
            personID: personID, date: CivilDate(id) ?? CivilDate(daysSinceEpoch: 0), loginSeconds: r.int(base), busySeconds: r.int(base + 1),
            idleSeconds: r.int(base + 2), pauseSeconds: r.int(base + 3), wrapupSeconds: r.int(base + 4), dialSeconds: r.int(base + 5),
            ahtSeconds: r.int(base + 6), version: r.int(base + 7))
        switch format {
        case .json: d.write(to: &w)
        case .rows: d.writeRow(to: &w)
        }
    }

    /// Closes the page.
    public mutating func finish(next: Int64, hasMore: Bool) -> [UInt8] {
        if count == 0 { startChanges() }
        w.raw("],\"has_more\":")
        w.bool(hasMore)
        w.raw(",\"next\":")
        w.int(Int(next))
        w.raw("}")
        // A page far smaller than the buffer sized for it (a caught-up pull: the long-poll keeps
        // thousands of them while they wait) gives the buffer back.
        return w.bytes.capacity > 4 * w.bytes.count + 4096 ? Array(w.bytes[...]) : w.bytes
    }
}
