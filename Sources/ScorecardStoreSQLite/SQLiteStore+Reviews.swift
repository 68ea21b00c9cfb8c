import Foundation
import GRDB
import ScorecardCore
import ScorecardServerCore

extension SQLiteStore {
    public func reviews(personID: String, limit: Int) async throws -> [Review] {
        try await pool.read { db in
            try String.fetchAll(
                db, sql: "SELECT doc FROM reviews WHERE person_id = ? ORDER BY period DESC, id LIMIT ?", arguments: [personID, limit]
            ).map { try SQLiteStore.decodeDoc(Review.self, $0) }
        }
    }

    public func review(id: String) async throws -> Review? {
        try await pool.read { db in try SQLiteStore.review(db, id: id) }
    }

    static func review(_ db: Database, id: String) throws -> Review? {
        try String.fetchOne(db, sql: "SELECT doc FROM reviews WHERE id = ?", arguments: [id]).map { try decodeDoc(Review.self, $0) }
    }

    public func review(personID: String, period: String) async throws -> Review? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT doc FROM reviews WHERE person_id = ? AND period = ?", arguments: [personID, period])
                .map { try SQLiteStore.decodeDoc(Review.self, $0) }
        }
    }

    public func reviewedPersonIDs(period: String) async throws -> Set<String> {
        try await pool.read { db in Set(try String.fetchAll(db, sql: "SELECT person_id FROM reviews WHERE period = ?", arguments: [period])) }
    }

    static func writeReview(_ db: Database, _ review: Review, period: String, now: Int) throws {
        try db.execute(
            sql: """
                INSERT INTO reviews(id, person_id, period, created_at, version, doc) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET created_at = excluded.created_at, version = excluded.version, doc = excluded.doc
                """,
            arguments: [review.id, review.personID, period, Timestamp.epochSeconds(review.createdAt) ?? now, review.version, try encodeDoc(review)])
        try db.recordChange(personID: review.personID, stream: .reviews, entityID: review.id, op: .upsert, version: review.version, now: now)
    }

    public func saveReview(_ review: Review, period: String, run: ReviewRun) async throws -> Review {
        try await pool.write { db in
            let now = Int(Date().timeIntervalSince1970)
            var review = review
            if let old = try String.fetchOne(
                db, sql: "SELECT doc FROM reviews WHERE person_id = ? AND period = ?", arguments: [review.personID, period]
            ).map({ try SQLiteStore.decodeDoc(Review.self, $0) }) {
                // A rewrite keeps the id (clients know it) and moves the version on.
                review.id = old.id
                review.version = old.version + 1
            }
            try SQLiteStore.writeReview(db, review, period: period, now: now)
            try SQLiteStore.insertRun(db, run, now: now)
            return review
        }
    }

    public func recordReviewRun(_ run: ReviewRun) async throws {
        try await pool.write { db in try SQLiteStore.insertRun(db, run, now: Int(Date().timeIntervalSince1970)) }
    }

    static func insertRun(_ db: Database, _ run: ReviewRun, now: Int) throws {
        try db.execute(
            sql: """
                INSERT INTO review_runs(trigger, actor_person_id, person_id, period, status, reason, model, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [run.trigger, run.actorPersonID, run.personID, run.period, run.status, run.reason, run.model, now])
        // The audit entry names who, about whom and which model: never the prompt or the text.
        try db.execute(
            sql: "INSERT INTO audit_log(at, actor_person_id, action, person_id, model, detail) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [
                now, run.actorPersonID, run.status == "succeeded" ? "review.generated" : "review.failed", run.personID, run.model,
                "\(run.trigger) review for \(run.period)" + (run.reason.map { ": \($0)" } ?? ""),
            ])
    }

    public func reviewRuns(personID: String?) async throws -> [ReviewRun] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT trigger, actor_person_id, person_id, period, status, reason, model, created_at FROM review_runs
                    WHERE ?1 IS NULL OR person_id = ?1 ORDER BY id
                    """, arguments: [personID]
            ).map {
                ReviewRun(trigger: $0[0], actorPersonID: $0[1], personID: $0[2], period: $0[3], status: $0[4], reason: $0[5], model: $0[6], createdAt: $0[7])
            }
        }
    }

    public func manualReviewCount(actorPersonID: String, since: Int) async throws -> Int {
        try await pool.read { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM review_runs WHERE actor_person_id = ? AND trigger = 'manual' AND created_at >= ?",
                arguments: [actorPersonID, since]) ?? 0
        }
    }

    public func flaggedWithoutReview(periods: [String], threshold: Double) async throws -> [Snapshot] {
        try await pool.read { db in
            let list = String(decoding: try WireJSON.encode(periods), as: UTF8.self)
            return try String.fetchAll(
                db,
                sql: """
                    SELECT s.doc FROM snapshots s
                    JOIN people p ON p.id = s.person_id AND p.active = 1
                    WHERE s.period IN (SELECT value FROM json_each(?)) AND s.composite_score < ?
                        AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.person_id = s.person_id AND r.period = s.period)
                    ORDER BY s.period DESC, s.composite_score, s.person_id
                    """, arguments: [list, threshold]
            ).map { try SQLiteStore.decodeDoc(Snapshot.self, $0) }
        }
    }

    public func acknowledgeReview(id: String, at: String) async throws -> Review {
        try await pool.write { db in
            guard var review = try SQLiteStore.review(db, id: id) else { throw StoreError(.notFound, "no review with id '\(id)'") }
            guard !review.isAcknowledged else { return review }
            review.isAcknowledged = true
            review.acknowledgedAt = at
            return try SQLiteStore.writeAcknowledged(db, review, now: Int(Date().timeIntervalSince1970))
        }
    }

    /// Stores a review just marked acknowledged (the API's ack and the push's `ack_review`):
    /// the next version, the feed entry and the audit entry, in the caller's transaction.
    static func writeAcknowledged(_ db: Database, _ acknowledged: Review, now: Int) throws -> Review {
        var review = acknowledged
        review.version += 1
        let period = ISOWeek(containing: CivilDate(review.periodStart) ?? CivilDate(daysSinceEpoch: 0)).description
        try writeReview(db, review, period: period, now: now)
        try db.execute(
            sql: "INSERT INTO audit_log(at, actor_person_id, action, person_id, model, detail) VALUES (?, ?, 'review.acknowledged', ?, NULL, ?)",
            arguments: [now, review.personID, review.personID, review.id])
        return review
    }

    public func reviewSamples(personID: String, period: ISOWeek, tickets: Int, conversations: Int, workOrders: Int) async throws -> [ActivitySample] {
        try await pool.read { db in
            let hi = period.next.monday.startTimestamp
            var samples: [ActivitySample] = []
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT id, summary, sla_met, escalated, resolution_minutes, csat FROM tickets
                    WHERE person_id = ? AND resolved_at IS NOT NULL AND resolved_at < ? ORDER BY resolved_at DESC, id LIMIT ?
                    """, arguments: [personID, hi, tickets])
            {
                var facts: [String: String] = [:]
                if let v: Int = row[2] { facts["sla_met"] = v == 1 ? "true" : "false" }
                facts["escalated"] = (row[3] as Int) == 1 ? "true" : "false"
                if let v: Double = row[4] { facts["resolution_minutes"] = ScoringEngine.round(v).formatted2 }
                if let v: Int = row[5] { facts["csat"] = String(v) }
                samples.append(ActivitySample(kind: "ticket", reference: "Ticket \(row[0] as String)", text: row[1] ?? "", facts: facts))
            }
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT id, summary, channel, first_response_minutes, resolution_minutes, resolved FROM conversations
                    WHERE person_id = ? AND started_at < ? ORDER BY started_at DESC, id LIMIT ?
                    """, arguments: [personID, hi, conversations])
            {
                var facts: [String: String] = ["channel": row[2], "resolved": (row[5] as Int) == 1 ? "true" : "false"]
                if let v: Double = row[3] { facts["first_response_minutes"] = ScoringEngine.round(v).formatted2 }
                if let v: Double = row[4] { facts["resolution_minutes"] = ScoringEngine.round(v).formatted2 }
                samples.append(ActivitySample(kind: "conversation", reference: "Conversation \(row[0] as String)", text: row[1] ?? "", facts: facts))
            }
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT id, summary, has_notes,
                        CASE WHEN scheduled_start IS NOT NULL AND actual_start IS NOT NULL
                            THEN MAX(0, (strftime('%s', actual_start) - strftime('%s', scheduled_start)) / 60.0) END
                    FROM work_orders WHERE person_id = ? AND completed_at IS NOT NULL AND completed_at < ?
                    ORDER BY completed_at DESC, id LIMIT ?
                    """, arguments: [personID, hi, workOrders])
            {
                var facts: [String: String] = ["has_notes": (row[2] as Int) == 1 ? "true" : "false"]
                if let v: Double = row[3] { facts["delay_minutes"] = ScoringEngine.round(v).formatted2 }
                samples.append(ActivitySample(kind: "work_order", reference: "Work order \(row[0] as String)", text: row[1] ?? "", facts: facts))
            }
            return samples
        }
    }
}
