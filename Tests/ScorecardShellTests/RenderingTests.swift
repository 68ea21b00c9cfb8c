import Foundation
import ScorecardCore
import ScorecardShell
import Testing

/// Every page at 40, 80 and 120 columns, colour off and on, against golden files.
@Suite struct RenderingTests {
    static let layouts: [(Int, Bool)] = [(40, false), (80, false), (120, false), (40, true), (80, true), (120, true)]

    static func style(_ width: Int, _ color: Bool) -> Style { Style(width: width, color: color, truncate: true) }
    static func name(_ page: String, _ width: Int, _ color: Bool) -> String { "\(page)-\(width)-\(color ? "color" : "plain").txt" }

    @Test(arguments: layouts) func stats(width: Int, color: Bool) throws {
        try Golden.check(StatsView.render(Fixtures.kpi, format: .table, style: Self.style(width, color)), Self.name("stats", width, color))
    }

    @Test(arguments: layouts) func scores(width: Int, color: Bool) throws {
        let page = ScoresView.render(Fixtures.snapshots, format: .table, style: Self.style(width, color))
        try Golden.check(page, Self.name("scores", width, color))
    }

    @Test(arguments: layouts) func review(width: Int, color: Bool) throws {
        try Golden.check(ReviewView.render(Fixtures.review, pending: nil, format: .table, style: Self.style(width, color)), Self.name("review", width, color))
    }

    @Test(arguments: layouts) func reviews(width: Int, color: Bool) throws {
        try Golden.check(ReviewsView.render(Fixtures.reviews, pending: [:], format: .table, style: Self.style(width, color)), Self.name("reviews", width, color))
    }

    @Test(arguments: layouts) func goals(width: Int, color: Bool) throws {
        let page = GoalsView.render(Fixtures.goals, pending: Fixtures.pending, today: Fixtures.today, format: .table, style: Self.style(width, color))
        try Golden.check(page, Self.name("goals", width, color))
    }

    @Test(arguments: layouts) func feedback(width: Int, color: Bool) throws {
        try Golden.check(FeedbackView.render(Fixtures.feedback, format: .table, style: Self.style(width, color)), Self.name("feedback", width, color))
    }

    @Test(arguments: layouts) func conflicts(width: Int, color: Bool) throws {
        let page = ConflictsView.render(Fixtures.conflicts, format: .table, style: Self.style(width, color), now: Fixtures.now)
        try Golden.check(page, Self.name("conflicts", width, color))
    }

    @Test(arguments: layouts) func outbox(width: Int, color: Bool) throws {
        try Golden.check(OutboxView.render(Fixtures.outbox, format: .table, style: Self.style(width, color), now: Fixtures.now), Self.name("outbox", width, color))
    }

    @Test func machineFormats() throws {
        let plain = Self.style(80, false)
        try Golden.check(StatsView.render(Fixtures.kpi, format: .csv, style: plain), "stats.csv")
        try Golden.check(ScoresView.render(Fixtures.snapshots, format: .json, style: plain), "scores.json")
        try Golden.check(ReviewView.render(Fixtures.review, pending: nil, format: .json, style: plain), "review.json")
        try Golden.check(GoalsView.render(Fixtures.goals, pending: [:], today: Fixtures.today, format: .csv, style: plain), "goals.csv")
        try Golden.check(ReviewsView.render(Fixtures.reviews, pending: [:], format: .csv, style: plain), "reviews.csv")
        try Golden.check(ConflictsView.render(Fixtures.conflicts, format: .json, style: plain, now: Fixtures.now), "conflicts.json")
        try Golden.check(OutboxView.render(Fixtures.outbox, format: .json, style: plain, now: Fixtures.now), "outbox.json")
    }

    @Test func everyLineFitsTheWidth() {
        for (width, color) in Self.layouts {
            let style = Self.style(width, color)
            let pages = [
                StatsView.render(Fixtures.kpi, format: .table, style: style),
                ScoresView.render(Fixtures.snapshots, format: .table, style: style),
                ReviewView.render(Fixtures.review, pending: nil, format: .table, style: style),
                ReviewsView.render(Fixtures.reviews, pending: [:], format: .table, style: style),
                GoalsView.render(Fixtures.goals, pending: Fixtures.pending, today: Fixtures.today, format: .table, style: style),
                FeedbackView.render(Fixtures.feedback, format: .table, style: style),
                ConflictsView.render(Fixtures.conflicts, format: .table, style: style, now: Fixtures.now),
                OutboxView.render(Fixtures.outbox, format: .table, style: style, now: Fixtures.now),
            ]
            for page in pages {
                for line in page.split(separator: "\n") {
                    #expect(Text.width(String(line)) <= width, "\(width) columns: '\(line)'")
                }
                #expect(page.contains("\u{1B}[") == color, "colour only when on")
            }
        }
    }

    @Test func recommendationsAreSortedByPriorityAndCalloutsMarked() {
        let page = ReviewView.render(Fixtures.review, pending: nil, format: .table, style: Self.style(120, false))
        let high = page.range(of: "HIGH")!.lowerBound, medium = page.range(of: "MEDIUM")!.lowerBound, low = page.range(of: "LOW")!.lowerBound
        #expect(high < medium && medium < low)
        #expect(page.contains("+ Ticket T-1042") && page.contains("! Conversation C-311"))
        #expect(page.contains("not acknowledged yet"))
        var acked = Fixtures.review
        acked.isAcknowledged = true
        acked.acknowledgedAt = "2026-11-17T08:00:00Z"
        #expect(ReviewView.render(acked, pending: nil, format: .table, style: Self.style(80, false)).contains("acknowledged 2026-11-17T08:00:00Z"))
    }

    @Test func scoresShowThePeerFiguresStoredWithTheLatestSnapshot() {
        let style = Self.style(80, false)
        let page = ScoresView.render(Fixtures.snapshots, format: .table, style: style)
        #expect(page.contains("Peer percentile 62.5 · team average 66.4 · team of 7"))
        #expect(page.contains("Team composites  0 ▁▁▁▁▅▅██▅▁ 100  (0 0 0 0 1 1 2 2 1 0)"), "\(page)")
        var hidden = Fixtures.snapshots
        hidden[hidden.count - 1].peer = PeerFigures(hiddenBecause: "fewer than 3 people in your team have scores for 2026-W46; comparison is hidden for privacy")
        let hiddenPage = ScoresView.render(hidden, format: .table, style: style)
        #expect(hiddenPage.contains("Peer comparison hidden: fewer than 3 people"))
        #expect(!hiddenPage.contains("Peer percentile"))
        let json = ScoresView.render(hidden, format: .json, style: style)
        #expect(json.contains(#""peer":{"hidden":true,"reason":"fewer than 3 people"#))
        var legacy = Fixtures.snapshots
        legacy[legacy.count - 1].peer = nil
        #expect(!ScoresView.render(legacy, format: .table, style: style).contains("Peer"))
        #expect(ScoresView.render([], format: .table, style: style).hasPrefix("No scores yet"))
    }

    @Test func goalProgress() {
        let goals = Fixtures.goals
        #expect(GoalsView.progress(goals[0]) == 15 / 22.5)  // lte: target / current
        #expect(GoalsView.progress(goals[1]) == 94.0 / 95)  // gte: current / target
        #expect(GoalsView.progress(goals[2]) == nil)
        #expect(GoalsView.progress(goals[3]) == 1)
    }

    @Test func statsJSONIsTheKPIReport() throws {
        let json = StatsView.render(Fixtures.kpi, format: .json, style: Self.style(80, true))
        #expect(json == String(decoding: try WireJSON.encode(Fixtures.kpi), as: UTF8.self) + "\n")
    }
}
