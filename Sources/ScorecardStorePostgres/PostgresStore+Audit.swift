import Foundation
import PostgresNIO
import ScorecardCore
import ScorecardServerCore

extension PostgresStore {
    /// Writes one audit entry in the caller's transaction.
    static func insertAudit(_ c: PostgresSession, _ entry: AuditEntry) async throws {
        try await c.query(
            """
            INSERT INTO audit_log(at, actor_person_id, via, action, person_id, subject, model, detail)
            VALUES (\(entry.at), \(entry.actorPersonID), \(entry.via), \(entry.action), \(entry.personID), \(entry.subject), \(entry.model), \(entry.detail))
            """)
    }

    public func appendAudit(_ entry: AuditEntry) async throws {
        try await withConnection { c in try await PostgresStore.insertAudit(c, entry) }
    }

    public func auditLog(_ query: AuditQuery) async throws -> [AuditEntry] {
        try await withConnection { c in
            try await c.rows(
                """
                SELECT id, at, actor_person_id, via, action, person_id, subject, model, detail FROM audit_log
                WHERE (\(query.since)::bigint IS NULL OR at >= \(query.since)) AND (\(query.action)::text IS NULL OR action = \(query.action))
                ORDER BY id DESC LIMIT \(query.limit)
                """, (Int64, Int, String?, String?, String, String?, String?, String?, String?).self
            ).map {
                AuditEntry(
                    id: $0.0, at: $0.1, actorPersonID: $0.2, via: $0.3, action: $0.4, personID: $0.5, subject: $0.6, model: $0.7, detail: $0.8)
            }
        }
    }

    public func retireSetting(key: String, expected: JSONValue, replacements: [String: JSONValue], audit: AuditEntry) async throws -> Bool {
        let expectedText = String(decoding: try WireJSON.encode(expected), as: UTF8.self)
        let rows = try replacements.sorted(by: { $0.key < $1.key }).map { ($0.key, String(decoding: try WireJSON.encode($0.value), as: UTF8.self)) }
        return try await transaction { c in
            guard let text = try await c.row("SELECT value FROM settings WHERE key = \(key) FOR UPDATE", String.self),
                text == expectedText || (try? WireJSON.decode(JSONValue.self, from: Data(text.utf8))) == expected
            else { return false }
            try await c.query("DELETE FROM settings WHERE key = \(key)")
            for (replacement, value) in rows {
                try await c.query(
                    """
                    INSERT INTO settings(key, value, updated_at, updated_by) VALUES (\(replacement), \(value), \(PostgresStore.now), NULL)
                    ON CONFLICT (key) DO NOTHING
                    """)
            }
            try await PostgresStore.insertAudit(c, audit)
            return true
        }
    }
}
