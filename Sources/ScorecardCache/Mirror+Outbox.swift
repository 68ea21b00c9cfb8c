import Foundation
import GRDB
import ScorecardCore

/// The outbox: offline edits waiting for a push, and the answers that need the user.
///
/// The outbox is the only place a local edit lives. What the user sees is the server truth with
/// the outbox laid over it at read time (see ``goals()`` and ``reviews(limit:)``), so enqueuing an
/// edit (one insert, one transaction) and the change the user sees are one and the same, and a pull,
/// which only writes the truth tables, can never drop or overwrite a pending edit.
extension Mirror {
    /// Adds a mutation at the end of the outbox, in one transaction.
    @discardableResult
    public func enqueue(_ mutation: OutboxMutation, id: String = UUID().uuidString.lowercased(), at time: String = Timestamp.now()) throws
        -> OutboxEntry
    {
        let payload = try Mirror.json(mutation.wire(id: id))
        return try write { db in
            let position = (try Int.fetchOne(db, sql: "SELECT MAX(position) FROM outbox") ?? 0) + 1
            try db.execute(
                sql: "INSERT INTO outbox(id, position, type, entity_id, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [id, position, mutation.type, mutation.entityID, payload, time])
            return OutboxEntry(
                id: id, position: position, type: mutation.type, entityID: mutation.entityID, mutation: mutation, payload: payload,
                state: .pending, createdAt: time, attempts: 0, lastError: nil, result: nil)
        }
    }

    /// Every outbox entry, in order.
    public func outbox() throws -> [OutboxEntry] {
        try read { db in try Mirror.outboxEntries(db, where: "1", []) }
    }

    /// The ids of the outbox's mutations in order.
    public func outboxIDs() throws -> [String] {
        try read { db in try String.fetchAll(db, sql: "SELECT id FROM outbox ORDER BY position") }
    }

    /// Entries per state (for the prompt and `status`).
    public func outboxCounts() throws -> [OutboxState: Int] {
        try read { db in
            var counts: [OutboxState: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) FROM outbox GROUP BY state") {
                if let state = OutboxState(rawValue: row[0]) { counts[state] = row[1] }
            }
            return counts
        }
    }

    /// The entry whose id is `key`, else the one whose id starts with `key`.
    public func outboxEntry(_ key: String) throws -> MirrorLookup<OutboxEntry> {
        .match(try outbox(), key.lowercased(), id: \.id)  // ids are lowercase UUIDs
    }

    /// Removes an entry (`outbox drop`); false when it was already gone.
    @discardableResult
    public func dropOutboxEntry(id: String) throws -> Bool {
        try write { db in
            try db.execute(sql: "DELETE FROM outbox WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    /// Outbox marks per entity id: a conflict first, then a rejection, then the latest pending edit.
    public func pendingEdits() throws -> [String: PendingEdit] {
        try read { db in
            var edits: [String: PendingEdit] = [:]
            let rank = ["conflict": 0, "rejected": 1, "pending": 2]
            for row in try Row.fetchAll(db, sql: "SELECT entity_id, type, state FROM outbox ORDER BY position") {
                let edit = PendingEdit(type: row[1], state: row[2])
                if let old = edits[row[0]], (rank[old.state] ?? 3) < (rank[edit.state] ?? 3) { continue }
                edits[row[0]] = edit
            }
            return edits
        }
    }

    // MARK: - Overlay

    /// Reviews with pending acknowledgements laid over them.
    func overlayReviews(_ reviews: [Review], _ entries: [OutboxEntry]) -> [Review] {
        var acks: [String: String] = [:]
        for entry in entries where entry.state == .pending {
            if case .ackReview(let id, let at)? = entry.mutation, acks[id] == nil { acks[id] = at }
        }
        guard !acks.isEmpty else { return reviews }
        return reviews.map { review in
            guard !review.isAcknowledged, let at = acks[review.id] else { return review }
            var acked = review
            acked.isAcknowledged = true
            acked.acknowledgedAt = at
            return acked
        }
    }

    /// Goals with the outbox laid over them, in its order: pending creates appear (a rejected
    /// create too, marked, so its reason can be seen), pending edits and cancels change what they
    /// touch. A conflict shows the server's goal (its edit waits in the outbox for `goal resolve`).
    func overlayGoals(_ truth: [Goal], _ entries: [OutboxEntry], personID: String) -> [Goal] {
        var goals = truth
        var index = Dictionary(uniqueKeysWithValues: goals.enumerated().map { ($0.element.id, $0.offset) })
        for entry in entries {
            switch (entry.mutation, entry.state) {
            case (.createGoal(let draft)?, .pending), (.createGoal(let draft)?, .rejected):
                guard index[draft.id] == nil else { continue }  // already on the server (the pull brought it)
                index[draft.id] = goals.count
                goals.append(draft.goal(personID: personID, createdAt: entry.createdAt))
            case (.updateGoal(let id, _, _, let changes)?, .pending):
                if let i = index[id] { goals[i] = goals[i].applying(changes) }
            case (.cancelGoal(let id, _)?, .pending):
                if let i = index[id], goals[i].status == .active { goals[i].status = .canceled }
            default:
                continue
            }
        }
        return goals
    }

    // MARK: - Push

    /// True when some entry can be pushed now.
    public func hasPushable() throws -> Bool {
        try read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS (\(Mirror.pushableSQL))") ?? false }
    }

    /// Pending entries in order, skipping those queued behind a conflict on the same entity (so an
    /// entity's edits reach the server in the order they were made), at most `limit`. Their
    /// attempt counts go up in the same transaction, before anything is sent.
    public func nextPushBatch(limit: Int) throws -> [OutboxEntry] {
        try write { db in
            let entries = try Mirror.outboxEntries(db, where: "id IN (\(Mirror.pushableSQL) ORDER BY o.position LIMIT ?)", [limit])
            for entry in entries {
                try db.execute(sql: "UPDATE outbox SET attempts = attempts + 1 WHERE id = ?", arguments: [entry.id])
            }
            return entries.map { var e = $0; e.attempts += 1; return e }
        }
    }

    static let pushableSQL = """
        SELECT o.id FROM outbox o WHERE o.state = 'pending' AND NOT EXISTS (
            SELECT 1 FROM outbox c WHERE c.entity_id = o.entity_id AND c.state = 'conflict' AND c.position < o.position)
        """

    /// Records a push that got no answer (the entries stay pending and go again).
    public func recordPushFailure(ids: [String], message: String) throws {
        try write { db in
            for id in ids { try db.execute(sql: "UPDATE outbox SET last_error = ? WHERE id = ?", arguments: [message, id]) }
        }
    }

    /// Writes a push's results in one transaction: applied entries leave the outbox, conflicts and
    /// rejections stay with the server's answer; the entity each result carries (the server's
    /// current review or goal) goes into the truth tables, guarded by version like a page.
    /// Returns the counts and the ids of `sent` that got no result.
    public func applyPushResults(_ results: [PushResult], sent: [OutboxEntry]) throws -> (summary: PushSummary, unanswered: [String]) {
        let types = Dictionary(sent.map { ($0.id, $0.type) }, uniquingKeysWith: { a, _ in a })
        let encoded = try results.map { try Mirror.json($0) }
        let entities = try results.map { try $0.entity.map(Mirror.json) }
        return try write { db in
            var summary = PushSummary()
            for (i, result) in results.enumerated() {
                let type = try types[result.id] ?? String.fetchOne(db, sql: "SELECT type FROM outbox WHERE id = ?", arguments: [result.id])
                if let json = entities[i], let entity = result.entity, let type {
                    try Mirror.upsertEntity(db, table: type == "ack_review" ? "reviews" : "goals", entity: entity, json: json)
                }
                switch result.status {
                case .applied:
                    try db.execute(sql: "DELETE FROM outbox WHERE id = ?", arguments: [result.id])
                    summary.applied += 1
                case .conflict:
                    let fields = (result.conflicts ?? []).joined(separator: ", ")
                    try db.execute(
                        sql: "UPDATE outbox SET state = 'conflict', last_error = ?, result = ? WHERE id = ?",
                        arguments: ["the server changed \(fields.isEmpty ? "it" : fields) too", encoded[i], result.id])
                    summary.conflicts += 1
                case .rejected:
                    try db.execute(
                        sql: "UPDATE outbox SET state = 'rejected', last_error = ?, result = ? WHERE id = ?",
                        arguments: [result.reason ?? "rejected", encoded[i], result.id])
                    summary.rejected += 1
                }
            }
            let answered = Set(results.map(\.id))
            return (summary, sent.map(\.id).filter { !answered.contains($0) })
        }
    }

    /// A review or goal from a push result into its truth table, never moving it backwards.
    static func upsertEntity(_ db: Database, table: String, entity: JSONValue, json: String) throws {
        guard case .object(let o) = entity, case .string(let id)? = o["id"], case .number(let v)? = o["version"], let version = Int(exactly: v)
        else { return }
        if table == "reviews" {
            var period: String?
            if case .string(let p)? = o["period_start"] { period = p }
            try db.execute(
                sql: """
                    INSERT INTO reviews(id, period_start, version, data) VALUES (?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET period_start = excluded.period_start, version = excluded.version, data = excluded.data
                    WHERE excluded.version > reviews.version
                    """, arguments: [id, period, version, json])
        } else {
            try db.execute(
                sql: """
                    INSERT INTO goals(id, version, data) VALUES (?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET version = excluded.version, data = excluded.data
                    WHERE excluded.version > goals.version
                    """, arguments: [id, version, json])
        }
    }

    // MARK: - Conflicts

    /// Settles the conflict on a goal, in one transaction: `theirs` drops my edit; `mine` and
    /// `set` replace it (at its place in the outbox) with the same edit made again on the
    /// server's current goal, under a new mutation id. Returns the new entry, if any.
    @discardableResult
    public func resolveConflict(goalID: String, _ resolution: ConflictResolution) throws -> OutboxEntry? {
        let newID = UUID().uuidString.lowercased()
        return try write { db -> OutboxEntry? in
            guard let entry = try Mirror.outboxEntries(db, where: "entity_id = ? AND state = 'conflict'", [goalID]).first else {
                throw MirrorError(.notFound, "goal \(goalID) has no conflict to resolve; `conflicts` lists them")
            }
            if resolution == .theirs {
                try db.execute(sql: "DELETE FROM outbox WHERE id = ?", arguments: [entry.id])
                return nil
            }
            let current = try String.fetchOne(db, sql: "SELECT data FROM goals WHERE id = ?", arguments: [goalID])
                .flatMap { try? WireJSON.decode(Goal.self, from: Data($0.utf8)) }
            guard let current else {
                throw MirrorError(.notFound, "goal \(goalID) is no longer on the server; `outbox drop \(entry.id.prefix(8))` removes the edit")
            }
            let mutation: OutboxMutation
            switch (entry.mutation, resolution) {
            case (.updateGoal(_, _, _, let mine)?, .mine), (.updateGoal(_, _, _, let mine)?, .set):
                var changes = mine
                if case .set(let values) = resolution { changes.merge(values) { _, new in new } }
                let theirs = current.editableValues
                mutation = .updateGoal(
                    goalID: goalID, baseVersion: current.version, base: theirs.filter { changes[$0.key] != nil }, changes: changes)
            case (.cancelGoal?, .mine):
                guard current.status == .active || current.status == .canceled else {
                    throw MirrorError(
                        .invalid, "the goal is \(current.status.rawValue) on the server and can no longer be canceled; use --theirs")
                }
                mutation = .cancelGoal(goalID: goalID, baseVersion: current.version)
            case (.cancelGoal?, _):
                throw MirrorError(.invalid, "--set applies to goal edits; a cancel is resolved with --mine or --theirs")
            default:
                throw MirrorError(.invalid, "the conflicting entry \(entry.id) cannot be read; `outbox drop \(entry.id.prefix(8))` removes it")
            }
            let payload = try Mirror.json(mutation.wire(id: newID))
            let now = Timestamp.now()
            try db.execute(sql: "DELETE FROM outbox WHERE id = ?", arguments: [entry.id])
            try db.execute(
                sql: "INSERT INTO outbox(id, position, type, entity_id, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [newID, entry.position, mutation.type, goalID, payload, now])
            return OutboxEntry(
                id: newID, position: entry.position, type: mutation.type, entityID: goalID, mutation: mutation, payload: payload,
                state: .pending, createdAt: now, attempts: 0, lastError: nil, result: nil)
        }
    }

    // MARK: - Rows

    static func outboxEntries(_ db: Database, where condition: String, _ arguments: StatementArguments) throws -> [OutboxEntry] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT id, position, type, entity_id, payload, state, created_at, attempts, last_error, result
                FROM outbox WHERE \(condition) ORDER BY position
                """, arguments: arguments
        ).map { row in
            let payload: String = row[4]
            let result: String? = row[9]
            return OutboxEntry(
                id: row[0], position: row[1], type: row[2], entityID: row[3],
                mutation: (try? WireJSON.decode(JSONValue.self, from: Data(payload.utf8))).flatMap { OutboxMutation(wire: $0) },
                payload: payload, state: OutboxState(rawValue: row[5]) ?? .pending, createdAt: row[6], attempts: row[7], lastError: row[8],
                result: result.flatMap { try? WireJSON.decode(PushResult.self, from: Data($0.utf8)) })
        }
    }

    static func json(_ value: some Encodable) throws -> String {
        String(decoding: try WireJSON.encode(value), as: UTF8.self)
    }
}
