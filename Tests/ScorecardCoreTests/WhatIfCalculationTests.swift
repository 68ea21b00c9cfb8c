import ScorecardCore
import Testing

/// `WhatIf` on a hand-made snapshot: the change of each domain and of the composite, worked out by
/// hand from docs/scoring.md, and its errors.
@Suite struct WhatIfCalculationTests {
    /// Ana's 2026-W40 in team `desk` (support weights: support 30, operations 10 → 75 % and 25 %):
    /// support 20 + 6 + 15 + 6 = 47; operations 17.5 + 0 + 0 + 15 = 32.5 (no effort estimate);
    /// composite 47 × 0.75 + 32.5 × 0.25 = 43.375 → 43.38.
    static func snapshot(baselines: [String: Double]? = ["avg_resolution_minutes": 75]) -> Snapshot {
        let support = DomainScore(
            domain: .support, rawScore: 47, weightedScore: 35.25,
            metrics: [
                "sla_compliance_rate": 50, "sla_compliance_rate_points": 20, "avg_resolution_minutes": 60, "avg_resolution_minutes_points": 6,
                "escalation_rate": 25, "escalation_rate_points": 15, "csat_avg": 3, "csat_avg_points": 6,
            ])
        let operations = DomainScore(
            domain: .operations, rawScore: 32.5, weightedScore: 8.13,
            metrics: [
                "task_completion_rate": 50, "task_completion_rate_points": 17.5, "on_time_rate": 0, "on_time_rate_points": 0,
                "effort_accuracy_points": 0, "blocked_rate": 0, "blocked_rate_points": 15,
            ])
        return Snapshot(
            personID: "ana", period: ISOWeek("2026-W40")!, compositeScore: 43.38, domainScores: ["support": 47, "operations": 32.5],
            weights: ["support": 75, "operations": 25], teamID: "desk", teamType: "support", salesActivityRatio: 0,
            domains: [support, operations], teamBaselines: baselines, createdAt: "2026-10-05T02:00:00Z", updatedAt: "2026-10-05T02:00:00Z",
            version: 1)
    }

    static func whatIf(_ words: [String], on snapshot: Snapshot = snapshot()) throws -> WhatIf {
        try WhatIf(snapshot: snapshot, assignments: try WhatIf.parse(words))
    }

    @Test func ratesInTwoDomains() throws {
        let w = try Self.whatIf(["sla_compliance_rate=75", "escalation_rate=12.5", "task_completion_rate=75"])
        // support: sla 20 → 30, escalation 15 → 17.5: 47 + 12.5 = 59.5; operations 17.5 → 26.25: 32.5 + 8.75 = 41.25.
        #expect(w.domains.map(\.domain) == [.support, .operations])
        #expect(w.domains.map(\.before) == [47, 32.5])
        #expect(w.domains.map(\.after) == [59.5, 41.25])
        // 43.38 + 12.5 × 0.75 + 8.75 × 0.25 = 54.9425 → 54.94 (a re-score from the facts: 54.9375 → 54.94).
        #expect(w.compositeBefore == 43.38)
        #expect(w.compositeAfter == 54.94)
        #expect(w.metrics.map(\.key) == ["sla_compliance_rate", "escalation_rate", "task_completion_rate"])
        #expect(w.metrics.map(\.pointsBefore) == [20, 15, 17.5])
        #expect(w.metrics.map(\.pointsAfter) == [30, 17.5, 26.25])
        #expect(w.metrics.map(\.valueBefore) == [50, 25, 50])
        #expect(w.metrics[0].maxPoints == 40)
        #expect(w.period == "2026-W40")
    }

    @Test func theStoredBaselineIsHeldAndAnAbsentValueMayBeSet() throws {
        // 30 × (1 − 30/75) = 18 (was 6): support 59; composite 43.38 + 12 × 0.75 = 52.38.
        let faster = try Self.whatIf(["avg_resolution_minutes=30"])
        #expect(faster.domains.map(\.after) == [59, 32.5])
        #expect(faster.compositeAfter == 52.38)
        // No effort estimate that week (no value, 0 points): 20 × 0.5 = 10; operations 42.5; 43.38 + 2.5.
        let effort = try Self.whatIf(["effort_accuracy=50"])
        #expect(effort.metrics.first?.valueBefore == nil)
        #expect(effort.metrics.first?.pointsAfter == 10)
        #expect(effort.domains.map(\.after) == [47, 42.5])
        #expect(effort.compositeAfter == 45.88)
    }

    @Test func theStoredValuesChangeNothing() throws {
        let same = try Self.whatIf(["sla_compliance_rate=50", "avg_resolution_minutes=60", "csat_avg=3", "blocked_rate=0"])
        #expect(same.domains.allSatisfy { $0.before == $0.after })
        #expect(same.compositeAfter == same.compositeBefore)
    }

    @Test func typingErrorsNameWhatIsWrong() {
        func code(_ words: [String]) -> (WhatIfError.Code, String)? {
            do {
                _ = try WhatIf.parse(words)
                return nil
            } catch {
                return (error.code, error.message)
            }
        }
        #expect(code([])?.0 == .malformed)
        #expect(code(["sla_compliance_rate"])?.0 == .malformed)
        #expect(code(["=95"])?.0 == .malformed)
        #expect(code(["happiness=3"])?.0 == .unknownMetric)
        #expect(code(["happiness=3"])?.1.contains("'happiness'") == true)
        #expect(code(["composite_score=90"])?.0 == .unknownMetric)
        #expect(code(["sla_compliance_rate=95", "sla_compliance_rate=90"])?.0 == .repeated)
        for bad in ["sla_compliance_rate=abc", "sla_compliance_rate=", "sla_compliance_rate=-1", "sla_compliance_rate=100.5",
            "csat_avg=6", "csat_avg=0.5", "lead_messages=2.5", "pipeline_value=nan", "avg_resolution_minutes=inf"]
        {
            #expect(code([bad])?.0 == .badValue, "\(bad)")
            #expect(code([bad])?.1.hasPrefix(String(bad.prefix(while: { $0 != "=" }))) == true, "\(bad): names the metric")
        }
        #expect(code(["sla_compliance_rate=100", "csat_avg=5", "lead_messages=12", "avg_resolution_minutes=0"]) == nil)
    }

    @Test func aMetricOutsideTheWeeksDomainsIsAnError() throws {
        #expect {
            _ = try Self.whatIf(["sla_compliance_rate=90", "win_rate=50"])
        } throws: { error in
            guard let e = error as? WhatIfError else { return false }
            return e.code == .domainNotScored && !e.isUsage && e.message.contains("win_rate") && e.message.contains("sales")
                && e.message.contains("2026-W40")
        }
    }

    @Test func aBaselineMetricNeedsStoredBaselines() throws {
        let old = Self.snapshot(baselines: nil)
        #expect {
            _ = try Self.whatIf(["avg_resolution_minutes=30"], on: old)
        } throws: { error in
            (error as? WhatIfError)?.code == .baselinesNotStored
        }
        // A rate needs no baseline: fine on such a snapshot.
        #expect(try Self.whatIf(["sla_compliance_rate=75"], on: old).compositeAfter == 50.88)  // 43.38 + 10 × 0.75
    }
}
