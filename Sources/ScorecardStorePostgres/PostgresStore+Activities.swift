import Foundation
import PostgresNIO
import ScorecardCore
import ScorecardServerCore

extension PostgresStore {
    /// Per activity kind: one read of the batch's ids, decisions in order, one `unnest` upsert.
    public func ingestActivities(_ records: [(index: Int, record: ActivityRecord)]) async throws -> IngestResult {
        guard !records.isEmpty else { return IngestResult() }
        return try await transaction { c in
            let now = PostgresStore.now
            try await PostgresStore.lockIngest(c)
            let known = try await PostgresStore.knownPeople(c, records.map(\.record.personID))
            var current: [String: [String: (person: String, values: [ActivityValue], version: Int)]] = [:]
            for kindName in Set(records.map(\.record.kind)) {
                let kind = ActivityKind.named(kindName)!
                let ids = Array(Set(records.filter { $0.record.kind == kindName }.map(\.record.id)))
                current[kindName] = try await PostgresStore.existing(c, kind, ids: ids)
            }
            var result = IngestResult()
            var feed = PostgresFeedBatch()
            var written: [String: [String: (record: ActivityRecord, version: Int)]] = [:]
            var order: [String: [String]] = [:]
            for (index, record) in records {
                guard known.contains(record.personID) else {
                    result.rejected.append(IngestRejection(index: index, reason: "person_id '\(record.personID)' is not a known person"))
                    continue
                }
                var version = 1
                if let (person, values, oldVersion) = current[record.kind]?[record.id] {
                    if person == record.personID && values == record.values {
                        result.unchanged += 1
                        continue
                    }
                    version = oldVersion + 1
                    if record.kind == "feedback" && person != record.personID {
                        feed.append(person, .feedback, record.id, .delete, version: version)
                    }
                    result.updated += 1
                } else {
                    result.inserted += 1
                }
                current[record.kind, default: [:]][record.id] = (record.personID, record.values, version)
                if written[record.kind]?[record.id] == nil { order[record.kind, default: []].append(record.id) }
                written[record.kind, default: [:]][record.id] = (record, version)
                if record.kind == "feedback" { feed.append(record.personID, .feedback, record.id, .upsert, version: version) }
            }
            for (kindName, ids) in order.sorted(by: { $0.key < $1.key }) {
                let kind = ActivityKind.named(kindName)!
                try await PostgresStore.upsert(c, kind, ids.map { written[kindName]![$0]! })
            }
            try await feed.flush(c, now: now)
            return result
        }
    }

    /// The stored owner, values and version of each of `ids` of `kind`.
    static func existing(_ c: PostgresSession, _ kind: ActivityKind, ids: [String]) async throws
        -> [String: (person: String, values: [ActivityValue], version: Int)]
    {
        let columns = kind.fields.map(\.name).joined(separator: ", ")
        var found: [String: (person: String, values: [ActivityValue], version: Int)] = [:]
        let rows = try await c.query(
            "SELECT id, person_id, \(unescaped: columns), version FROM \(unescaped: kind.table) WHERE id = ANY(\(ids)::text[])")
        for try await row in rows {
            let cells = Array(row)
            var values: [ActivityValue] = []
            for (i, field) in kind.fields.enumerated() {
                let cell = cells[i + 2]
                guard cell.bytes != nil else {
                    values.append(.null)
                    continue
                }
                switch field.type {
                case .bool, .integer: values.append(.int(try cell.decode(Int.self)))
                case .number: values.append(.double(try cell.decode(Double.self)))
                case .timestamp, .date, .string, .oneOf: values.append(.text(try cell.decode(String.self)))
                }
            }
            found[try cells[0].decode(String.self)] = (try cells[1].decode(String.self), values, try cells[kind.fields.count + 2].decode(Int.self))
        }
        return found
    }

    /// One `INSERT … SELECT FROM unnest(…) ON CONFLICT (id) DO UPDATE` for a kind's batch; each
    /// field binds as a typed array that may hold NULLs. Feedback rows carry their wire document.
    static func upsert(_ c: PostgresSession, _ kind: ActivityKind, _ rows: [(record: ActivityRecord, version: Int)]) async throws {
        var bindings = PostgresBindings(capacity: kind.fields.count + 4)
        var columns = ["id", "person_id"]
        var casts = ["text[]", "text[]"]
        bindings.append(rows.map(\.record.id))
        bindings.append(rows.map(\.record.personID))
        for (i, field) in kind.fields.enumerated() {
            columns.append(field.name)
            switch field.type {
            case .bool, .integer:
                casts.append("bigint[]")
                bindings.append(NullableArray(rows.map { if case .int(let v) = $0.record.values[i] { v } else { nil } }))
            case .number:
                casts.append("float8[]")
                bindings.append(NullableArray(rows.map { row -> Double? in
                    switch row.record.values[i] {
                    case .double(let v): v
                    case .int(let v): Double(v)
                    default: nil
                    }
                }))
            case .timestamp, .date, .string, .oneOf:
                casts.append("text[]")
                bindings.append(NullableArray(rows.map { if case .text(let v) = $0.record.values[i] { v } else { nil } }))
            }
        }
        columns.append("version")
        casts.append("bigint[]")
        bindings.append(rows.map(\.version))
        if kind.name == "feedback" {
            columns.append("doc")
            casts.append("text[]")
            bindings.append(try rows.map { String(decoding: try WireJSON.encode(FeedbackEntry($0.record, kind: kind, version: $0.version)), as: UTF8.self) })
        }
        let arrays = casts.enumerated().map { "$\($0.offset + 1)::\($0.element)" }.joined(separator: ", ")
        let updates = columns.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        let sql = """
            INSERT INTO \(kind.table)(\(columns.joined(separator: ", "))) SELECT * FROM unnest(\(arrays))
            ON CONFLICT (id) DO UPDATE SET \(updates)
            """
        try await c.query(PostgresQuery(unsafeSQL: sql, binds: bindings))
    }
}
