import Foundation

/// A call detail record in the dialer's own shape (seed 000), read leniently so that one
/// bad record yields a reason instead of failing the whole batch.
///
/// Accepted fields: `CallID`, `AgentID` (strings or numbers), `StartTime` (`YYYY-MM-DD HH:MM:SS`
/// UTC, or ISO 8601 with `Z`), `Type`, `Status`, `TalkTime` and `HandlingTime` (`HH:MM:SS`,
/// missing or null = 0), `Disposition` (string or null). Other fields are ignored.
public struct CDRRecord: Decodable, Sendable {
    /// The mapped call, or why the record was refused.
    public let result: Result<Call, RecordError>

    init(result: Result<Call, RecordError>) { self.result = result }

    public init(from decoder: any Decoder) {
        result = DialerFields.decode(decoder).map(CDRRecord.map) ?? .failure(RecordError("record is not a JSON object"))
    }

    /// Reads a JSON array of records with ``JSONScanner`` (the ingest hot path).
    /// Throws ``JSONScanError`` for malformed JSON and ``DialerBodyError`` when the body is not an array.
    public static func parseArray(_ data: Data) throws -> [CDRRecord] {
        try DialerFields.parseArray(data) { $0.map(CDRRecord.map) ?? .failure(RecordError("record is not a JSON object")) }
            .map(CDRRecord.init(result:))
    }

    static func map(_ f: DialerFields) -> Result<Call, RecordError> {
        do {
            let id = try f.required("CallID")
            let agent = try f.required("AgentID")
            let start = try f.required("StartTime")
            guard let startedAt = DialerTime.timestamp(start) else {
                throw RecordError("StartTime '\(start)' is not YYYY-MM-DD HH:MM:SS")
            }
            let type = try f.required("Type")
            let status = try f.required("Status")
            return .success(
                Call(
                    id: id, personID: agent, startedAt: startedAt, direction: DialerMapping.direction(type),
                    callType: type, status: DialerMapping.status(status), talkSeconds: try f.duration("TalkTime"),
                    handlingSeconds: try f.duration("HandlingTime"), disposition: try f.optional("Disposition")))
        } catch let error as RecordError {
            return .failure(error)
        } catch {
            return .failure(RecordError("record could not be read: \(error)"))
        }
    }
}

/// An agent summary row in the dialer's shape: `AgentID, Date, TotalLoginDuration, TotalBusyTime,
/// TotalIdleTime, TotalPauseTime, TotalWrapupTime, TotalDialTime, AHT` (durations `HH:MM:SS`,
/// missing or null = 0).
public struct AgentSummaryRecord: Decodable, Sendable {
    /// The mapped summary, or why the record was refused.
    public let result: Result<DaySummary, RecordError>

    init(result: Result<DaySummary, RecordError>) { self.result = result }

    public init(from decoder: any Decoder) {
        result = DialerFields.decode(decoder).map(AgentSummaryRecord.map) ?? .failure(RecordError("record is not a JSON object"))
    }

    /// Reads a JSON array of records with ``JSONScanner``.
    public static func parseArray(_ data: Data) throws -> [AgentSummaryRecord] {
        try DialerFields.parseArray(data) { $0.map(AgentSummaryRecord.map) ?? .failure(RecordError("record is not a JSON object")) }
            .map(AgentSummaryRecord.init(result:))
    }

    static func map(_ f: DialerFields) -> Result<DaySummary, RecordError> {
        do {
            let agent = try f.required("AgentID")
            let dateText = try f.required("Date")
            guard let date = CivilDate(dateText.prefix(10)), dateText.count == 10 || dateText.count == 19 else {
                throw RecordError("Date '\(dateText)' is not YYYY-MM-DD")
            }
            return .success(
                DaySummary(
                    personID: agent, date: date,
                    loginSeconds: try f.duration("TotalLoginDuration"), busySeconds: try f.duration("TotalBusyTime"),
                    idleSeconds: try f.duration("TotalIdleTime"), pauseSeconds: try f.duration("TotalPauseTime"),
                    wrapupSeconds: try f.duration("TotalWrapupTime"), dialSeconds: try f.duration("TotalDialTime"),
                    ahtSeconds: try f.duration("AHT")))
        } catch let error as RecordError {
            return .failure(error)
        } catch {
            return .failure(RecordError("record could not be read: \(error)"))
        }
    }
}

/// Why one ingest record was refused.
public struct RecordError: Error, Hashable, Sendable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// The body of an ingest request is valid JSON but not an array of records.
public struct DialerBodyError: Error, Sendable, CustomStringConvertible {
    public var description: String { "expected a JSON array of records" }
    public init() {}
}

/// The dialer's vocabulary mapped to ours (API.md).
public enum DialerMapping {
    /// `InBound` → inbound; `Manual`, `Progressive` and every other type → outbound.
    public static func direction(_ type: String) -> CallDirection {
        type.lowercased() == "inbound" ? .inbound : .outbound
    }

    /// `Answered` → answered; `Unanswered`, `NotAnswered` → missed; anything else → other.
    public static func status(_ status: String) -> CallStatus {
        switch status.lowercased() {
        case "answered": return .answered
        case "unanswered", "notanswered", "not answered": return .missed
        default: return .other
        }
    }
}

enum DialerTime {
    /// `YYYY-MM-DD HH:MM:SS` (or ISO 8601 with `T` and `Z`) → canonical `YYYY-MM-DDTHH:MM:SSZ`.
    static func timestamp(_ text: String) -> String? {
        var t = text
        if t.utf8.count == 19, t.utf8[t.utf8.index(t.utf8.startIndex, offsetBy: 10)] == UInt8(ascii: " ") {
            t = String(t.prefix(10)) + "T" + String(t.suffix(8)) + "Z"
        }
        guard let seconds = Timestamp.epochSeconds(t) else { return nil }
        return Timestamp.format(epochSeconds: seconds)
    }
}

/// The fields of one dialer record: text (strings and numbers), null, or a value of another type.
struct DialerFields {
    enum Value {
        case text(String)
        case null
        case invalid
    }

    var values: [String: Value] = [:]

    func optional(_ key: String) throws -> String? {
        switch values[key] {
        case .text(let s)?: return s
        case .null?, nil: return nil
        case .invalid?: throw RecordError("\(key) must be a string")
        }
    }

    func required(_ key: String) throws -> String {
        guard let s = try optional(key), !s.allSatisfy(\.isWhitespace) else { throw RecordError("\(key) is missing") }
        return s
    }

    func duration(_ key: String) throws -> Int {
        guard let s = try optional(key), !s.isEmpty else { return 0 }
        guard let seconds = HMS.seconds(s) else { throw RecordError("\(key) '\(s)' is not HH:MM:SS") }
        return seconds
    }

    /// From a `Decoder`; nil when the value is not an object.
    static func decode(_ decoder: any Decoder) -> DialerFields? {
        guard let c = try? decoder.container(keyedBy: AnyCodingKey.self) else { return nil }
        var f = DialerFields()
        for key in c.allKeys {
            if (try? c.decodeNil(forKey: key)) == true {
                f.values[key.stringValue] = .null
            } else if let s = try? c.decode(String.self, forKey: key) {
                f.values[key.stringValue] = .text(s)
            } else if let n = try? c.decode(Int.self, forKey: key) {
                f.values[key.stringValue] = .text(String(n))
            } else {
                f.values[key.stringValue] = .invalid
            }
        }
        return f
    }

    /// Reads an array of records with the scanner; `map` gets nil for elements that are not objects.
    static func parseArray<T>(_ data: Data, _ map: (DialerFields?) -> T) throws -> [T] {
        try data.withUnsafeBytes { raw in
            var s = JSONScanner(raw.bindMemory(to: UInt8.self))
            guard s.peek() == UInt8(ascii: "[") else {
                _ = try s.skipValue()
                try s.expectEnd()
                throw DialerBodyError()
            }
            try s.enterArray()
            var result: [T] = []
            var first = true
            while try s.nextElement(&first) {
                guard s.peek() == UInt8(ascii: "{") else {
                    try s.skipValue()
                    result.append(map(nil))
                    continue
                }
                try s.enterObject()
                var f = DialerFields()
                var firstKey = true
                while let key = try s.nextKey(&firstKey) {
                    switch s.peek() ?? 0 {
                    case UInt8(ascii: "\""): f.values[key] = .text(try s.readString())
                    case UInt8(ascii: "n"):
                        _ = try s.readNull()
                        f.values[key] = .null
                    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): f.values[key] = .text(try s.readNumberText())
                    default:
                        try s.skipValue()
                        f.values[key] = .invalid
                    }
                }
                result.append(map(f))
            }
            try s.expectEnd()
            return result
        }
    }
}

struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
