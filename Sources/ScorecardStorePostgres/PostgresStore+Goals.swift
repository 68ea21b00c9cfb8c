import Foundation
import PostgresNIO
import ScorecardCore
import ScorecardServerCore

extension PostgresStore {
    public func goals(personID: String) async throws -> [Goal] {
        try await withConnection { c in
            try await c.rows("SELECT doc FROM goals WHERE person_id = \(personID) ORDER BY deadline, id", String.self)
                .map { try PostgresStore.decodeDoc(Goal.self, $0) }
        }
    }

    public func goal(id: String) async throws -> Goal? {
        try await withConnection { c in try await PostgresStore.goal(c, id, lock: false) }
    }

    static func goal(_ c: PostgresSession, _ id: String, lock: Bool) async throws -> Goal? {
        let query: PostgresQuery = lock ? "SELECT doc FROM goals WHERE id = \(id) FOR UPDATE" : "SELECT doc FROM goals WHERE id = \(id)"
        return try await c.row(query, String.self).map { try decodeDoc(Goal.self, $0) }
    }

    static func writeGoal(_ c: PostgresSession, _ goal: Goal, now: Int) async throws {
        try await c.query(
            """
            INSERT INTO goals(id, person_id, status, deadline, version, doc)
            VALUES (\(goal.id), \(goal.personID), \(goal.status.rawValue), \(goal.deadline), \(goal.version), \(try encodeDoc(goal)))
            ON CONFLICT (id) DO UPDATE SET person_id = excluded.person_id, status = excluded.status,
                deadline = excluded.deadline, version = excluded.version, doc = excluded.doc
            """)
        try await c.recordChange(personID: goal.personID, stream: .goals, entityID: goal.id, op: .upsert, version: goal.version, now: now)
    }

    public func createGoal(_ goal: Goal) async throws {
        try await transaction { c in
            _ = try await PostgresStore.lockFeed(c, goal.personID)
            if try await PostgresStore.goal(c, goal.id, lock: true) != nil {
                throw StoreError(.conflict, "a goal with id '\(goal.id)' exists")
            }
            try await PostgresStore.writeGoal(c, goal, now: PostgresStore.now)
        }
    }

    public func updateGoal(id: String, expectedVersion: Int?, _ change: @Sendable (Goal) throws -> Goal) async throws -> Goal {
        try await withoutActuallyEscaping(change) { change in
            try await transaction { c in
                guard let person = try await c.row("SELECT person_id FROM goals WHERE id = \(id)", String.self),
                    try await PostgresStore.lockFeed(c, person),
                    let current = try await PostgresStore.goal(c, id, lock: true)
                else { throw StoreError(.notFound, "no goal with id '\(id)'") }
                if let expectedVersion, expectedVersion != current.version { throw VersionMismatch(current: current) }
                var goal = try change(current)
                guard goal != current else { return current }
                let now = PostgresStore.now
                goal.version = current.version + 1
                goal.updatedAt = Timestamp.format(epochSeconds: now)
                try await PostgresStore.writeGoal(c, goal, now: now)
                return goal
            }
        }
    }

    public func activeGoals() async throws -> [Goal] {
        try await withConnection { c in
            try await c.rows("SELECT doc FROM goals WHERE status = 'active' ORDER BY id", String.self)
                .map { try PostgresStore.decodeDoc(Goal.self, $0) }
        }
    }

    // MARK: Push

    /// Each mutation in its own transaction, with its stored result; the pusher's feed row is
    /// locked first, so a replay racing the original in another process waits and then finds
    /// the stored result.
    public func push(personID: String, mutations: [PushMutation]) async throws -> [PushResult] {
        var results: [PushResult] = []
        for m in mutations {
            results.append(
                try await transaction { c in
                    _ = try await PostgresStore.lockFeed(c, personID)
                    if let stored = try await c.row(
                        "SELECT result FROM push_results WHERE person_id = \(personID) AND mutation_id = \(m.id)", String.self)
                    {
                        return try PostgresStore.decodeDoc(PushResult.self, stored)
                    }
                    let now = PostgresStore.now
                    let result = try await PostgresStore.outcome(m, personID: personID, now: now, c)
                    try await c.query(
                        """
                        INSERT INTO push_results(person_id, mutation_id, result, created_at)
                        VALUES (\(personID), \(m.id), \(try PostgresStore.encodeDoc(result)), \(now))
                        """)
                    return result
                })
        }
        return results
    }

    static func outcome(_ m: PushMutation, personID: String, now: Int, _ c: PostgresSession) async throws -> PushResult {
        var review: Review?
        var goal: Goal?
        switch PushDecision.reads(m) {
        case .review(let id): review = try await PostgresStore.review(c, id: id, lock: true)
        case .goal(let id): goal = try await PostgresStore.goal(c, id, lock: true)
        case .nothing: break
        }
        switch try PushDecision.decide(m, personID: personID, now: now, review: review, goal: goal) {
        case .answer(let result): return result
        case .acknowledge(let acked): return try .applied(m.id, try await writeAcknowledged(c, acked, now: now))
        case .writeGoal(let changed):
            try await writeGoal(c, changed, now: now)
            return try .applied(m.id, changed)
        }
    }
}
