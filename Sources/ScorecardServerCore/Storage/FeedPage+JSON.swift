import ScorecardCore

extension FeedPage {
    /// The page in `format`, written directly (the pull hot path; `JSONEncoder` is ~10× slower).
    public func json(format: PullFormat = .json) -> [UInt8] {
        switch format {
        case .json: return objectsJSON()
        case .rows: return rowsJSON()
        }
    }

    /// API.md's form. Each change carries `stream` before `data` so a client can read `data` in one pass.
    func objectsJSON() -> [UInt8] {
        var w = JSONWriter(capacity: 64 + changes.count * 300)
        w.raw("{\"changes\":[")
        for (n, change) in changes.enumerated() {
            w.raw(n == 0 ? "{\"seq\":" : ",{\"seq\":")
            w.int(Int(change.seq))
            w.raw(",\"stream\":")
            w.string(change.stream.rawValue)
            w.raw(",\"op\":")
            w.string(change.op.rawValue)
            w.raw(",\"id\":")
            w.string(change.id)
            w.raw(",\"data\":")
            switch change.entity {
            case .call(let c)?: c.write(to: &w)
            case .daySummary(let d)?: d.write(to: &w)
            case .document(let json)?: w.json(json)
            case nil: w.raw("null")
            }
            w.raw("}")
        }
        w.raw("],\"has_more\":")
        w.bool(hasMore)
        w.raw(",\"next\":")
        w.int(Int(next))
        w.raw("}")
        return w.bytes
    }

    /// The compact `rows` form: `columns` first (only on a page that has changes), then each change
    /// as `[seq, stream, op, id, data]`, with calls and day summaries as arrays of their values.
    func rowsJSON() -> [UInt8] {
        var w = JSONWriter(capacity: 64 + changes.count * 120)
        w.raw("{")
        if !changes.isEmpty {
            w.raw("\"columns\":{\"calls\":")
            FeedPage.writeNames(Call.rowColumns, to: &w)
            w.raw(",\"day_summaries\":")
            FeedPage.writeNames(DaySummary.rowColumns, to: &w)
            w.raw("},")
        }
        w.raw("\"changes\":[")
        for (n, change) in changes.enumerated() {
            w.raw(n == 0 ? "[" : ",[")
            w.int(Int(change.seq))
            w.raw(",")
            w.string(change.stream.rawValue)
            w.raw(",")
            w.string(change.op.rawValue)
            w.raw(",")
            w.string(change.id)
            w.raw(",")
            switch change.entity {
            case .call(let c)?: c.writeRow(to: &w)
            case .daySummary(let d)?: d.writeRow(to: &w)
            case .document(let json)?: w.json(json)
            case nil: w.raw("null")
            }
            w.raw("]")
        }
        w.raw("],\"has_more\":")
        w.bool(hasMore)
        w.raw(",\"next\":")
        w.int(Int(next))
        w.raw("}")
        return w.bytes
    }

    public static func writeNames(_ names: [String], to w: inout JSONWriter) {
        w.raw("[")
        for (n, name) in names.enumerated() {
            if n > 0 { w.raw(",") }
            w.string(name)
        }
        w.raw("]")
    }
}
