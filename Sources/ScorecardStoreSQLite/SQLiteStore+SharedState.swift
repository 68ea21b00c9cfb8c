import Foundation
import GRDB
import ScorecardCore
import ScorecardServerCore

extension SQLiteStore {
    /// Migration v4: state that must hold across processes sharing the file.
    static let sharedStateSchema = """
        -- Failed logins per person id (LoginThrottle.Record); failures is a JSON array of times.
        CREATE TABLE login_throttle (
            person_id TEXT PRIMARY KEY NOT NULL,
            failures TEXT NOT NULL,
            locked_until INTEGER NOT NULL,
            lockouts INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX login_throttle_updated ON login_throttle(updated_at);
        -- Who runs a job now; a lease left by a process that died ends at expires_at.
        CREATE TABLE job_leases (
            name TEXT PRIMARY KEY NOT NULL,
            holder TEXT NOT NULL,
            expires_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        """

    /// How long a job lease lasts when its holder never gives it back (it died).
    static let leaseSeconds = 3600

    public func loginThrottle(personID: String) async throws -> LoginThrottle.Record? {
        try await pool.read { db in try SQLiteStore.throttleRecord(db, personID) }
    }

    static func throttleRecord(_ db: Database, _ personID: String) throws -> LoginThrottle.Record? {
        guard let row = try Row.fetchOne(
            db, sql: "SELECT failures, locked_until, lockouts FROM login_throttle WHERE person_id = ?", arguments: [personID])
        else { return nil }
        return LoginThrottle.Record(
            failures: try WireJSON.decode([Int].self, from: Data((row[0] as String).utf8)), lockedUntil: row[1], lockouts: row[2])
    }

    public func updateLoginThrottle(
        personID: String, now: Int, _ update: @Sendable (LoginThrottle.Record?) -> LoginThrottle.Record?
    ) async throws -> LoginThrottle.Record? {
        try await pool.write { db in
            let current = try SQLiteStore.throttleRecord(db, personID)
            guard let record = update(current) else {
                if current != nil { try db.execute(sql: "DELETE FROM login_throttle WHERE person_id = ?", arguments: [personID]) }
                return nil
            }
            if current == nil {  // a new id: forget ids nobody has tried for a day
                try db.execute(sql: "DELETE FROM login_throttle WHERE updated_at < ? AND locked_until < ?", arguments: [now - 86_400, now])
            }
            try db.execute(
                sql: """
                    INSERT INTO login_throttle(person_id, failures, locked_until, lockouts, updated_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(person_id) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until,
                        lockouts = excluded.lockouts, updated_at = excluded.updated_at
                    """,
                arguments: [personID, String(decoding: try WireJSON.encode(record.failures), as: UTF8.self), record.lockedUntil, record.lockouts, now])
            return record
        }
    }

    public func withJobLease<R: Sendable>(_ name: String, _ body: @Sendable () async throws -> R) async throws -> R? {
        let holder = "\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
        let acquired = try await pool.write { db in
            let now = Int(Date().timeIntervalSince1970)
            try db.execute(
                sql: """
                    INSERT INTO job_leases(name, holder, expires_at) VALUES (?, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                    WHERE job_leases.expires_at <= ?
                    """, arguments: [name, holder, now + SQLiteStore.leaseSeconds, now])
            return db.changesCount == 1
        }
        guard acquired else { return nil }
        do {
            let result = try await body()
            try await releaseLease(name, holder)
            return result
        } catch {
            try? await releaseLease(name, holder)
            throw error
        }
    }

    private func releaseLease(_ name: String, _ holder: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM job_leases WHERE name = ? AND holder = ?", arguments: [name, holder])
        }
    }
}
