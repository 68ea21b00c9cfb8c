import ScorecardCore
import Testing

/// The shared metric → points formulas (`MetricInfo.points`), hand-worked from docs/scoring.md.
@Suite struct MetricPointsTests {
    static func points(_ key: String, value: Double?, baseline: Double? = nil) -> Double {
        let metric = MetricCatalogue.metric(key)!
        return metric.points(input: metric.input(forValue: value), baseline: baseline)
    }

    @Test func theWorkedExample() {
        // docs/scoring.md, "Worked example": Ana's support week.
        #expect(Self.points("sla_compliance_rate", value: 75) == 30)  // 40 × 0.75
        #expect(ScoringMath.round(Self.points("avg_resolution_minutes", value: 60, baseline: 75)) == 6)  // 30 × (1 − 60/75)
        #expect(Self.points("escalation_rate", value: 25) == 15)  // 20 × (1 − 0.25)
        #expect(Self.points("csat_avg", value: 4.5) == 9)  // 4.5 / 5 × 10
    }

    @Test func baselinesAbsentValuesAndClamps() {
        // Lower vs team: no value → 0; no baseline (or ≤ 0) → half; above the baseline → 0, not negative.
        #expect(Self.points("avg_first_response_minutes", value: nil, baseline: 10) == 0)
        #expect(Self.points("avg_first_response_minutes", value: 5, baseline: nil) == 15)
        #expect(Self.points("avg_first_response_minutes", value: 5, baseline: 0) == 15)
        #expect(Self.points("avg_first_response_minutes", value: 20, baseline: 10) == 0)
        #expect(Self.points("avg_first_response_minutes", value: 0, baseline: 10) == 30)
        // Volume vs team: no baseline → half; capped at the maximum.
        #expect(Self.points("conversations_resolved", value: 3, baseline: nil) == 12.5)
        #expect(Self.points("conversations_resolved", value: 5, baseline: 10) == 12.5)
        #expect(Self.points("lead_messages", value: 30, baseline: 10) == 15)
        #expect(Self.points("pipeline_value", value: 0, baseline: 1000) == 0)
        // Shares, inverse shares, absent shares.
        #expect(Self.points("blocked_rate", value: 0) == 15)
        #expect(Self.points("blocked_rate", value: 100) == 0)
        #expect(Self.points("effort_accuracy", value: nil) == 0)
        #expect(Self.points("channel_coverage", value: 40) == 8)
        // Delay: 25 × max(0, 1 − minutes/60); absent → 0.
        #expect(Self.points("avg_schedule_delay_minutes", value: 30) == 12.5)
        #expect(Self.points("avg_schedule_delay_minutes", value: 90) == 0)
        #expect(Self.points("avg_schedule_delay_minutes", value: nil) == 0)
        // Note length: full from 100 characters.
        #expect(Self.points("avg_note_length", value: 50) == 7.5)
        #expect(Self.points("avg_note_length", value: 400) == 15)
        // Not scored.
        #expect(MetricCatalogue.metric("composite_score")!.points(input: 80, baseline: nil) == 0)
    }

    @Test func theCatalogueScoresFourMetricsADomainWorthOneHundred() {
        #expect(MetricCatalogue.scored.count == 24)
        for domain in Domain.allCases {
            let metrics = MetricCatalogue.metrics(of: domain)
            #expect(metrics.count == 4, "\(domain)")
            #expect(metrics.allSatisfy { $0.isScored }, "\(domain)")
            #expect(metrics.reduce(0) { $0 + $1.maxPoints } == 100, "\(domain)")
        }
        // Percentages go in as shares and come back as percent.
        let sla = MetricCatalogue.metric("sla_compliance_rate")!
        #expect(sla.input(forValue: 95) == 0.95)
        #expect(sla.value(forInput: 0.5) == 50)
        #expect(MetricCatalogue.metric("csat_avg")!.input(forValue: 4) == 4)
    }
}
