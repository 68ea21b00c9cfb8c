import ScorecardCore

extension FeedPage {
    /// The page as API.md's JSON, written directly (the pull hot path; `JSONEncoder` is ~10× slower).
    /// Each change carries `stream` before `data` so a client can read `data` in one pass.
    public func json() -> [UInt8] {
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
}
