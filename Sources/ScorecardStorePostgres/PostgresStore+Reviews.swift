import Foundation
import PostgresNIO
import ScorecardCore
import ScorecardServerCore

extension PostgresStore {
    static func decodeDoc<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try WireJSON.decode(T.self, from: Data(text.utf8))
    }

    static func encodeDoc(_ value: some Encodable) throws -> String {
        String(decoding: try WireJSON.encode(value), as: UTF8.self)
    }

    // MARK: Snapshots

    public func snapshot(personID: String, period: String?) async throws -> Snapshot? {
        try await withConnection { c in
            let query: PostgresQuery =
                if let period {
                    "SELECT doc FROM snapshots WHERE person_id = \(personID) AND period = \(period)"
                } else {
                    "SELECT doc FROM snapshots WHERE person_id = \(personID) ORDER BY period DESC LIMIT 1"
                }
            return try await c.row(query, String.self).map { try PostgresStore.decodeDoc(Snapshot.self, $0) }
        }
    }

    public func snapshots(period: String) async throws -> [Snapshot] {
        try await withConnection { c in
            try await c.rows("SELECT doc FROM snapshots WHERE period = \(period) ORDER BY person_id", String.self)
                .map { try PostgresStore.decodeDoc(Snapshot.self, $0) }
        }
    }

    public func latestSnapshots() async throws -> [String: Snapshot] {
        try await withConnection { c in
            var result: [String: Snapshot] = [:]
            for doc in try await c.rows(
                "SELECT DISTINCT ON (person_id) doc FROM snapshots ORDER BY person_id, period DESC", String.self)
            {
                let snapshot = try PostgresStore.decodeDoc(Snapshot.self, doc)
                result[snapshot.personID] = snapshot
            }
            return result
        }
    }

    public func latestScoredPeriod() async throws -> String? {
        try await withConnection { c in try await c.row("SELECT MAX(period) FROM snapshots", String?.self).flatMap { $0 } }
    }

    public func ticketSLA(personIDs: [String], period: ISOWeek) async throws -> (met: Int, total: Int) {
        try await withConnection { c in
            try await c.row(
                """
                SELECT COUNT(*) FILTER (WHERE sla_met = 1), COUNT(sla_met) FROM tickets
                WHERE person_id = ANY(\(personIDs)::text[]) AND resolved_at >= \(period.monday.startTimestamp)
                    AND resolved_at < \(period.next.monday.startTimestamp)
                """, (Int, Int).self) ?? (0, 0)
        }
    }

    // MARK: Reviews

    public func reviews(personID: String, limit: Int) async throws -> [Review] {
        try await withConnection { c in
            try await c.rows(
                "SELECT doc FROM reviews WHERE person_id = \(personID) ORDER BY period DESC, id LIMIT \(limit)", String.self
            ).map { try PostgresStore.decodeDoc(Review.self, $0) }
        }
    }

    public func review(id: String) async throws -> Review? {
        try await withConnection { c in try await PostgresStore.review(c, id: id, lock: false) }
    }

    static func review(_ c: PostgresSession, id: String, lock: Bool) async throws -> Review? {
        let query: PostgresQuery =
            lock ? "SELECT doc FROM reviews WHERE id = \(id) FOR UPDATE" : "SELECT doc FROM reviews WHERE id = \(id)"
        return try await c.row(query, String.self).map { try decodeDoc(Review.self, $0) }
    }

    public func review(personID: String, period: String) async throws -> Review? {
        try await withConnection { c in
            try await c.row("SELECT doc FROM reviews WHERE person_id = \(personID) AND period = \(period)", String.self)
                .map { try PostgresStore.decodeDoc(Review.self, $0) }
        }
    }

    public func reviewedPersonIDs(period: String) async throws -> Set<String> {
        try await withConnection { c in
            Set(try await c.rows("SELECT person_id FROM reviews WHERE period = \(period)", String.self))
        }
    }

    static func writeReview(_ c: PostgresSession, _ review: Review, period: String, now: Int) async throws {
        try await c.query(
            """
            INSERT INTO reviews(id, person_id, period, created_at, version, doc)
            VALUES (\(review.id), \(review.personID), \(period), \(Timestamp.epochSeconds(review.createdAt) ?? now), \(review.version), \(try encodeDoc(review)))
            ON CONFLICT (id) DO UPDATE SET created_at = excluded.created_at, version = excluded.version, doc = excluded.doc
            """)
        try await c.recordChange(personID: review.personID, stream: .reviews, entityID: review.id, op: .upsert, version: review.version, now: now)
    }

    public func saveReview(_ review: Review, period: String, run: ReviewRun) async throws -> Review {
        try await transaction { c in
            let now = PostgresStore.now
            var review = review
            // Two processes writing the same person's week queue on the person's feed row first.
            _ = try await PostgresStore.lockFeed(c, review.personID)
            if let old = try await c.row(
                "SELECT doc FROM reviews WHERE person_id = \(review.personID) AND period = \(period)", String.self
            ).map({ try PostgresStore.decodeDoc(Review.self, $0) }) {
                // A rewrite keeps the id (clients know it) and moves the version on.
                review.id = old.id
                review.version = old.version + 1
            }
            try await PostgresStore.writeReview(c, review, period: period, now: now)
            try await PostgresStore.insertRun(c, run, now: now)
            return review
        }
    }

    public func recordReviewRun(_ run: ReviewRun) async throws {
        try await transaction { c in try await PostgresStore.insertRun(c, run, now: PostgresStore.now) }
    }

    static func insertRun(_ c: PostgresSession, _ run: ReviewRun, now: Int) async throws {
        try await c.query(
            """
            INSERT INTO review_runs(trigger, actor_person_id, person_id, period, status, reason, model, created_at)
            VALUES (\(run.trigger), \(run.actorPersonID), \(run.personID), \(run.period), \(run.status), \(run.reason), \(run.model), \(now))
            """)
        // The audit entry names who, about whom and which model: never the prompt or the text.
        let action = run.status == "succeeded" ? "review.generated" : "review.failed"
        let detail = "\(run.trigger) review for \(run.period)" + (run.reason.map { ": \($0)" } ?? "")
        try await c.query(
            """
            INSERT INTO audit_log(at, actor_person_id, action, person_id, model, detail)
            VALUES (\(now), \(run.actorPersonID), \(action), \(run.personID), \(run.model), \(detail))
            """)
    }

    public func reviewRuns(personID: String?) async throws -> [ReviewRun] {
        try await withConnection { c in
            try await c.rows(
                """
                SELECT trigger, actor_person_id, person_id, period, status, reason, model, created_at FROM review_runs
                WHERE \(personID)::text IS NULL OR person_id = \(personID) ORDER BY id
                """, (String, String?, String, String, String, String?, String?, Int).self
            ).map {
                ReviewRun(trigger: $0.0, actorPersonID: $0.1, personID: $0.2, period: $0.3, status: $0.4, reason: $0.5, model: $0.6, createdAt: $0.7)
            }
        }
    }

    public func manualReviewCount(actorPersonID: String, since: Int) async throws -> Int {
        try await withConnection { c in
            try await c.row(
                "SELECT COUNT(*) FROM review_runs WHERE actor_person_id = \(actorPersonID) AND trigger = 'manual' AND created_at >= \(since)",
                Int.self) ?? 0
        }
    }

    public func flaggedWithoutReview(periods: [String], threshold: Double) async throws -> [Snapshot] {
        try await withConnection { c in
            try await c.rows(
                """
                SELECT s.doc FROM snapshots s
                JOIN people p ON p.id = s.person_id AND p.active
                WHERE s.period = ANY(\(periods)::text[]) AND s.composite_score < \(threshold)
                    AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.person_id = s.person_id AND r.period = s.period)
                ORDER BY s.period DESC, s.composite_score, s.person_id
                """, String.self
            ).map { try PostgresStore.decodeDoc(Snapshot.self, $0) }
        }
    }

    public func acknowledgeReview(id: String, at: String) async throws -> Review {
        try await transaction { c in
            // The person's feed row first, as every single-person writer takes it (no lock cycles).
            guard let person = try await c.row("SELECT person_id FROM reviews WHERE id = \(id)", String.self),
                try await PostgresStore.lockFeed(c, person),
                var review = try await PostgresStore.review(c, id: id, lock: true)
            else {
                throw StoreError(.notFound, "no review with id '\(id)'")
            }
            guard !review.isAcknowledged else { return review }
            review.isAcknowledged = true
            review.acknowledgedAt = at
            return try await PostgresStore.writeAcknowledged(c, review, now: PostgresStore.now)
        }
    }

    /// Stores a review just marked acknowledged (the API's ack and the push's `ack_review`):
    /// the next version, the feed entry and the audit entry, in the caller's transaction.
    static func writeAcknowledged(_ c: PostgresSession, _ acknowledged: Review, now: Int) async throws -> Review {
        var review = acknowledged
        review.version += 1
        let period = ISOWeek(containing: CivilDate(review.periodStart) ?? CivilDate(daysSinceEpoch: 0)).description
        try await writeReview(c, review, period: period, now: now)
        try await c.query(
            """
            INSERT INTO audit_log(at, actor_person_id, action, person_id, model, detail)
            VALUES (\(now), \(review.personID), 'review.acknowledged', \(review.personID), NULL, \(review.id))
            """)
        return review
    }

    public func reviewSamples(personID: String, period: ISOWeek, tickets: Int, conversations: Int, workOrders: Int) async throws -> [ActivitySample] {
        try await withConnection { c in
            let hi = period.next.monday.startTimestamp
            var samples: [ActivitySample] = []
            for (id, summary, sla, escalated, minutes, csat) in try await c.rows(
                """
                SELECT id, summary, sla_met, escalated, resolution_minutes, csat FROM tickets
                WHERE person_id = \(personID) AND resolved_at IS NOT NULL AND resolved_at < \(hi) ORDER BY resolved_at DESC, id LIMIT \(tickets)
                """, (String, String?, Int?, Int, Double?, Int?).self)
            {
                var facts: [String: String] = [:]
                if let sla { facts["sla_met"] = sla == 1 ? "true" : "false" }
                facts["escalated"] = escalated == 1 ? "true" : "false"
                if let minutes { facts["resolution_minutes"] = ScoringEngine.round(minutes).formatted2 }
                if let csat { facts["csat"] = String(csat) }
                samples.append(ActivitySample(kind: "ticket", reference: "Ticket \(id)", text: summary ?? "", facts: facts))
            }
            for (id, summary, channel, first, resolution, resolved) in try await c.rows(
                """
                SELECT id, summary, channel, first_response_minutes, resolution_minutes, resolved FROM conversations
                WHERE person_id = \(personID) AND started_at < \(hi) ORDER BY started_at DESC, id LIMIT \(conversations)
                """, (String, String?, String, Double?, Double?, Int).self)
            {
                var facts: [String: String] = ["channel": channel, "resolved": resolved == 1 ? "true" : "false"]
                if let first { facts["first_response_minutes"] = ScoringEngine.round(first).formatted2 }
                if let resolution { facts["resolution_minutes"] = ScoringEngine.round(resolution).formatted2 }
                samples.append(ActivitySample(kind: "conversation", reference: "Conversation \(id)", text: summary ?? "", facts: facts))
            }
            for (id, summary, notes, delay) in try await c.rows(
                """
                SELECT id, summary, has_notes,
                    CASE WHEN scheduled_start IS NOT NULL AND actual_start IS NOT NULL
                        THEN GREATEST(0, EXTRACT(EPOCH FROM (actual_start::timestamptz - scheduled_start::timestamptz))::float8 / 60.0) END
                FROM work_orders WHERE person_id = \(personID) AND completed_at IS NOT NULL AND completed_at < \(hi)
                ORDER BY completed_at DESC, id LIMIT \(workOrders)
                """, (String, String?, Int, Double?).self)
            {
                var facts: [String: String] = ["has_notes": notes == 1 ? "true" : "false"]
                if let delay { facts["delay_minutes"] = ScoringEngine.round(delay).formatted2 }
                samples.append(ActivitySample(kind: "work_order", reference: "Work order \(id)", text: summary ?? "", facts: facts))
            }
            return samples
        }
    }
}
