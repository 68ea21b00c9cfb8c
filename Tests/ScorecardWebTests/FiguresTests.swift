import Foundation
import ScorecardCore
import ScorecardServer
import ScorecardTesting
import Testing

/// The figures on the pages equal the API's for the same period: the pages read through the
/// same services, so any difference is a bug in one of them.
@Suite("Web figures equal the API's")
struct FiguresTests {
    @Test(arguments: TestBackend.all)
    func teamOverviewMatchesTheTeamSummary(backend: TestBackend) async throws {
        try await withWebServer(backend: backend) { server in
            try await WebSeed.seed(server)
            let token = try await server.login("mgrA")
            let browser = try await server.browser("mgrA")
            for (query, period) in [("", "2026-W40"), ("&period=2026-W39", "2026-W39"), ("&period=2026-09", "2026-09")] {
                let api = try await server.api("/api/v1/performance/team-summary?team_id=A\(query.isEmpty ? "" : query)", token: token, as: TeamSummary.self)
                #expect(api.period == period)
                let page = try await browser.get("/admin/performance/team?team_id=A\(query)")
                #expect(page.status == 200, "\(query)")
                let rows = WebClient.allMatches(#"<tr data-person="([^"]+)" data-composite="[^"]+">"#, in: page.text)
                #expect(rows == api.leaderboard.map(\.personID), "\(query): leaderboard order")
                for row in api.leaderboard {
                    let shown = WebClient.firstMatch(#"data-person="\#(row.personID)" data-composite="([^"]+)""#, in: page.text)
                    #expect(shown.flatMap(Double.init) == row.compositeScore, "\(query) \(row.personID)")
                }
                let average = WebClient.firstMatch(#"data-card="average">\s*<div class="label">[^<]*</div>\s*<div class="value[^"]*">([^<]+)<"#, in: page.text)
                #expect(average.flatMap(Double.init) == api.averageComposite, "\(query) average")
                let coaching = WebClient.firstMatch(#"data-card="coaching">\s*<div class="label">[^<]*</div>\s*<div class="value[^"]*">([^<]+)<"#, in: page.text)
                #expect(coaching == String(api.needsCoaching))
                let reviews = WebClient.firstMatch(#"data-card="reviews">\s*<div class="label">[^<]*</div>\s*<div class="value[^"]*">([^<]+)<"#, in: page.text)
                #expect(reviews == String(api.reviewsGenerated))
                let sla = WebClient.firstMatch(#"data-sla="([^"]+)""#, in: page.text)
                #expect(sla == api.slaCompliance.map { SVGNumber.one($0) + "%" } ?? "—", "\(query) SLA")
                if let improved = api.mostImproved {
                    #expect(page.text.contains("Most improved</dt>\n      <dd><a href=\"/admin/performance/agents/\(improved.personID)\">"))
                }
            }
        }
    }

    @Test func csvExportIsTheAPIsCSV() async throws {
        try await withWebServer { server in
            try await WebSeed.seed(server)
            let token = try await server.login("mgrA")
            let api = try await server.request("GET", "/api/v1/performance/team-summary?team_id=A&period=2026-W40&format=csv", token: token)
            let browser = try await server.browser("mgrA")
            let page = try await browser.get("/admin/performance/team?team_id=A&period=2026-W40&format=csv")
            #expect(page.status == 200)
            #expect(page.header("Content-Type") == "text/csv; charset=utf-8")
            #expect(page.header("Content-Disposition") == #"attachment; filename="leaderboard-A-2026-W40.csv""#)
            #expect(page.text == api.text)
            let lines = page.text.split(separator: "\n")
            #expect(lines.first == "rank,person_id,name,composite_score,previous_score,change,support,operations,field_service,communication,sales,data_quality")
            #expect(lines.count == 1 + 4, "a1, a2, a3, lead1")
            #expect(lines[1].hasPrefix("1,a1,Person a1,70,20,50,70,"))
        }
    }

    @Test(arguments: TestBackend.all)
    func scorecardMatchesScoresHistoryAndPeers(backend: TestBackend) async throws {
        try await withWebServer(backend: backend) { server in
            try await WebSeed.seed(server)
            let token = try await server.login("a1")
            let history = try await server.api("/api/v1/performance/score-history?weeks=12", token: token, as: ScoreHistory.self)
            #expect(history.to == "2026-W40")
            #expect(history.weeks.count == 12)
            #expect(history.people.first?.composite.suffix(2) == [20, 70])
            let snapshot = try await server.api("/api/v1/performance/scores?period=2026-W40", token: token, as: Snapshot.self)
            let peers = try await server.api("/api/v1/performance/peer-comparison", token: token, as: PeerComparison.self)
            let browser = try await server.browser("a1")
            let page = try await browser.get("/agent/my-performance")
            #expect(page.status == 200)
            for (week, score) in zip(history.weeks, history.people[0].composite) {
                let shown = WebClient.firstMatch(#"<tr data-week="\#(week)"><td>[^<]+</td><td class="num">([^<]+)</td>"#, in: page.text)
                #expect(shown == (score.map { $0.formatted2 } ?? "—"), "\(week)")
            }
            for domain in Domain.allCases {
                let shown = WebClient.firstMatch(#"data-domain="\#(domain.rawValue)" data-raw="([^"]+)""#, in: page.text)
                #expect(shown == (snapshot.domainScores[domain.rawValue].map { $0.formatted2 } ?? "—"), "\(domain)")
            }
            #expect(peers.available)
            let percentile = WebClient.firstMatch(#"data-percentile="([^"]+)""#, in: page.text)
            #expect(percentile == peers.percentile.map { SVGNumber.one($0) + "%" })
            let average = WebClient.firstMatch(#"data-team-average="([^"]+)""#, in: page.text)
            #expect(average == peers.teamAverage?.formatted2)

            // A manager sees the same scorecard of a1, without the peer comparison.
            let manager = try await server.browser("mgrA")
            let detail = try await manager.get("/admin/performance/agents/a1")
            #expect(detail.status == 200)
            #expect(detail.text.contains(#"data-domain="support" data-raw="70""#))
            #expect(!detail.text.contains("data-percentile"))
            #expect(detail.text.contains("Generate review"))
        }
    }

    @Test func peerComparisonIsHiddenBelowTheMinimumTeamSize() async throws {
        try await withWebServer { server in
            try await WebSeed.seed(server)
            let browser = try await server.browser("b1")
            let page = try await browser.get("/agent/my-performance")
            #expect(page.text.contains("data-peer-hidden"))
            #expect(page.text.contains("fewer than 3 people in your team have scores for 2026-W40"))
        }
    }

    @Test func callsPageMatchesTheKPIEndpoint() async throws {
        try await withWebServer { server in
            try await WebSeed.seed(server)
            let token = try await server.login("mgrA")
            let report = try await server.api("/api/v1/performance/kpis?from=2026-09-28&to=2026-10-04&person_id=a1", token: token, as: KPIReport.self)
            #expect(report.calls.total == 12)
            let browser = try await server.browser("mgrA")
            for path in ["/admin/performance/agents/a1/calls?period=2026-09-28..2026-10-04", "/admin/performance/agents/a1/calls?period=custom&from=2026-09-28&to=2026-10-04"] {
                let page = try await browser.get(path)
                #expect(page.status == 200, "\(path)")
                func kpi(_ key: String) -> String? {
                    WebClient.firstMatch(#"data-kpi="\#(key)"><div class="label">[^<]*</div><div class="value">([^<]+)<"#, in: page.text)
                }
                #expect(kpi("total") == String(report.calls.total))
                #expect(kpi("answered") == String(report.calls.answered))
                #expect(kpi("appointments") == String(report.appointmentsBooked))
                #expect(kpi("conversion") == SVGNumber.one(report.conversionRate) + "%")
                #expect(kpi("login") == "16:00:00")
                for day in report.daily {
                    let row = WebClient.firstMatch(#"<tr data-day="\#(day.date)">(.*?)</tr>"#, in: page.text)
                    let cells = WebClient.allMatches(#"<td class="num">([0-9]+)</td>"#, in: row ?? "")
                    #expect(cells == [day.inbound, day.outbound, day.answered, day.missed, day.total].map(String.init), "\(day.date)")
                }
                for (name, count) in report.dispositions {
                    #expect(page.text.contains("\(name) · \(count) ("), "\(name)")
                }
            }
        }
    }

    @Test(arguments: TestBackend.all)
    func feedbackDashboardMatchesTheFeedbackSummary(backend: TestBackend) async throws {
        try await withWebServer(backend: backend) { server in
            try await WebSeed.seed(server)
            let token = try await server.login("mgrA")
            let range = "from=2026-09-28&to=2026-10-04"
            let api = try await server.api("/api/v1/performance/feedback-summary?team_id=A&\(range)", token: token, as: FeedbackSummary.self)
            let a1 = try #require(api.members.first { $0.personID == "a1" })
            #expect(a1.entries == 3)
            #expect(a1.correctionRate == 33.3)
            #expect(a1.approvalRate == 33.3)
            #expect(a1.innovationCount == 1)
            #expect(api.mostImproved?.personID == "a1", "approval 0% → 33.3% against the week before")
            #expect(api.slaWeeks.map(\.period) == ["2026-W40"])
            let browser = try await server.browser("mgrA")
            let page = try await browser.get("/admin/performance/feedback?team_id=A&\(range)")
            #expect(page.status == 200)
            for m in api.members {
                let row = WebClient.firstMatch(#"(<tr data-person="\#(m.personID)"[^>]*>)"#, in: page.text) ?? ""
                #expect(row.contains(#"data-correction="\#(m.correctionRate.map { SVGNumber.one($0) + "%" } ?? "—")""#), "\(m.personID): \(row)")
                #expect(row.contains(#"data-approval="\#(m.approvalRate.map { SVGNumber.one($0) + "%" } ?? "—")""#), "\(m.personID)")
                #expect(row.contains(#"data-innovations="\#(m.innovationCount)""#), "\(m.personID)")
            }
            let week = try #require(api.slaWeeks.first)
            #expect(page.text.contains(#"<tr data-week="2026-W40" data-below="\#(week.belowTarget)">"#))
        }
    }
}

/// Numbers as the pages write percentages: one decimal at most, no trailing zeros.
enum SVGNumber {
    static func one(_ value: Double) -> String {
        let r = (value * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }
}
