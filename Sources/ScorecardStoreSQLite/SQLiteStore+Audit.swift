import Foundation
import GRDB
import ScorecardCore
import ScorecardServerCore

extension SQLiteStore {
    /// Migration v6: who acted through what (`via`), on which thing (`subject`), and the indexes
    /// the audit API reads by.
    static let auditSchema = """
        ALTER TABLE audit_log ADD COLUMN via TEXT;
        ALTER TABLE audit_log ADD COLUMN subject TEXT;
        CREATE INDEX audit_log_at ON audit_log(at);
        CREATE INDEX audit_log_action ON audit_log(action, id);
        """

    /// Writes one audit entry in the caller's transaction.
    static func insertAudit(_ db: Database, _ entry: AuditEntry) throws {
        try db.cachedStatement(
            sql: "INSERT INTO audit_log(at, actor_person_id, via, action, person_id, subject, model, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        ).execute(arguments: [entry.at, entry.actorPersonID, entry.via, entry.action, entry.personID, entry.subject, entry.model, entry.detail])
    }

    public func appendAudit(_ entry: AuditEntry) async throws {
        try await pool.write { db in try SQLiteStore.insertAudit(db, entry) }
    }

    public func auditLog(_ query: AuditQuery) async throws -> [AuditEntry] {
        try await pool.read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT id, at, actor_person_id, via, action, person_id, subject, model, detail FROM audit_log
                        WHERE (?1 IS NULL OR at >= ?1) AND (?2 IS NULL OR action = ?2) ORDER BY id DESC LIMIT ?3
                        """),
                arguments: [query.since, query.action, query.limit ?? -1]
            ).map {
                AuditEntry(
                    id: $0[0], at: $0[1], actorPersonID: $0[2], via: $0[3], action: $0[4], personID: $0[5], subject: $0[6], model: $0[7],
                    detail: $0[8])
            }
        }
    }

    public func retireSetting(key: String, expected: JSONValue, replacements: [String: JSONValue], audit: AuditEntry) async throws -> Bool {
        let retired = try await pool.write { db in
            guard let text = try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [key]),
                (try? WireJSON.decode(JSONValue.self, from: Data(text.utf8))) == expected
            else { return false }
            // Zero the deleted row's bytes in its page, so the value does not linger in the file.
            try db.execute(sql: "PRAGMA secure_delete = ON")
            defer { try? db.execute(sql: "PRAGMA secure_delete = OFF") }
            try db.execute(sql: "DELETE FROM settings WHERE key = ?", arguments: [key])
            let now = Int(Date().timeIntervalSince1970)
            for (replacement, value) in replacements.sorted(by: { $0.key < $1.key }) {
                try db.execute(
                    sql: "INSERT INTO settings(key, value, updated_at, updated_by) VALUES (?, ?, ?, NULL) ON CONFLICT(key) DO NOTHING",
                    arguments: [replacement, String(decoding: try WireJSON.encode(value), as: UTF8.self), now])
            }
            try SQLiteStore.insertAudit(db, audit)
            return true
        }
        if retired {
            // Copy the page without the value over the old one in the database file now, and empty
            // the WAL, rather than at some later checkpoint (best effort: a long reader may delay it).
            try await pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        }
        return retired
    }
}
