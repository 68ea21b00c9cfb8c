import Foundation
import GRDB
import ScorecardCore
import ScorecardServerCore

extension SQLiteStore {
    public func scoreHistory(personIDs: [String], from: ISOWeek, to: ISOWeek) async throws -> [WeekScore] {
        guard !personIDs.isEmpty, from <= to else { return [] }
        return try await pool.read { db in
            let ids = String(decoding: try WireJSON.encode(personIDs), as: UTF8.self)
            // The snapshot's composite and its domain rows, in one read; the (person_id, period)
            // unique index and domain_scores' primary key serve it.
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT s.person_id, s.period, s.composite_score, d.domain, d.raw_score
                    FROM snapshots s LEFT JOIN domain_scores d ON d.person_id = s.person_id AND d.period = s.period
                    WHERE s.person_id IN (SELECT value FROM json_each(?)) AND s.period >= ? AND s.period <= ?
                    ORDER BY s.person_id, s.period
                    """,
                arguments: [ids, from.description, to.description])
            var result: [WeekScore] = []
            while let row = try rows.next() {
                let person: String = row[0]
                let period: String = row[1]
                if result.last?.personID != person || result.last?.period != period {
                    result.append(WeekScore(personID: person, period: period, compositeScore: row[2], domainScores: [:]))
                }
                if let domain = row[3] as String? { result[result.count - 1].domainScores[domain] = row[4] }
            }
            return result
        }
    }

    public func feedbackCounts(personIDs: [String], from: String, to: String) async throws -> [String: [FeedbackType: Int]] {
        guard !personIDs.isEmpty else { return [:] }
        return try await pool.read { db in
            let ids = String(decoding: try WireJSON.encode(personIDs), as: UTF8.self)
            var result: [String: [FeedbackType: Int]] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT person_id, feedback_type, COUNT(*) FROM feedback
                    WHERE person_id IN (SELECT value FROM json_each(?)) AND occurred_at >= ? AND occurred_at < ?
                    GROUP BY person_id, feedback_type
                    """,
                arguments: [ids, from, to])
            {
                guard let type = FeedbackType(rawValue: row[1]) else { continue }
                result[row[0], default: [:]][type] = row[2]
            }
            return result
        }
    }
}
