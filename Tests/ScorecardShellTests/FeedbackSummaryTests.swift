import Foundation
import ScorecardCache
import ScorecardCore
@testable import ScorecardShell
import Testing

/// `feedback --summary`: seed 001's rates, worked by hand.
@Suite struct FeedbackSummaryTests {
    static func entry(_ id: String, _ day: String, _ type: FeedbackType, project: String?) -> FeedbackEntry {
        FeedbackEntry(
            id: id, personID: "agent-001", projectID: project, occurredAt: "\(day)T10:00:00Z", feedbackType: type, feedback: "text \(id)", rating: nil,
            context: nil, learningPattern: nil)
    }

    static let from = CivilDate("2026-11-16")!, to = CivilDate("2026-11-22")!

    @Test func noEntries() throws {
        let r = FeedbackSummaryReport([], from: Self.from, to: Self.to)
        #expect(r.total == 0 && r.innovationCount == 0 && r.byProject.isEmpty)
        #expect(r.rates == FeedbackRates.Rates(correction: nil, enhancement: nil, approval: nil))
        let json = String(decoding: try WireJSON.encode(r), as: UTF8.self)
        #expect(json.contains(#""rates":{"approval":null,"correction":null,"enhancement":null}"#), "\(json)")
        #expect(json.contains(#""previous":{"from":"2026-11-09","innovation_count":0"#), "\(json)")
        #expect(FeedbackSummaryView.render(r, format: .table, style: Style(width: 80, color: false)).contains("No feedback in this period (0 in the period before)."))
    }

    @Test func oneTypeOnly() {
        let entries = (0..<3).map { Self.entry("a\($0)", "2026-11-1\(6 + $0)", .approval, project: "p1") }
        let r = FeedbackSummaryReport(entries, from: Self.from, to: Self.to)
        #expect(r.total == 3)
        #expect(r.rates == FeedbackRates.Rates(correction: 0, enhancement: 0, approval: 100))
        #expect(r.change == FeedbackRates.Rates(correction: nil, enhancement: nil, approval: nil), "nothing the week before")
        #expect(r.byProject.map(\.projectID) == ["p1"])
    }

    @Test func severalProjectsAgainstThePeriodBefore() throws {
        let entries = [
            Self.entry("c1", "2026-11-16", .correction, project: "p1"), Self.entry("a1", "2026-11-17", .approval, project: "p1"),
            Self.entry("i1", "2026-11-18", .innovation, project: "p1"), Self.entry("e1", "2026-11-19", .enhancement, project: "p2"),
            Self.entry("e2", "2026-11-22", .enhancement, project: nil),
            // the week before: one correction, one approval
            Self.entry("c0", "2026-11-09", .correction, project: "p1"), Self.entry("a0", "2026-11-15", .approval, project: "p1"),
            // outside both
            Self.entry("x", "2026-11-23", .correction, project: "p1"), Self.entry("y", "2026-11-08", .approval, project: "p1"),
        ]
        let r = FeedbackSummaryReport(entries, from: Self.from, to: Self.to)
        #expect(r.total == 5 && r.innovationCount == 1)
        #expect(r.rates == FeedbackRates.Rates(correction: 20, enhancement: 40, approval: 20))
        #expect(r.previous.total == 2 && r.previous.rates == FeedbackRates.Rates(correction: 50, enhancement: 0, approval: 50))
        #expect(r.change == FeedbackRates.Rates(correction: -30, enhancement: 40, approval: -30))
        #expect(r.byProject.map(\.projectID) == ["p1", "p2", nil], "no project last")
        let p1 = r.byProject[0]
        #expect(p1.total == 3 && p1.innovationCount == 1)
        #expect(p1.rates == FeedbackRates.Rates(correction: 33.3, enhancement: 0, approval: 33.3))
        #expect(p1.change == FeedbackRates.Rates(correction: -16.7, enhancement: 0, approval: -16.7))
        #expect(r.byProject[1].rates.enhancement == 100)
        // Thirds round half away from zero to one decimal: 2 of 3 is 66.7.
        #expect(FeedbackRates.percent(2, of: 3) == 66.7 && FeedbackRates.percent(1, of: 8) == 12.5 && FeedbackRates.percent(0, of: 0) == nil)

        let table = FeedbackSummaryView.render(r, format: .table, style: Style(width: 80, color: false))
        #expect(table.contains("Feedback · 2026-11-16 .. 2026-11-22"))
        #expect(table.contains("all") && table.contains("20.0%") && table.contains("40.0%") && table.contains("-30.0") && table.contains("+40.0"), "\(table)")
        #expect(table.contains("(no project)"))
        let csv = FeedbackSummaryView.render(r, format: .csv, style: Style(width: 80, color: false))
        #expect(csv.split(separator: "\n").first == "project,entries,correction_rate,enhancement_rate,approval_rate,innovation_count")
        #expect(csv.contains("p1,3,33.3,0.0,33.3,1"))
        let json = try JSONSerialization.jsonObject(with: try WireJSON.encode(r)) as? [String: Any]
        #expect(Set(json?.keys.map { $0 } ?? []) == ["from", "to", "total", "rates", "change", "innovation_count", "by_project", "previous"])
    }

    @Test func theServersDashboardUsesTheSameRates() {
        // FeedbackSummary (the server's dashboard) builds each member from FeedbackRates.
        let counts: [FeedbackType: Int] = [.correction: 1, .approval: 2, .innovation: 4]
        let rates = FeedbackRates(counts: counts)
        #expect(rates.total == 7 && rates.innovationCount == 4)
        #expect(rates.rates == FeedbackRates.Rates(correction: 14.3, enhancement: 0, approval: 28.6))
    }
}
