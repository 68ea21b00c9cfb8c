import Foundation
import ScorecardCore
import ScorecardShell
import Testing

/// The `scores what-if` page at 40, 80 and 120 columns, colour off and on, and its JSON and CSV,
/// against golden files; a what-if on a hand-made week (WhatIfCalculationTests works it out).
@Suite struct WhatIfRenderingTests {
    /// 2026-W46: support 47 (SLA 50 %, resolution 60 against 75, escalation 25 %, CSAT 3) and
    /// operations 32.5 (completion 50 %, no effort estimate), weighted 75 % and 25 %: 43.38.
    static var snapshot: Snapshot {
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
            personID: "agent-001", period: ISOWeek("2026-W46")!, compositeScore: 43.38, domainScores: ["support": 47, "operations": 32.5],
            weights: ["support": 75, "operations": 25], teamID: "team-a", teamType: "support", salesActivityRatio: 0,
            domains: [support, operations], teamBaselines: ["avg_resolution_minutes": 75], createdAt: "2026-11-16T02:00:00Z",
            updatedAt: "2026-11-16T02:00:00Z", version: 1)
    }

    static func whatIf() throws -> WhatIf {
        try WhatIf(snapshot: snapshot, assignments: try WhatIf.parse(["sla_compliance_rate=75", "effort_accuracy=80", "avg_resolution_minutes=45"]))
    }

    @Test(arguments: RenderingTests.layouts) func page(width: Int, color: Bool) throws {
        let page = WhatIfView.render(try Self.whatIf(), snapshot: Self.snapshot, format: .table, style: RenderingTests.style(width, color))
        try Golden.check(page, RenderingTests.name("whatif", width, color))
        for line in page.split(separator: "\n") { #expect(Text.width(String(line)) <= width, "\(width) columns: '\(line)'") }
        #expect(page.contains("\u{1B}[") == color, "colour only when on")
    }

    @Test func machineFormats() throws {
        let plain = RenderingTests.style(80, false)
        let json = WhatIfView.render(try Self.whatIf(), snapshot: Self.snapshot, format: .json, style: plain)
        try Golden.check(json, "whatif.json")
        let decoded = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect(decoded?["composite_before"] as? Double == 43.38)
        // support 47 + 10 (SLA) + 6 (resolution 30 × (1 − 45/75) = 12, was 6) = 63; operations 32.5 + 16 = 48.5;
        // 43.38 + 16 × 0.75 + 16 × 0.25 = 59.38.
        #expect(decoded?["composite_after"] as? Double == 59.38)
        let domains = decoded?["domains"] as? [[String: Any]]
        #expect(domains?.map { $0["domain"] as? String } == ["support", "operations"])
        #expect(domains?.map { $0["after"] as? Double } == [63, 48.5])
        #expect(domains?.first.map { Set($0.keys) } == ["domain", "before", "after"])
        try Golden.check(WhatIfView.render(try Self.whatIf(), snapshot: Self.snapshot, format: .csv, style: plain), "whatif.csv")
    }
}
