// Shared by the two pull-page targets (pull-page-json, pull-page-rows): `MirrorPage.parse` on
// arbitrary bytes, and what a page that parses must satisfy.
import Foundation
import ScorecardCore

/// A page that parses, written back in the object form (every change, payload and unknown field),
/// parses to the same changes, cursor and has_more; when no call or summary carries unknown
/// fields it is written in the `rows` form too (columns naming every field) and must parse the same.
func checkPullPage(_ data: UnsafePointer<UInt8>, _ size: Int) {
    let body = Data(bytes: data, count: size)
    guard let page = try? MirrorPage.parse(body) else { return }
    let objects = writeObjects(page)
    guard let again = try? MirrorPage.parse(Data(objects)) else {
        preconditionFailure("the page written back in the object form does not parse: \(String(decoding: objects, as: UTF8.self))")
    }
    precondition(same(page, again), "the object form parses to other changes: \(String(decoding: objects, as: UTF8.self))")
    if let rows = writeRows(page) {
        guard let third = try? MirrorPage.parse(Data(rows)) else {
            preconditionFailure("the page written back in the rows form does not parse: \(String(decoding: rows, as: UTF8.self))")
        }
        precondition(same(page, third), "the rows form parses to other changes: \(String(decoding: rows, as: UTF8.self))")
    }
}

func same(_ a: MirrorPage, _ b: MirrorPage) -> Bool {
    guard a.next == b.next, a.hasMore == b.hasMore, a.changes.count == b.changes.count else { return false }
    for (x, y) in zip(a.changes, b.changes) {
        guard x.seq == y.seq, x.stream == y.stream, x.op == y.op, x.id == y.id else { return false }
        switch (x.payload, y.payload) {
        case (nil, nil): continue
        case let (.call(c1, e1)?, .call(c2, e2)?): guard c1 == c2, e1 == e2 else { return false }
        case let (.daySummary(s1, e1)?, .daySummary(s2, e2)?): guard s1 == s2, e1 == e2 else { return false }
        case let (.document(p1, v1, j1)?, .document(p2, v2, j2)?): guard p1 == p2, v1 == v2, j1 == j2 else { return false }
        default: return false
        }
    }
    return true
}

/// `{…known fields…, …unknown ones…}`: the known ones as the server writes them, then `extra`'s.
func writeWithExtra(_ w: inout JSONWriter, _ extra: String?, _ known: (inout JSONWriter) -> Void) {
    var inner = JSONWriter()
    known(&inner)
    guard let extra else {
        w.bytes.append(contentsOf: inner.bytes)
        return
    }
    w.bytes.append(contentsOf: inner.bytes.dropLast())  // the closing brace
    w.raw(",")
    w.bytes.append(contentsOf: extra.utf8.dropFirst())  // the opening brace
}

func writeObjects(_ page: MirrorPage) -> [UInt8] {
    var w = JSONWriter()
    w.raw("{\"changes\":[")
    for (n, change) in page.changes.enumerated() {
        if n > 0 { w.raw(",") }
        w.raw("{\"seq\":")
        w.int(Int(change.seq))
        w.raw(",\"stream\":")
        w.string(change.stream)
        w.raw(",\"op\":")
        w.string(change.op.rawValue)
        w.raw(",\"id\":")
        w.string(change.id)
        w.raw(",\"data\":")
        switch change.payload {
        case nil: w.raw("null")
        case .call(let call, let extra)?: writeWithExtra(&w, extra) { call.write(to: &$0) }
        case .daySummary(let summary, let extra)?: writeWithExtra(&w, extra) { summary.write(to: &$0) }
        case .document(_, _, let json)?: w.json(json)
        }
        w.raw("}")
    }
    w.raw("],\"next\":")
    w.int(Int(page.next))
    w.raw(",\"has_more\":")
    w.bool(page.hasMore)
    w.raw("}")
    return w.bytes
}

/// The rows form with columns for every field (`id` and `person_id` too), nil when a call or
/// summary has unknown fields (columns are page-wide; the object form covers those).
func writeRows(_ page: MirrorPage) -> [UInt8]? {
    var w = JSONWriter()
    w.raw("{\"columns\":{\"calls\":[")
    for (n, name) in (Call.rowColumns + ["id", "person_id"]).enumerated() {
        if n > 0 { w.raw(",") }
        w.string(name)
    }
    w.raw("],\"day_summaries\":[")
    for (n, name) in (DaySummary.rowColumns + ["date", "person_id"]).enumerated() {
        if n > 0 { w.raw(",") }
        w.string(name)
    }
    w.raw("]},\"changes\":[")
    for (n, change) in page.changes.enumerated() {
        if n > 0 { w.raw(",") }
        w.raw("[")
        w.int(Int(change.seq))
        w.raw(",")
        w.string(change.stream)
        w.raw(",")
        w.string(change.op.rawValue)
        w.raw(",")
        w.string(change.id)
        w.raw(",")
        switch change.payload {
        case nil: w.raw("null")
        case .call(let call, let extra)?:
            guard extra == nil, change.stream == SyncStream.calls.rawValue else { return nil }
            var row = JSONWriter()
            call.writeRow(to: &row)
            w.bytes.append(contentsOf: row.bytes.dropLast())
            w.raw(",")
            w.string(call.id)
            w.raw(",")
            w.string(call.personID)
            w.raw("]")
        case .daySummary(let summary, let extra)?:
            guard extra == nil, change.stream == SyncStream.daySummaries.rawValue else { return nil }
            var row = JSONWriter()
            summary.writeRow(to: &row)
            w.bytes.append(contentsOf: row.bytes.dropLast())
            w.raw(",")
            w.string(summary.date.description)
            w.raw(",")
            w.string(summary.personID)
            w.raw("]")
        case .document(_, _, let json)?:
            // The rows form drops documents of streams this client does not know.
            guard SyncStream(rawValue: change.stream) != nil else { return nil }
            w.json(json)
        }
        w.raw("]")
    }
    w.raw("],\"next\":")
    w.int(Int(page.next))
    w.raw(",\"has_more\":")
    w.bool(page.hasMore)
    w.raw("}")
    return w.bytes
}
