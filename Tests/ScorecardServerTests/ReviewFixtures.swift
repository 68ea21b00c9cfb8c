import ScorecardCore
import ScorecardServer

/// Hand-built review inputs whose numbers the coach tests check.
enum ReviewFixtures {
    static let week = ISOWeek("2026-W47")!

    /// A domain score whose metrics hold each value and its `<key>_points`.
    static func domain(_ d: Domain, raw: Double, weight: Double, _ metrics: [(String, value: Double, points: Double)]) -> DomainScore {
        var values: [String: Double] = [:]
        for m in metrics {
            values[m.0] = m.value
            values[m.0 + "_points"] = m.points
        }
        return DomainScore(domain: d, rawScore: raw, weightedScore: (raw * weight).rounded() / 100, metrics: values)
    }

    static func input(
        _ domains: [(DomainScore, weight: Double)], composite: Double, teamAverages: [String: Double] = [:],
        samples: [ActivitySample] = [], sampleMaxChars: Int = 600
    ) -> ReviewInput {
        let snapshot = Snapshot(
            personID: "agent-7", period: week, compositeScore: composite,
            domainScores: Dictionary(uniqueKeysWithValues: domains.map { ($0.0.domain.rawValue, $0.0.rawScore) }),
            weights: Dictionary(uniqueKeysWithValues: domains.map { ($0.0.domain.rawValue, $0.weight) }),
            teamID: "team-a", teamType: "support", salesActivityRatio: nil, domains: domains.map(\.0),
            createdAt: "2026-11-23T02:00:00Z", updatedAt: "2026-11-23T02:00:00Z", version: 1)
        return ReviewInput(
            personID: "agent-7", personName: "Alex Example", snapshot: snapshot, teamAverages: teamAverages, samples: samples,
            sampleMaxChars: sampleMaxChars)
    }

    /// Three domains: support 40% (56), communication 40% (68), field service 20% (82.5).
    static func threeDomains(samples: [ActivitySample] = ReviewFixtures.samples, teamAverages: [String: Double] = team) -> ReviewInput {
        input(
            [
                (
                    domain(
                        .support, raw: 56, weight: 40,
                        [
                            ("sla_compliance_rate", 72, 28.8), ("avg_resolution_minutes", 95, 0), ("escalation_rate", 10, 18),
                            ("csat_avg", 4.6, 9.2),
                        ]), 40
                ),
                (
                    domain(
                        .communication, raw: 68, weight: 40,
                        [
                            ("avg_first_response_minutes", 12, 18), ("avg_conversation_resolution_minutes", 40, 5),
                            ("conversations_resolved", 30, 25), ("channel_coverage", 100, 20),
                        ]), 40
                ),
                (
                    domain(
                        .fieldService, raw: 82.5, weight: 20,
                        [
                            ("work_order_completion_rate", 100, 30), ("avg_schedule_delay_minutes", 6, 22.5),
                            ("duration_accuracy", 80, 20), ("documentation_rate", 50, 10),
                        ]), 20
                ),
            ], composite: 66.1, teamAverages: teamAverages, samples: samples)
    }

    static let team: [String: Double] = [
        "sla_compliance_rate": 85, "avg_resolution_minutes": 60, "avg_first_response_minutes": 30,
        "avg_conversation_resolution_minutes": 50, "conversations_resolved": 25,
    ]

    static let samples: [ActivitySample] = [
        ActivitySample(
            kind: "ticket", reference: "Ticket T-1042",
            text:
                "Customer jane.doe@example.com (call +44 20 7946 0958) says invoice INV-2026-0042 was charged twice to card 4111 1111 1111 1111.",
            facts: ["sla_met": "false", "escalated": "true", "resolution_minutes": "95"]),
        ActivitySample(
            kind: "ticket", reference: "Ticket T-1043", text: "Password reset for account 12345678; resolved in 30 minutes.",
            facts: ["sla_met": "true", "resolution_minutes": "30", "escalated": "false"]),
        ActivitySample(
            kind: "work_order", reference: "Work order WO-77",
            text: "Replaced router at 221B Baker Street. " + String(repeating: "Long notes. ", count: 150),
            facts: ["delay_minutes": "25", "has_notes": "false"]),
        ActivitySample(kind: "conversation", reference: "Conversation C-9", text: "Asked about opening hours.", facts: [:]),
    ]
}
