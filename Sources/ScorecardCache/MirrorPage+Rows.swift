import ScorecardCore

/// Reading the compact `rows` form of a pull page (`format=rows`): each change an array
/// `[seq, stream, op, id, data]`, calls and day summaries as arrays of values in the order of the
/// page's `columns`. Columns this client does not know go to `extra`, as in the object form.
struct RowColumns {
    enum CallField {
        case callType, direction, disposition, handlingSeconds, startedAt, status, talkSeconds, version, id, personID
        case other(String)
    }

    enum SummaryField {
        case aht, busy, dial, idle, login, pause, wrapup, version, date, personID
        case other(String)
    }

    var calls: [CallField]?
    var daySummaries: [SummaryField]?

    /// Reads `{"calls": [names], "day_summaries": [names], …}` (other streams' lists are skipped).
    static func parse(_ s: inout JSONScanner) throws -> RowColumns {
        var columns = RowColumns()
        try s.enterObject()
        var first = true
        while let stream = try s.nextKey(&first) {
            switch stream {
            case SyncStream.calls.rawValue: columns.calls = try names(&s).map(callField)
            case SyncStream.daySummaries.rawValue: columns.daySummaries = try names(&s).map(summaryField)
            default: try s.skipValue()
            }
        }
        return columns
    }

    static func names(_ s: inout JSONScanner) throws -> [String] {
        var names: [String] = []
        try s.enterArray()
        var first = true
        while try s.nextElement(&first) { names.append(try s.readString()) }
        return names
    }

    static func callField(_ name: String) -> CallField {
        switch name {
        case "call_type": return .callType
        case "direction": return .direction
        case "disposition": return .disposition
        case "handling_seconds": return .handlingSeconds
        case "started_at": return .startedAt
        case "status": return .status
        case "talk_seconds": return .talkSeconds
        case "version": return .version
        case "id": return .id
        case "person_id": return .personID
        default: return .other(name)
        }
    }

    static func summaryField(_ name: String) -> SummaryField {
        switch name {
        case "aht_seconds": return .aht
        case "busy_seconds": return .busy
        case "dial_seconds": return .dial
        case "idle_seconds": return .idle
        case "login_seconds": return .login
        case "pause_seconds": return .pause
        case "wrapup_seconds": return .wrapup
        case "version": return .version
        case "date": return .date
        case "person_id": return .personID
        default: return .other(name)
        }
    }
}

extension MirrorPage {
    /// One change in the `rows` form.
    static func parseRowChange(_ s: inout JSONScanner, columns: RowColumns?) throws -> MirrorChange {
        try s.enterArray()
        var first = true
        func element(_ s: inout JSONScanner, _ what: String) throws {
            guard try s.nextElement(&first) else { throw JSONScanError(offset: s.offset, message: "a change row needs \(what)") }
        }
        try element(&s, "seq")
        let seq = Int64(try s.readInt())
        try element(&s, "stream")
        let stream = try s.readString()
        try element(&s, "op")
        let opText = try s.readString()
        guard let op = ChangeOp(rawValue: opText) else { throw JSONScanError(offset: s.offset, message: "unknown op '\(opText)'") }
        try element(&s, "id")
        let id = try s.readString()
        try element(&s, "data")
        var payload: MirrorPayload?
        if try s.readNull() {
            payload = nil
        } else {
            switch stream {
            case SyncStream.calls.rawValue:
                guard let fields = columns?.calls else { throw JSONScanError(offset: s.offset, message: "a calls row before the page's columns") }
                payload = try parseCallRow(&s, id: id, fields: fields)
            case SyncStream.daySummaries.rawValue:
                guard let fields = columns?.daySummaries else {
                    throw JSONScanError(offset: s.offset, message: "a day_summaries row before the page's columns")
                }
                payload = try parseSummaryRow(&s, id: id, fields: fields)
            case _ where SyncStream(rawValue: stream) != nil:
                payload = try parsePayload(&s, stream: stream)  // documents keep their object form
            default:
                try s.skipValue()  // a stream this client does not know: passed over
            }
        }
        while try s.nextElement(&first) { try s.skipValue() }  // elements a later server may add
        if op == .upsert && payload == nil && SyncStream(rawValue: stream) != nil {
            throw JSONScanError(offset: s.offset, message: "an upsert of \(stream) needs data")
        }
        return MirrorChange(seq: seq, stream: stream, op: op, id: id, payload: op == .upsert ? payload : nil)
    }

    static func parseCallRow(_ s: inout JSONScanner, id changeID: String, fields: [RowColumns.CallField]) throws -> MirrorPayload {
        var id = changeID, person = "", started: String?, direction: CallDirection?, type = "", status: CallStatus = .other
        var talk = 0, handling = 0, disposition: String?, version: Int?
        var extra = RawExtra()
        try s.enterArray()
        var first = true, k = 0
        while try s.nextElement(&first) {
            guard k < fields.count else { throw JSONScanError(offset: s.offset, message: "a calls row has more values than columns") }
            switch fields[k] {
            case .callType: type = try s.readString()
            case .direction:
                let d = try s.readString()
                guard let value = CallDirection(rawValue: d) else { throw JSONScanError(offset: s.offset, message: "unknown direction '\(d)'") }
                direction = value
            case .disposition: disposition = try s.readNull() ? nil : try s.readString()
            case .handlingSeconds: handling = try s.readInt()
            case .startedAt: started = try s.readString()
            case .status: status = CallStatus(rawValue: try s.readString()) ?? .other
            case .talkSeconds: talk = try s.readInt()
            case .version: version = try s.readInt()
            case .id: id = try s.readString()
            case .personID: person = try s.readString()
            case .other(let name): extra.keep(name, s.text(try s.skipValue()))
            }
            k += 1
        }
        guard k == fields.count else { throw JSONScanError(offset: s.offset, message: "a calls row has fewer values than columns") }
        guard let started, let direction, let version else {
            throw JSONScanError(offset: s.offset, message: "a call needs started_at, direction and version")
        }
        let call = Call(
            id: id, personID: person, startedAt: started, direction: direction, callType: type, status: status,
            talkSeconds: talk, handlingSeconds: handling, disposition: disposition, version: version)
        return .call(call, extra: extra.json)
    }

    static func parseSummaryRow(_ s: inout JSONScanner, id: String, fields: [RowColumns.SummaryField]) throws -> MirrorPayload {
        var person = "", dateText = id, version: Int?
        var v = (aht: 0, busy: 0, dial: 0, idle: 0, login: 0, pause: 0, wrapup: 0)
        var extra = RawExtra()
        try s.enterArray()
        var first = true, k = 0
        while try s.nextElement(&first) {
            guard k < fields.count else { throw JSONScanError(offset: s.offset, message: "a day_summaries row has more values than columns") }
            switch fields[k] {
            case .aht: v.aht = try s.readInt()
            case .busy: v.busy = try s.readInt()
            case .dial: v.dial = try s.readInt()
            case .idle: v.idle = try s.readInt()
            case .login: v.login = try s.readInt()
            case .pause: v.pause = try s.readInt()
            case .wrapup: v.wrapup = try s.readInt()
            case .version: version = try s.readInt()
            case .date: dateText = try s.readString()
            case .personID: person = try s.readString()
            case .other(let name): extra.keep(name, s.text(try s.skipValue()))
            }
            k += 1
        }
        guard k == fields.count else { throw JSONScanError(offset: s.offset, message: "a day_summaries row has fewer values than columns") }
        guard let date = CivilDate(dateText) else { throw JSONScanError(offset: s.offset, message: "bad date '\(dateText)'") }
        guard let version else { throw JSONScanError(offset: s.offset, message: "a day summary needs version") }
        let summary = DaySummary(
            personID: person, date: date, loginSeconds: v.login, busySeconds: v.busy, idleSeconds: v.idle, pauseSeconds: v.pause,
            wrapupSeconds: v.wrapup, dialSeconds: v.dial, ahtSeconds: v.aht, version: version)
        return .daySummary(summary, extra: extra.json)
    }
}
