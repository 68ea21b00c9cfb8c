import Foundation
import PostgresNIO
import ScorecardCore
import ScorecardServerCore

extension PostgresStore {
    public func scoreHistory(personIDs: [String], from: ISOWeek, to: ISOWeek) async throws -> [WeekScore] {
        guard !personIDs.isEmpty, from <= to else { return [] }
        return try await withConnection { c in
            let rows = try await c.rows(
                """
                SELECT s.person_id, s.period, s.composite_score, d.domain, d.raw_score
                FROM snapshots s LEFT JOIN domain_scores d ON d.person_id = s.person_id AND d.period = s.period
                WHERE s.person_id = ANY(\(personIDs)::text[]) AND s.period >= \(from.description) AND s.period <= \(to.description)
                ORDER BY s.person_id, s.period
                """, (String, String, Double, String?, Double?).self)
            var result: [WeekScore] = []
            for (person, period, composite, domain, raw) in rows {
                if result.last?.personID != person || result.last?.period != period {
                    result.append(WeekScore(personID: person, period: period, compositeScore: composite, domainScores: [:]))
                }
                if let domain, let raw { result[result.count - 1].domainScores[domain] = raw }
            }
            return result
        }
    }

    public func feedbackCounts(personIDs: [String], from: String, to: String) async throws -> [String: [FeedbackType: Int]] {
        guard !personIDs.isEmpty else { return [:] }
        return try await withConnection { c in
            var result: [String: [FeedbackType: Int]] = [:]
            for (person, type, count) in try await c.rows(
                """
                SELECT person_id, feedback_type, COUNT(*) FROM feedback
                WHERE person_id = ANY(\(personIDs)::text[]) AND occurred_at >= \(from) AND occurred_at < \(to)
                GROUP BY person_id, feedback_type
                """, (String, String, Int).self)
            {
                guard let feedbackType = FeedbackType(rawValue: type) else { continue }
                result[person, default: [:]][feedbackType] = count
            }
            return result
        }
    }
}
