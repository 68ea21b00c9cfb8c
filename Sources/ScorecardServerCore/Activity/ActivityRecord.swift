import Foundation
import ScorecardCore

/// One validated activity record: its kind, external id, owner and a value per field of the kind.
public struct ActivityRecord: Sendable, Hashable {
    public var kind: String
    public var id: String
    public var personID: String
    /// In the order of the kind's `fields`.
    public var values: [ActivityValue]

    /// Validates one JSON object of an activities batch; the error is a reason a person can act on.
    public static func parse(_ object: [String: JSONValue]) -> Result<ActivityRecord, RecordError> {
        guard case .string(let kindName)? = object["kind"] else {
            return .failure(RecordError("kind is required: one of \(ActivityKind.all.map(\.name).joined(separator: ", "))"))
        }
        guard let kind = ActivityKind.named(kindName) else {
            return .failure(RecordError("unknown kind '\(kindName)'; expected one of \(ActivityKind.all.map(\.name).joined(separator: ", "))"))
        }
        guard case .string(let id)? = object["id"], !id.isEmpty, id.count <= 200 else {
            return .failure(RecordError("id is required: a string of 1 to 200 characters"))
        }
        guard case .string(let person)? = object["person_id"], !person.isEmpty else {
            return .failure(RecordError("person_id is required"))
        }
        var values: [ActivityValue] = []
        values.reserveCapacity(kind.fields.count)
        for field in kind.fields {
            let raw = object[field.name] ?? .null
            if raw == .null {
                if field.required { return .failure(RecordError("\(field.name) is required for a \(kind.name)")) }
                values.append(field.defaultValue ?? .null)
                continue
            }
            switch value(raw, field.type) {
            case .success(let v): values.append(v)
            case .failure(let message): return .failure(RecordError("\(field.name): \(message.reason)"))
            }
        }
        let record = ActivityRecord(kind: kind.name, id: id, personID: person, values: values)
        if let problem = record.consistencyProblem(kind) { return .failure(RecordError(problem)) }
        return .success(record)
    }

    /// The value of field `name`.
    public func value(_ name: String, in kind: ActivityKind) -> ActivityValue {
        guard let i = kind.fields.firstIndex(where: { $0.name == name }) else { return .null }
        return values[i]
    }

    private func consistencyProblem(_ kind: ActivityKind) -> String? {
        switch kind.name {
        case "record":
            if case .int(let filled) = value("fields_filled", in: kind), case .int(let total) = value("fields_total", in: kind), filled > total {
                return "fields_filled (\(filled)) must not exceed fields_total (\(total))"
            }
        case "lead":
            let status = value("status", in: kind)
            let closed = value("closed_at", in: kind)
            if status != .text("open") && closed == .null { return "closed_at is required for a won or lost lead" }
        default:
            break
        }
        return nil
    }

    private static func value(_ raw: JSONValue, _ type: FieldType) -> Result<ActivityValue, RecordError> {
        switch (type, raw) {
        case (.timestamp, .string(let s)):
            guard Timestamp.epochSeconds(s) != nil else { return .failure(RecordError("'\(s)' is not a timestamp like 2026-11-16T09:30:00Z")) }
            return .success(.text(String(s.prefix(19)) + "Z"))
        case (.date, .string(let s)):
            guard let d = CivilDate(s) else { return .failure(RecordError("'\(s)' is not a date like 2026-11-16")) }
            return .success(.text(d.description))
        case (.bool, .bool(let b)):
            return .success(.int(b ? 1 : 0))
        case (.number, .number(let n)):
            guard n.isFinite, n >= 0 else { return .failure(RecordError("must be a number ≥ 0")) }
            return .success(.double(n))
        case (.integer(let range), .number(let n)):
            guard n == n.rounded(), let i = Int(exactly: n), range.contains(i) else {
                return .failure(RecordError("must be an integer from \(range.lowerBound) to \(range.upperBound)"))
            }
            return .success(.int(i))
        case (.string(let max), .string(let s)):
            // Unicode scalars, as JSON Schema's `maxLength` counts (docs/openapi.yaml).
            guard !s.isEmpty, s.unicodeScalars.count <= max else { return .failure(RecordError("must be 1 to \(max) characters")) }
            return .success(.text(s))
        case (.oneOf(let words), .string(let s)):
            guard words.contains(s) else { return .failure(RecordError("'\(s)' is not one of \(words.joined(separator: ", "))")) }
            return .success(.text(s))
        default:
            return .failure(RecordError("has the wrong type (\(describe(type)) expected)"))
        }
    }

    private static func describe(_ type: FieldType) -> String {
        switch type {
        case .timestamp: return "a timestamp string"
        case .date: return "a date string"
        case .bool: return "true or false"
        case .number: return "a number"
        case .integer: return "an integer"
        case .string: return "a string"
        case .oneOf(let words): return "one of \(words.joined(separator: ", "))"
        }
    }
}
