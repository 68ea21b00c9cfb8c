import ScorecardCore

/// The team overview page's context (seed 002's team_overview.html).
struct TeamOverviewView {
    struct Card {
        var key: String
        var label: String
        var value: String
        var note: String
        var valueClass: String
        var href: String?
    }

    struct Row {
        var rank: Int
        var personID: String
        var name: String
        var href: String
        var score: String
        var scoreClass: String
        var scoreWords: String
        var change: String
        var changeClass: String
        var spark: String
        var bars: String
        var generateAction: String
    }

    struct Bucket {
        var label: String
        var count: Int
    }

    struct Improved {
        var name: String
        var href: String
        var change: String
        var score: String
    }

    var teams: [PeriodChoice.Option]
    var teamName: String
    var teamID: String
    var periods: [PeriodChoice.Option]
    var week: String
    var periodLabel: String
    var csvHref: String
    var feedbackHref: String
    var scoredNote: String
    var cards: [Card]
    var threshold: String
    var rows: [Row]
    var hasRows: Bool
    var csrf: String
    var histogram: String
    var buckets: [Bucket]
    var mostImproved: Improved?
    var sla: String
    var slaNote: String
    var notice: String?
    var error: String?

    /// Builds the view from the team summary and the members' score history.
    static func make(
        team: Team, teams: [Team], choice: PeriodChoice, summary: TeamSummary, history: ScoreHistory, threshold: Double, session: WebSession,
        notice: String? = nil, error: String? = nil
    ) -> TeamOverviewView {
        let weekLabels = history.weeks.map { String($0.suffix(3)) }
        let rows = summary.leaderboard.map { row -> Row in
            let series = history.series(row.personID)
            let spark = Sparkline(points: zip(weekLabels, series?.composite ?? []).map { ($0, $1) }).svg
            let bars = MiniBars(values: Domain.allCases.map { (Format.domain($0), row.domainScores[$0.rawValue]) }).svg
            return Row(
                rank: row.rank, personID: row.personID, name: row.name, href: "/admin/performance/agents/\(PageRedirect.escape(row.personID))",
                score: Format.score(row.compositeScore), scoreClass: Format.scoreClass(row.compositeScore, threshold: threshold),
                scoreWords: Format.scoreWords(row.compositeScore, threshold: threshold), change: Format.change(row.change),
                changeClass: Format.changeClass(row.change), spark: spark, bars: bars,
                generateAction: "/admin/performance/agents/\(PageRedirect.escape(row.personID))/generate-review")
        }
        var counts = Array(repeating: 0, count: 10)
        for row in summary.leaderboard { counts[min(9, max(0, Int(row.compositeScore / 10)))] += 1 }
        let buckets = counts.enumerated().map { Bucket(label: "\($0.offset * 10)–\($0.offset * 10 + 10)", count: $0.element) }
        let top = summary.topPerformer
        let cards = [
            Card(key: "average", label: "Team average", value: Format.score(summary.averageComposite), note: "\(summary.membersScored) of \(summary.members) members scored",
                 valueClass: Format.scoreClass(summary.averageComposite, threshold: threshold), href: nil),
            Card(key: "top", label: "Top performer", value: top?.name ?? "—", note: top.map { "Composite \(Format.score($0.compositeScore))" } ?? "Nobody scored yet",
                 valueClass: "text", href: top.map { "/admin/performance/agents/\(PageRedirect.escape($0.personID))" }),
            Card(key: "coaching", label: "Needs coaching", value: String(summary.needsCoaching), note: "Composite below \(Format.score(threshold))",
                 valueClass: "", href: nil),
            Card(key: "reviews", label: "Reviews generated", value: String(summary.reviewsGenerated), note: "Members with a review for the period", valueClass: "", href: nil),
        ]
        let period = summary.period.flatMap(ReportPeriod.init)
        return TeamOverviewView(
            teams: teams.map { PeriodChoice.Option(value: $0.id, label: $0.name, selected: $0.id == team.id) },
            teamName: team.name, teamID: team.id, periods: choice.options, week: choice.week,
            periodLabel: period.map(Format.period) ?? "No week has been scored yet",
            csvHref: "/admin/performance/team?team_id=\(PageRedirect.escape(team.id))\(summary.period.map { "&period=\($0)" } ?? "")&format=csv",
            feedbackHref: "/admin/performance/feedback?team_id=\(PageRedirect.escape(team.id))",
            scoredNote: "\(summary.membersScored) of \(summary.members) members scored", cards: cards, threshold: Format.score(threshold),
            rows: rows, hasRows: !rows.isEmpty, csrf: session.csrf,
            histogram: Histogram(buckets: buckets.map { ($0.label, $0.count) }, highlight: nil, unit: "members", title: "Composite score distribution").svg,
            buckets: buckets,
            mostImproved: summary.mostImproved.map {
                Improved(name: $0.name, href: "/admin/performance/agents/\(PageRedirect.escape($0.personID))", change: Format.change($0.change), score: Format.score($0.compositeScore))
            },
            sla: Format.percent(summary.slaCompliance),
            slaNote: summary.slaCompliance == nil ? "No tickets with an SLA were resolved in the period" : "Tickets resolved within SLA",
            notice: notice, error: error)
    }
}
