import Foundation
import GRDB
import ScorecardCore
import ScorecardServerCore

extension SQLiteStore {
    public func snapshot(personID: String, period: String?) async throws -> Snapshot? {
        try await pool.read { db in
            let doc: String?
            if let period {
                doc = try String.fetchOne(db, sql: "SELECT doc FROM snapshots WHERE person_id = ? AND period = ?", arguments: [personID, period])
            } else {
                doc = try String.fetchOne(
                    db, sql: "SELECT doc FROM snapshots WHERE person_id = ? ORDER BY period DESC LIMIT 1", arguments: [personID])
            }
            return try doc.map { try SQLiteStore.decodeDoc(Snapshot.self, $0) }
        }
    }

    public func snapshots(period: String) async throws -> [Snapshot] {
        try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT doc FROM snapshots WHERE period = ? ORDER BY person_id", arguments: [period])
                .map { try SQLiteStore.decodeDoc(Snapshot.self, $0) }
        }
    }

    public func latestSnapshots() async throws -> [String: Snapshot] {
        try await pool.read { db in
            let docs = try String.fetchAll(
                db,
                sql: """
                    SELECT s.doc FROM snapshots s
                    JOIN (SELECT person_id, MAX(period) AS period FROM snapshots GROUP BY person_id) latest
                        ON latest.person_id = s.person_id AND latest.period = s.period
                    """)
            var result: [String: Snapshot] = [:]
            for doc in docs {
                let snapshot = try SQLiteStore.decodeDoc(Snapshot.self, doc)
                result[snapshot.personID] = snapshot
            }
            return result
        }
    }

    public func latestScoredPeriod() async throws -> String? {
        try await pool.read { db in try String.fetchOne(db, sql: "SELECT MAX(period) FROM snapshots") }
    }

    public func ticketSLA(personIDs: [String], period: ISOWeek) async throws -> (met: Int, total: Int) {
        try await pool.read { db in
            let ids = String(decoding: try WireJSON.encode(personIDs), as: UTF8.self)
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT TOTAL(sla_met = 1), COUNT(sla_met) FROM tickets
                    WHERE person_id IN (SELECT value FROM json_each(?)) AND resolved_at >= ? AND resolved_at < ?
                    """,
                arguments: [ids, period.monday.startTimestamp, period.next.monday.startTimestamp])
            return (Int(row?[0] as Double? ?? 0), row?[1] ?? 0)
        }
    }
}
