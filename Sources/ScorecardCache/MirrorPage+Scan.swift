import Foundation
import ScorecardCore

extension MirrorPage {
    /// Reads a pull page with ``JSONScanner`` (the sync hot path), in either form: API.md's objects
    /// or the compact `rows` form (see `MirrorPage+Rows.swift`), change by change. Fields of an
    /// entity this client does not know are kept, as raw JSON, in `extra`; keys may come in any order.
    public static func parse(_ data: Data) throws -> MirrorPage {
        try data.withUnsafeBytes { raw in
            var s = JSONScanner(raw.bindMemory(to: UInt8.self))
            var page = MirrorPage(changes: [], next: 0, hasMore: false)
            var sawNext = false, sawHasMore = false
            var columns: RowColumns?
            try s.enterObject()
            var first = true
            while let key = try s.nextKey(&first) {
                switch key {
                case "columns":
                    columns = try RowColumns.parse(&s)
                case "changes":
                    // A compact change takes ~110 bytes or more: enough room without regrowing (and
                    // copying) the array as it fills; pages are at most 5000 changes.
                    page.changes.reserveCapacity(min(data.count / 110, 5001))
                    try s.enterArray()
                    var firstChange = true
                    while try s.nextElement(&firstChange) {
                        if s.peek() == UInt8(ascii: "[") {
                            page.changes.append(try parseRowChange(&s, columns: columns))
                        } else {
                            page.changes.append(try parseChange(&s))
                        }
                    }
                case "next":
                    page.next = Int64(try s.readInt())
                    sawNext = true
                case "has_more":
                    page.hasMore = try s.readBool()
                    sawHasMore = true
                default: try s.skipValue()
                }
            }
            try s.expectEnd()
            guard sawNext, sawHasMore else { throw JSONScanError(offset: s.offset, message: "a page needs next and has_more") }
            return page
        }
    }

    static func parseChange(_ s: inout JSONScanner) throws -> MirrorChange {
        var seq: Int64?, stream: String?, op: ChangeOp?, id: String?
        var payload: MirrorPayload?
        var pendingData: Range<Int>?  // `data` seen before `stream`
        try s.enterObject()
        var first = true
        while let key = try s.nextKey(&first) {
            switch key {
            case "seq": seq = Int64(try s.readInt())
            case "stream":
                // `data` is read by the stream seen before it: a second, different stream would
                // leave a payload of one stream's kind on a change of another.
                let value = try s.readString()
                if let stream, stream != value { throw JSONScanError(offset: s.offset, message: "a change names two streams") }
                stream = value
            case "op":
                let text = try s.readString()
                guard let o = ChangeOp(rawValue: text) else { throw JSONScanError(offset: s.offset, message: "unknown op '\(text)'") }
                op = o
            case "id": id = try s.readString()
            case "data":
                if let stream {
                    payload = try parsePayload(&s, stream: stream)
                } else {
                    pendingData = try s.skipValue()
                }
            default: try s.skipValue()
            }
        }
        guard let seq, let stream, let op, let id else {
            throw JSONScanError(offset: s.offset, message: "a change needs seq, stream, op and id")
        }
        if let pendingData {
            var sub = s.scanner(for: pendingData)
            payload = try parsePayload(&sub, stream: stream)
        }
        if op == .upsert && payload == nil && SyncStream(rawValue: stream) != nil {
            throw JSONScanError(offset: s.offset, message: "an upsert of \(stream) needs data")
        }
        return MirrorChange(seq: seq, stream: stream, op: op, id: id, payload: op == .upsert ? payload : nil)
    }

    static func parsePayload(_ s: inout JSONScanner, stream: String) throws -> MirrorPayload? {
        if try s.readNull() { return nil }
        switch stream {
        case SyncStream.calls.rawValue: return try parseCall(&s)
        case SyncStream.daySummaries.rawValue: return try parseSummary(&s)
        default:
            var scan = s
            let range = try s.skipValue()
            var version = 0
            var periodStart: String?
            try scan.enterObject()
            var first = true
            while let key = try scan.nextKey(&first) {
                switch key {
                case "version": version = try scan.readInt()
                case "period_start": periodStart = try scan.readNull() ? nil : try scan.readString()
                default: try scan.skipValue()
                }
            }
            return .document(periodStart: periodStart, version: version, json: s.text(range))
        }
    }

    static func parseCall(_ s: inout JSONScanner) throws -> MirrorPayload {
        var id: String?, person = "", started: String?, direction: CallDirection?, type = "", status: CallStatus = .other
        var talk = 0, handling = 0, disposition: String?, version: Int?
        var extra = RawExtra()
        try s.enterObject()
        var first = true
        while let key = try s.nextKey(&first) {
            switch key {
            case "id": id = try s.readString()
            case "person_id": person = try s.readString()
            case "started_at": started = try s.readString()
            case "direction":
                let d = try s.readString()
                guard let value = CallDirection(rawValue: d) else { throw JSONScanError(offset: s.offset, message: "unknown direction '\(d)'") }
                direction = value
            case "call_type": type = try s.readString()
            case "status": status = CallStatus(rawValue: try s.readString()) ?? .other
            case "talk_seconds": talk = try s.readInt()
            case "handling_seconds": handling = try s.readInt()
            case "disposition": disposition = try s.readNull() ? nil : try s.readString()
            case "version": version = try s.readInt()
            default: extra.keep(key, s.text(try s.skipValue()))
            }
        }
        guard let id, let started, let direction, let version else {
            throw JSONScanError(offset: s.offset, message: "a call needs id, started_at, direction and version")
        }
        let call = Call(
            id: id, personID: person, startedAt: started, direction: direction, callType: type, status: status,
            talkSeconds: talk, handlingSeconds: handling, disposition: disposition, version: version)
        return .call(call, extra: extra.json)
    }

    static func parseSummary(_ s: inout JSONScanner) throws -> MirrorPayload {
        var person = "", date: CivilDate?, version: Int?
        var v = [Int](repeating: 0, count: 7)
        var extra = RawExtra()
        try s.enterObject()
        var first = true
        while let key = try s.nextKey(&first) {
            switch key {
            case "person_id": person = try s.readString()
            case "date":
                let text = try s.readString()
                guard let d = CivilDate(text) else { throw JSONScanError(offset: s.offset, message: "bad date '\(text)'") }
                date = d
            case "version": version = try s.readInt()
            case "login_seconds": v[0] = try s.readInt()
            case "busy_seconds": v[1] = try s.readInt()
            case "idle_seconds": v[2] = try s.readInt()
            case "pause_seconds": v[3] = try s.readInt()
            case "wrapup_seconds": v[4] = try s.readInt()
            case "dial_seconds": v[5] = try s.readInt()
            case "aht_seconds": v[6] = try s.readInt()
            default: extra.keep(key, s.text(try s.skipValue()))
            }
        }
        guard let date, let version else { throw JSONScanError(offset: s.offset, message: "a day summary needs date and version") }
        let summary = DaySummary(
            personID: person, date: date, loginSeconds: v[0], busySeconds: v[1], idleSeconds: v[2], pauseSeconds: v[3],
            wrapupSeconds: v[4], dialSeconds: v[5], ahtSeconds: v[6], version: version)
        return .daySummary(summary, extra: extra.json)
    }
}

/// Unknown fields as a JSON object text built from their raw values (sorted by key).
struct RawExtra {
    private var fields: [(String, String)] = []

    mutating func keep(_ key: String, _ rawValue: String) { fields.append((key, rawValue)) }

    var json: String? {
        guard !fields.isEmpty else { return nil }
        var w = JSONWriter()
        w.raw("{")
        for (n, (key, value)) in fields.sorted(by: { $0.0 < $1.0 }).enumerated() {
            if n > 0 { w.raw(",") }
            w.string(key)
            w.raw(":")
            w.bytes.append(contentsOf: value.utf8)
        }
        w.raw("}")
        return String(decoding: w.bytes, as: UTF8.self)
    }
}

extension MirrorPage {
    /// `next` and `has_more` read from the page's tail alone (after `changes`, where the server
    /// writes them), without parsing the page: lets the client ask for the following page while it
    /// parses this one. Nil when the tail is not exactly those keys; the full parse decides anyway.
    public static func peekCursor(_ data: Data) -> (next: Int64, hasMore: Bool)? {
        data.withUnsafeBytes { raw -> (next: Int64, hasMore: Bool)? in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard let close = bytes.suffix(96).lastIndex(of: UInt8(ascii: "]")) else { return nil }
            var s = JSONScanner(UnsafeBufferPointer(rebasing: bytes[(close + 1)...]))
            var next: Int64?, hasMore: Bool?
            do {
                var first = false  // the tail continues the page object: each key comes after a comma
                while let key = try s.nextKey(&first) {
                    switch key {
                    case "next": next = Int64(try s.readInt())
                    case "has_more": hasMore = try s.readBool()
                    default: return nil
                    }
                }
                try s.expectEnd()
            } catch {
                return nil
            }
            guard let next, let hasMore else { return nil }
            return (next, hasMore)
        }
    }
}
