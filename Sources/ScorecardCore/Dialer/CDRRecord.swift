/// A call detail record in the dialer's own shape (seed 000), decoded leniently so that one
/// bad record yields a reason instead of failing the whole batch.
///
/// Accepted fields: `CallID`, `AgentID` (strings or numbers), `StartTime` (`YYYY-MM-DD HH:MM:SS`
/// UTC, or ISO 8601 with `Z`), `Type`, `Status`, `TalkTime` and `HandlingTime` (`HH:MM:SS`,
/// missing or null = 0), `Disposition` (string or null).
public struct CDRRecord: Decodable, Sendable {
    /// The mapped call, or why the record was refused.
    public let result: Result<Call, RecordError>

    public init(from decoder: any Decoder) {
        do {
            let c = try decoder.container(keyedBy: DialerKey.self)
            result = CDRRecord.map(c)
        } catch {
            result = .failure(RecordError("record is not a JSON object"))
        }
    }

    static func map(_ c: KeyedDecodingContainer<DialerKey>) -> Result<Call, RecordError> {
        do {
            let id = try c.requiredString("CallID")
            let agent = try c.requiredString("AgentID")
            let start = try c.requiredString("StartTime")
            guard let startedAt = DialerTime.timestamp(start) else {
                throw RecordError("StartTime '\(start)' is not YYYY-MM-DD HH:MM:SS")
            }
            let type = try c.requiredString("Type")
            let status = try c.requiredString("Status")
            let talk = try c.duration("TalkTime")
            let handling = try c.duration("HandlingTime")
            let disposition = try c.optionalString("Disposition")
            return .success(
                Call(
                    id: id, personID: agent, startedAt: startedAt, direction: DialerMapping.direction(type),
                    callType: type, status: DialerMapping.status(status), talkSeconds: talk,
                    handlingSeconds: handling, disposition: disposition))
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

    public init(from decoder: any Decoder) {
        do {
            let c = try decoder.container(keyedBy: DialerKey.self)
            let agent = try c.requiredString("AgentID")
            let dateText = try c.requiredString("Date")
            guard let date = CivilDate(dateText.prefix(10)), dateText.count == 10 || dateText.count == 19 else {
                throw RecordError("Date '\(dateText)' is not YYYY-MM-DD")
            }
            result = .success(
                DaySummary(
                    personID: agent, date: date,
                    loginSeconds: try c.duration("TotalLoginDuration"), busySeconds: try c.duration("TotalBusyTime"),
                    idleSeconds: try c.duration("TotalIdleTime"), pauseSeconds: try c.duration("TotalPauseTime"),
                    wrapupSeconds: try c.duration("TotalWrapupTime"), dialSeconds: try c.duration("TotalDialTime"),
                    ahtSeconds: try c.duration("AHT")))
        } catch let error as RecordError {
            result = .failure(error)
        } catch {
            result = .failure(RecordError("record is not a JSON object"))
        }
    }
}

/// Why one ingest record was refused.
public struct RecordError: Error, Hashable, Sendable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
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
        if t.count == 19, t.utf8[t.utf8.index(t.utf8.startIndex, offsetBy: 10)] == UInt8(ascii: " ") {
            t = String(t.prefix(10)) + "T" + String(t.suffix(8)) + "Z"
        }
        guard let seconds = Timestamp.epochSeconds(t) else { return nil }
        return Timestamp.format(epochSeconds: seconds)
    }
}

struct DialerKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer where K == DialerKey {
    func optionalString(_ key: String) throws -> String? {
        let k = DialerKey(key)
        guard contains(k), !((try? decodeNil(forKey: k)) ?? false) else { return nil }
        if let s = try? decode(String.self, forKey: k) { return s }
        if let n = try? decode(Int.self, forKey: k) { return String(n) }
        throw RecordError("\(key) must be a string")
    }

    func requiredString(_ key: String) throws -> String {
        guard let s = try optionalString(key), !s.allSatisfy(\.isWhitespace) else {
            throw RecordError("\(key) is missing")
        }
        return s
    }

    func duration(_ key: String) throws -> Int {
        guard let s = try optionalString(key), !s.isEmpty else { return 0 }
        guard let seconds = HMS.seconds(s) else { throw RecordError("\(key) '\(s)' is not HH:MM:SS") }
        return seconds
    }
}
