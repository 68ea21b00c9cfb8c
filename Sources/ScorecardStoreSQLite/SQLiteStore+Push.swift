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

    static func entity(_ value: some Encodable) throws -> JSONValue {
        try WireJSON.decode(JSONValue.self, from: WireJSON.encode(value))
    }

    static func outcome(_ m: PushMutation, personID: String, now: Int, _ db: Database) throws -> PushResult {
        switch m.type {
        case "ack_review":
            guard let id = m.string("review_id") else { return .rejected(m.id, "ack_review needs review_id") }
            let current = try review(db, id: id)
            switch PushRules.ack(current, by: personID, acknowledgedAt: m.string("acknowledged_at"), now: now) {
            case .apply(let acked?):
                return PushResult(id: m.id, status: .applied, entity: try entity(writeAcknowledged(db, acked, now: now)))
            case .apply(nil): return PushResult(id: m.id, status: .applied, entity: try entity(current!))
            case .conflict(let fields): return PushResult(id: m.id, status: .conflict, entity: try current.map(entity), conflicts: fields)
            case .reject(let reason): return .rejected(m.id, reason)
            }
        case "create_goal":
            guard let object = m.object("goal") else { return .rejected(m.id, "create_goal needs a goal object") }
            let draft: GoalRules.Draft
            do {
                draft = try WireJSON.decode(GoalRules.Draft.self, from: WireJSON.encode(JSONValue.object(object)))
            } catch {
                return .rejected(m.id, "the goal needs id, domain, metric_key, label, target_value (a number), comparison and deadline")
            }
            guard let id = draft.id else { return .rejected(m.id, "the goal needs the id the client made for it") }
            if let personInDraft = draft.personID, personInDraft != personID { return .rejected(m.id, "goals pushed by a client are its own person's") }
            let stamp = Timestamp.format(epochSeconds: now)
            let goal: Goal
            do {
                goal = try GoalRules.create(draft, personID: personID, createdBy: personID, today: CivilDate(daysSinceEpoch: now / 86_400), now: stamp)
            } catch let error as StoreError {
                return .rejected(m.id, error.message)
            }
            if try SQLiteStore.goal(db, id) != nil { return .rejected(m.id, "a goal with id '\(id)' exists already") }
            try writeGoal(db, goal, now: now)
            return PushResult(id: m.id, status: .applied, entity: try entity(goal))
        case "update_goal", "cancel_goal":
            guard let id = m.string("goal_id") else { return .rejected(m.id, "\(m.type) needs goal_id") }
            let current = try goal(db, id)
            let outcome =
                m.type == "cancel_goal"
                ? PushRules.cancel(current, by: personID)
                : PushRules.update(current, by: personID, baseVersion: m.int("base_version"), base: m.object("base") ?? [:], changes: m.object("changes") ?? [:])
            switch outcome {
            case .apply(let changed?):
                var goal = changed
                goal.version = current!.version + 1
                goal.updatedAt = Timestamp.format(epochSeconds: now)
                try writeGoal(db, goal, now: now)
                return PushResult(id: m.id, status: .applied, entity: try entity(goal))
            case .apply(nil): return PushResult(id: m.id, status: .applied, entity: try entity(current!))
            case .conflict(let fields): return PushResult(id: m.id, status: .conflict, entity: try current.map(entity), conflicts: fields)
            case .reject(let reason): return .rejected(m.id, reason)
            }
        default:
            return .rejected(m.id, "unknown mutation type '\(m.type)'; expected ack_review, create_goal, update_goal or cancel_goal")
        }
    }
}
