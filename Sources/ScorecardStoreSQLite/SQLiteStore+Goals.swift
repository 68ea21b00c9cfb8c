import Foundation
import GRDB
import ScorecardCore
import ScorecardServerCore

extension SQLiteStore {
    static func decodeDoc<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try WireJSON.decode(T.self, from: Data(text.utf8))
    }

    static func encodeDoc(_ value: some Encodable) throws -> String {
        String(decoding: try WireJSON.encode(value), as: UTF8.self)
    }

    public func goals(personID: String) async throws -> [Goal] {
        try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT doc FROM goals WHERE person_id = ? ORDER BY deadline, id", arguments: [personID])
                .map { try SQLiteStore.decodeDoc(Goal.self, $0) }
        }
    }

    public func goal(id: String) async throws -> Goal? {
        try await pool.read { db in try SQLiteStore.goal(db, id) }
    }

    static func goal(_ db: Database, _ id: String) throws -> Goal? {
        try String.fetchOne(db, sql: "SELECT doc FROM goals WHERE id = ?", arguments: [id]).map { try decodeDoc(Goal.self, $0) }
    }

    static func writeGoal(_ db: Database, _ goal: Goal, now: Int) throws {
        try db.execute(
            sql: """
                INSERT INTO goals(id, person_id, status, deadline, version, doc) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET person_id = excluded.person_id, status = excluded.status,
                    deadline = excluded.deadline, version = excluded.version, doc = excluded.doc
                """,
            arguments: [goal.id, goal.personID, goal.status.rawValue, goal.deadline, goal.version, try encodeDoc(goal)])
        try db.recordChange(personID: goal.personID, stream: .goals, entityID: goal.id, op: .upsert, version: goal.version, now: now)
    }

    public func createGoal(_ goal: Goal) async throws {
        try await pool.write { db in
            if try SQLiteStore.goal(db, goal.id) != nil { throw StoreError(.conflict, "a goal with id '\(goal.id)' exists") }
            try SQLiteStore.writeGoal(db, goal, now: Int(Date().timeIntervalSince1970))
        }
    }

    public func updateGoal(id: String, expectedVersion: Int?, _ change: @Sendable (Goal) throws -> Goal) async throws -> Goal {
        try await pool.write { db in
            guard let current = try SQLiteStore.goal(db, id) else { throw StoreError(.notFound, "no goal with id '\(id)'") }
            if let expectedVersion, expectedVersion != current.version { throw VersionMismatch(current: current) }
            var goal = try change(current)
            guard goal != current else { return current }
            let now = Int(Date().timeIntervalSince1970)
            goal.version = current.version + 1
            goal.updatedAt = Timestamp.format(epochSeconds: now)
            try SQLiteStore.writeGoal(db, goal, now: now)
            return goal
        }
    }

    public func activeGoals() async throws -> [Goal] {
        try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT doc FROM goals WHERE status = 'active' ORDER BY id").map { try SQLiteStore.decodeDoc(Goal.self, $0) }
        }
    }
}
