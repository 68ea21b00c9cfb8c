import Foundation
import GRDB
import ScorecardCore
import ScorecardServerCore
import ScorecardSQLite

extension SQLiteStore {
    public func ingestActivities(_ records: [(index: Int, record: ActivityRecord)]) async throws -> IngestResult {
        try await pool.write { db in
            var result = IngestResult()
            let now = Int(Date().timeIntervalSince1970)
            var known = KnownPeople()
            var feed = FeedBatch()
            var statements: [String: ActivityStatements] = [:]
            for (index, record) in records {
                guard try known.contains(record.personID, db) else {
                    result.rejected.append(IngestRejection(index: index, reason: "person_id '\(record.personID)' is not a known person"))
                    continue
                }
                let kind = ActivityKind.named(record.kind)!
                if statements[kind.name] == nil { statements[kind.name] = try ActivityStatements(db, kind) }
                let s = statements[kind.name]!
                var version = 1
                if let (person, values, oldVersion) = try s.existing(record.id) {
                    if person == record.personID && values == record.values {
                        result.unchanged += 1
                        continue
                    }
                    version = oldVersion + 1
                    if kind.name == "feedback" && person != record.personID {
                        feed.append(person, .feedback, record.id, .delete, version: version)
                    }
                    result.updated += 1
                } else {
                    result.inserted += 1
                }
                try s.upsert(record, version: version)
                if kind.name == "feedback" {
                    let entry = FeedbackEntry(record, kind: kind, version: version)
                    try db.execute(
                        sql: "UPDATE feedback SET doc = ? WHERE id = ?",
                        arguments: [String(decoding: try WireJSON.encode(entry), as: UTF8.self), record.id])
                    feed.append(record.personID, .feedback, record.id, .upsert, version: version)
                }
            }
            try feed.flush(db, now: now)
            return result
        }
    }
}

/// The prepared select and upsert of one activity kind, reused across a batch.
struct ActivityStatements {
    let kind: ActivityKind
    let select: RawStatement
    let upsert: RawStatement

    init(_ db: Database, _ kind: ActivityKind) throws {
        self.kind = kind
        let columns = kind.fields.map(\.name)
        select = try RawStatement(db, "SELECT person_id, \(columns.joined(separator: ", ")), version FROM \(kind.table) WHERE id = ?")
        let all = ["id", "person_id"] + columns + ["version"] + (kind.name == "feedback" ? ["doc"] : [])
        let placeholders = all.map { $0 == "doc" ? "''" : "?" }.joined(separator: ", ")
        let updates = (["person_id"] + columns + ["version"]).map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        upsert = try RawStatement(
            db, "INSERT INTO \(kind.table)(\(all.joined(separator: ", "))) VALUES (\(placeholders)) ON CONFLICT(id) DO UPDATE SET \(updates)")
    }

    /// The stored owner, values and version of `id`, if any.
    func existing(_ id: String) throws -> (String, [ActivityValue], Int)? {
        select.bind(1, id)
        defer { select.reset() }
        guard try select.step() else { return nil }
        var values: [ActivityValue] = []
        for (i, field) in kind.fields.enumerated() {
            let column = Int32(i + 1)
            if select.isNull(column) {
                values.append(.null)
                continue
            }
            switch field.type {
            case .bool, .integer: values.append(.int(select.int(column)))
            case .number: values.append(.double(select.double(column)))
            case .timestamp, .date, .string, .oneOf: values.append(.text(select.text(column)))
            }
        }
        return (select.text(0), values, select.int(Int32(kind.fields.count + 1)))
    }

    func upsert(_ record: ActivityRecord, version: Int) throws {
        upsert.bind(1, record.id)
        upsert.bind(2, record.personID)
        for (i, value) in record.values.enumerated() {
            let index = Int32(i + 3)
            switch value {
            case .null: upsert.bindNull(index)
            case .int(let v): upsert.bind(index, v)
            case .double(let v): upsert.bind(index, v)
            case .text(let v): upsert.bind(index, v)
            }
        }
        upsert.bind(Int32(record.values.count + 3), version)
        try upsert.run()
    }
}
