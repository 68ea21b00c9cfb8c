import Foundation
import GRDB
import ScorecardCore
import ScorecardServerCore

extension SQLiteStore {
    static let pushSchema = """
        -- One stored result per (person, mutation id): a replayed mutation gets it back unchanged.
        CREATE TABLE push_results (
            person_id TEXT NOT NULL,
            mutation_id TEXT NOT NULL,
            result TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (person_id, mutation_id)
        ) WITHOUT ROWID;
        """

    public func push(personID: String, mutations: [PushMutation]) async throws -> [PushResult] {
        var results: [PushResult] = []
        for mutation in mutations {
            // Each mutation in its own transaction, together with its stored result.
            results.append(try await pool.write { db in try SQLiteStore.apply(mutation, personID: personID, db) })
        }
        return results
    }

    static func apply(_ m: PushMutation, personID: String, _ db: Database) throws -> PushResult {
        if let stored = try String.fetchOne(
            db, sql: "SELECT result FROM push_results WHERE person_id = ? AND mutation_id = ?", arguments: [personID, m.id])
        {
            return try decodeDoc(PushResult.self, stored)
        }
        let now = Int(Date().timeIntervalSince1970)
        let result = try outcome(m, personID: personID, now: now, db)
        try db.execute(
            sql: "INSERT INTO push_results(person_id, mutation_id, result, created_at) VALUES (?, ?, ?, ?)",
            arguments: [personID, m.id, try encodeDoc(result), now])
        return result
    }

    static func outcome(_ m: PushMutation, personID: String, now: Int, _ db: Database) throws -> PushResult {
        var review: Review?
        var goal: Goal?
        switch PushDecision.reads(m) {
        case .review(let id): review = try SQLiteStore.review(db, id: id)
        case .goal(let id): goal = try SQLiteStore.goal(db, id)
        case .nothing: break
        }
        switch try PushDecision.decide(m, personID: personID, now: now, review: review, goal: goal) {
        case .answer(let result): return result
        case .acknowledge(let acked): return try .applied(m.id, writeAcknowledged(db, acked, now: now))
        case .writeGoal(let changed):
            try writeGoal(db, changed, now: now)
            return try .applied(m.id, changed)
        }
    }
}
