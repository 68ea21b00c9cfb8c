import Foundation
import ScorecardCore
import ScorecardServer
import Testing

@Suite("Rule-based coach")
struct RuleBasedCoachTests {
    let coach = RuleBasedCoach()

    @Test func summaryNamesCompositeBestAndWorstDomain() {
        let review = coach.write(ReviewFixtures.threeDomains())
        #expect(
            review.summary
                == "Composite score 66.1 for 2026-W47 (2026-11-16 to 2026-11-22) across 3 domains. "
                + "Strongest domain: field service (82.5); weakest: support (56). "
                + "The largest gap is ticket resolution time at 95 min, with 0 of 30 points in support, about 12 composite points short of full marks."
        )
    }

    @Test func strengthsAreTheMetricsWithTheLargestShareOfTheirPoints() {
        let review = coach.write(ReviewFixtures.threeDomains())
        #expect(
            review.strengths == [
                "Conversations resolved 30 earned 25 of 25 points in communication, better than the team average of 25.",
                "Channel coverage 100% earned 20 of 20 points in communication.",
                "Work order completion 100% earned 30 of 30 points in field service.",
            ])
    }

    @Test func improvementsAreTheWeakestMetricsWithTargets() {
        let review = coach.write(ReviewFixtures.threeDomains())
        #expect(
            review.improvements == [
                "Ticket resolution time 95 min → reach 60 min (team average 60 min): 0 of 30 points in support now.",
                "Conversation resolution time 40 min → reach 32 min (team average 50 min): 5 of 25 points in communication now.",
                "Documentation rate 50% → reach 90%: 10 of 20 points in field service now.",
            ])
    }

    @Test func recommendationsFollowTheCompositePointsLost() {
        let review = coach.write(ReviewFixtures.threeDomains())
        #expect(review.recommendations.map(\.category) == ["resolution_time", "resolution_time", "response_time", "sla"])
        #expect(review.recommendations.allSatisfy { $0.priority == "high" })
        // Reaching the team average on a vs-team metric earns no points yet: the impact says what is open.
        #expect(review.recommendations[0].impact == "Up to 30 points in support are open on this metric (about +12 on the composite).")
        #expect(review.recommendations[1].impact == "+4 points in communication (about +1.6 on the composite) at 32 min.")
        #expect(review.recommendations[3].impact == "+7.2 points in support (about +2.9 on the composite) at 90%.")
        #expect(review.recommendations[3].action.hasSuffix("Target: SLA compliance 90%, now 72%."))
    }

    @Test func prioritiesGoFromHeavyDomainsToLightOnes() {
        let input = ReviewFixtures.input(
            [
                (
                    ReviewFixtures.domain(
                        .support, raw: 71, weight: 90,
                        [
                            ("sla_compliance_rate", 60, 24), ("avg_resolution_minutes", 20, 18), ("escalation_rate", 5, 19),
                            ("csat_avg", 5, 10),
                        ]),
                    90
                ),
                (
                    ReviewFixtures.domain(
                        .dataQuality, raw: 84, weight: 10,
                        [
                            ("contact_completeness", 100, 40), ("org_completeness", 100, 25), ("tagging_rate", 50, 10),
                            ("avg_note_length", 60, 9),
                        ]),
                    10
                ),
            ], composite: 72.3, teamAverages: ["avg_resolution_minutes": 50])
        let recommendations = coach.write(input).recommendations
        #expect(recommendations.map(\.priority) == ["high", "high", "medium", "low"])
        #expect(recommendations.map(\.category) == ["sla", "resolution_time", "tagging", "documentation"])
        #expect(recommendations[0].impact == "+12 points in support (about +10.8 on the composite) at 90%.")
        #expect(recommendations.map(\.priorityRank) == recommendations.map(\.priorityRank).sorted())
    }

    @Test func singleDomainWithTeamTargets() {
        let input = ReviewFixtures.input(
            [
                (
                    ReviewFixtures.domain(
                        .support, raw: 60.8, weight: 100,
                        [
                            ("sla_compliance_rate", 72, 28.8), ("avg_resolution_minutes", 50, 5), ("escalation_rate", 10, 18),
                            ("csat_avg", 4.5, 9),
                        ]),
                    100
                )
            ], composite: 60.8, teamAverages: ["sla_compliance_rate": 85, "avg_resolution_minutes": 60])
        let review = coach.write(input)
        #expect(
            review.summary
                == "Composite score 60.8 for 2026-W47 (2026-11-16 to 2026-11-22), all from support (60.8/100). "
                + "The largest gap is ticket resolution time at 50 min, with 5 of 30 points in support, about 25 composite points short of full marks."
        )
        #expect(
            review.improvements == [
                "Ticket resolution time 50 min → reach 40 min (team average 60 min): 5 of 30 points in support now.",
                "SLA compliance 72% → reach 90% (team average 85%): 28.8 of 40 points in support now.",
            ])
        #expect(
            review.strengths == ["Escalation rate 10% earned 18 of 20 points in support.", "CSAT 4.5/5 earned 9 of 10 points in support."])
    }

    @Test func calloutsCiteOnlyTheGivenSamplesConcernsFirst() {
        let input = ReviewFixtures.threeDomains()
        let callouts = coach.write(input).callouts
        #expect(
            callouts == [
                Callout(
                    type: "concern", reference: "Ticket T-1042",
                    observation: "Missed its SLA, was escalated and took 95 min to resolve against a team average of 60 min."),
                Callout(type: "concern", reference: "Work order WO-77", observation: "Started 25 min late and was closed without notes."),
                Callout(
                    type: "positive", reference: "Ticket T-1043",
                    observation: "Met its SLA, was resolved in 30 min (team average 60 min) and needed no escalation."),
            ])
        let references = Set(input.samples.map(\.reference))
        #expect(callouts.allSatisfy { references.contains($0.reference) })
        // No sample text ends up in a callout.
        #expect(!callouts.contains { $0.observation.contains("@") || $0.observation.contains("Baker") })
    }

    @Test func noSamplesNoCallouts() {
        let review = coach.write(ReviewFixtures.threeDomains(samples: []))
        #expect(review.callouts.isEmpty)
        #expect(!review.recommendations.isEmpty)
    }

    @Test func noTeamAveragesStillGivesTargets() {
        let review = coach.write(ReviewFixtures.threeDomains(teamAverages: [:]))
        #expect(!review.improvements.contains { $0.contains("team average") })
        #expect(review.improvements.first == "Ticket resolution time 95 min → reach 76 min: 0 of 30 points in support now.")
        #expect(review.recommendations.first?.impact == "Up to 30 points in support are open on this metric (about +12 on the composite).")
        #expect(
            review.callouts.first == Callout(type: "concern", reference: "Ticket T-1042", observation: "Missed its SLA and was escalated."))
    }

    @Test func noDomainsSaysSoAndInventsNothing() async throws {
        let input = ReviewFixtures.input([], composite: 0, samples: [])
        let output = try await coach.review(input)
        #expect(output.content.summary.hasPrefix("No activity was scored for 2026-W47 (2026-11-16 to 2026-11-22)"))
        #expect(output.content.strengths.isEmpty && output.content.improvements.isEmpty)
        #expect(output.content.recommendations.isEmpty && output.content.callouts.isEmpty)
        #expect(output.model == "rule-based" && output.tokensIn == 0 && output.tokensOut == 0)
    }

    @Test func strongWeekHasNoImprovements() {
        let input = ReviewFixtures.input(
            [
                (
                    ReviewFixtures.domain(
                        .operations, raw: 96, weight: 100,
                        [
                            ("task_completion_rate", 100, 35), ("on_time_rate", 95, 28.5), ("effort_accuracy", 90, 18),
                            ("blocked_rate", 4, 14.4),
                        ]),
                    100
                )
            ], composite: 96)
        let review = coach.write(input)
        #expect(review.summary.hasSuffix("all from operations (96/100). Every scored metric earned at least 90% of its points."))
        #expect(review.strengths.first == "Task completion 100% earned 35 of 35 points in operations.")
        #expect(review.strengths.count == 3)
        #expect(review.improvements.isEmpty && review.recommendations.isEmpty)
    }

    @Test func metricsWithoutPointsAreSkipped() {
        let score = DomainScore(domain: .support, rawScore: 50, weightedScore: 50, metrics: ["sla_compliance_rate": 50])
        let review = coach.write(ReviewFixtures.input([(score, 100)], composite: 50))
        #expect(review.summary == "Composite score 50 for 2026-W47 (2026-11-16 to 2026-11-22), all from support (50/100).")
        #expect(review.strengths.isEmpty && review.improvements.isEmpty && review.recommendations.isEmpty)
    }

    @Test func sameInputGivesByteIdenticalOutput() async throws {
        let a = ReviewFixtures.threeDomains()
        // The same input with dictionaries built in another order and capacity.
        var b = a
        b.teamAverages = [:]
        b.teamAverages.reserveCapacity(64)
        for (k, v) in a.teamAverages.sorted(by: { $0.key > $1.key }) { b.teamAverages[k] = v }
        b.snapshot.domains = a.snapshot.domains.map { d in
            var metrics: [String: Double] = [:]
            metrics.reserveCapacity(128)
            for (k, v) in d.metrics.sorted(by: { $0.key > $1.key }) { metrics[k] = v }
            return DomainScore(domain: d.domain, rawScore: d.rawScore, weightedScore: d.weightedScore, metrics: metrics)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let first = try encoder.encode(try await coach.review(a).content)
        let second = try encoder.encode(try await coach.review(b).content)
        #expect(first == second)
        #expect(try encoder.encode(try await coach.review(a).content) == first)
    }
}
