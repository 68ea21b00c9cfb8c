import Foundation
import ScorecardCore

/// A pull page decoded for the mirror: typed rows for calls and day summaries, JSON documents
/// for the other streams, and every field this client does not know kept in `extra`.
public struct MirrorPage: Decodable, Sendable {
    public var changes: [MirrorChange]
    public var next: Int64
    public var hasMore: Bool

    public init(changes: [MirrorChange], next: Int64, hasMore: Bool) {
        self.changes = changes
        self.next = next
        self.hasMore = hasMore
    }

    enum CodingKeys: String, CodingKey {
        case changes, next
        case hasMore = "has_more"
    }
}

/// One change of a page.
public struct MirrorChange: Decodable, Sendable {
    public var seq: Int64
    public var stream: String
    public var op: ChangeOp
    public var id: String
    public var payload: MirrorPayload?

    public init(seq: Int64, stream: String, op: ChangeOp, id: String, payload: MirrorPayload?) {
        self.seq = seq
        self.stream = stream
        self.op = op
        self.id = id
        self.payload = payload
    }

    enum CodingKeys: String, CodingKey { case seq, stream, op, id, data }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        seq = try c.decode(Int64.self, forKey: .seq)
        stream = try c.decode(String.self, forKey: .stream)
        op = try c.decode(ChangeOp.self, forKey: .op)
        id = try c.decode(String.self, forKey: .id)
        guard op == .upsert else {
            payload = nil
            return
        }
        switch stream {
        case SyncStream.calls.rawValue:
            let p = try c.decode(CallPayload.self, forKey: .data)
            payload = .call(p.call, extra: p.extra)
        case SyncStream.daySummaries.rawValue:
            let p = try c.decode(SummaryPayload.self, forKey: .data)
            payload = .daySummary(p.summary, extra: p.extra)
        default:
            let value = try c.decode(JSONValue.self, forKey: .data)
            guard case .object(let object) = value else {
                throw DecodingError.dataCorruptedError(forKey: .data, in: c, debugDescription: "data must be an object")
            }
            var version = 0
            if case .number(let n)? = object["version"] { version = Int(n) }
            var periodStart: String?
            if case .string(let s)? = object["period_start"] { periodStart = s }
            let json = String(decoding: try WireJSON.encode(value), as: UTF8.self)
            payload = .document(periodStart: periodStart, version: version, json: json)
        }
    }
}

/// What an upsert carries.
public enum MirrorPayload: Sendable {
    case call(Call, extra: String?)
    case daySummary(DaySummary, extra: String?)
    /// Streams kept as JSON documents (snapshots, reviews, goals, feedback).
    case document(periodStart: String?, version: Int, json: String)
}

struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Collects the fields of an object this client does not know, as a JSON text.
struct ExtraFields {
    private var fields: [String: JSONValue] = [:]

    mutating func keep(_ key: AnyKey, from c: KeyedDecodingContainer<AnyKey>) throws {
        fields[key.stringValue] = try c.decode(JSONValue.self, forKey: key)
    }

    var json: String? {
        fields.isEmpty ? nil : (try? WireJSON.encode(fields)).map { String(decoding: $0, as: UTF8.self) }
    }
}

struct CallPayload: Decodable {
    var call: Call
    var extra: String?

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        var id: String?, person = "", started: String?, direction: CallDirection?, type = "", status: CallStatus = .other
        var talk = 0, handling = 0, disposition: String?, version: Int?
        var extra = ExtraFields()
        for key in c.allKeys {
            switch key.stringValue {
            case "id": id = try c.decode(String.self, forKey: key)
            case "person_id": person = try c.decode(String.self, forKey: key)
            case "started_at": started = try c.decode(String.self, forKey: key)
            case "direction": direction = try c.decode(CallDirection.self, forKey: key)
            case "call_type": type = try c.decode(String.self, forKey: key)
            case "status": status = CallStatus(rawValue: try c.decode(String.self, forKey: key)) ?? .other
            case "talk_seconds": talk = try c.decode(Int.self, forKey: key)
            case "handling_seconds": handling = try c.decode(Int.self, forKey: key)
            case "disposition": disposition = try c.decodeIfPresent(String.self, forKey: key)
            case "version": version = try c.decode(Int.self, forKey: key)
            default: try extra.keep(key, from: c)
            }
        }
        guard let id, let started, let direction, let version else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "a call needs id, started_at, direction and version"))
        }
        call = Call(
            id: id, personID: person, startedAt: started, direction: direction, callType: type, status: status,
            talkSeconds: talk, handlingSeconds: handling, disposition: disposition, version: version)
        self.extra = extra.json
    }
}

struct SummaryPayload: Decodable {
    var summary: DaySummary
    var extra: String?

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        var person = "", date: CivilDate?, version: Int?
        var seconds: [String: Int] = [:]
        var extra = ExtraFields()
        for key in c.allKeys {
            switch key.stringValue {
            case "person_id": person = try c.decode(String.self, forKey: key)
            case "date": date = try c.decode(CivilDate.self, forKey: key)
            case "version": version = try c.decode(Int.self, forKey: key)
            case "login_seconds", "busy_seconds", "idle_seconds", "pause_seconds", "wrapup_seconds", "dial_seconds", "aht_seconds":
                seconds[key.stringValue] = try c.decode(Int.self, forKey: key)
            default: try extra.keep(key, from: c)
            }
        }
        guard let date, let version else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "a day summary needs date and version"))
        }
        summary = DaySummary(
            personID: person, date: date, loginSeconds: seconds["login_seconds"] ?? 0, busySeconds: seconds["busy_seconds"] ?? 0,
            idleSeconds: seconds["idle_seconds"] ?? 0, pauseSeconds: seconds["pause_seconds"] ?? 0,
            wrapupSeconds: seconds["wrapup_seconds"] ?? 0, dialSeconds: seconds["dial_seconds"] ?? 0,
            ahtSeconds: seconds["aht_seconds"] ?? 0, version: version)
        self.extra = extra.json
    }
}
