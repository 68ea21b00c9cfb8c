import Foundation
import Hummingbird
import ScorecardCore

extension Routes {
    mutating func addTeamPages() {
        let services = services
        page(.get, "/admin/performance/team") { request, _ in
            let session = try await services.requireSession(request)
            let (team, teams) = try await Routes.pageTeam(request, services, session)
            let query = request.uri.queryParameters
            guard let choice = PeriodChoice.parse(period: query.get("period").map { String($0) }, week: query.get("week").map { String($0) }, today: DateRange.today()) else {
                throw PageError(status: .unprocessableContent, title: "Unknown period", message: "Choose a period from the list, or a week like 2026-W46.")
            }
            let summary = try await TeamSummary.make(team: team, period: choice.period?.description, store: services.store)
            if query.get("format") == "csv" {
                var response = Response(
                    status: .ok, headers: [.contentType: "text/csv; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: summary.leaderboardCSV())))
                response.headers[.contentDisposition] = "attachment; filename=\"leaderboard-\(team.id)-\(summary.period ?? "none").csv\""
                return response
            }
            let members = try await Routes.activeMembers(of: team, store: services.store)
            let last = summary.period.flatMap(ReportPeriod.init)?.weeks.last ?? choice.period?.weeks.last ?? ISOWeek(containing: DateRange.today())
            async let history = ScoreHistory.make(people: members, to: last, weeks: 12, store: services.store)
            async let settings = services.store.settings()
            let view = TeamOverviewView.make(
                team: team, teams: teams, choice: choice, summary: summary, history: try await history,
                threshold: try await settings.double("flagged_threshold"), session: session)
            return WebPage.render("team", view, chrome: Chrome(title: "Team · \(team.name)", session: session, section: .team))
        }
    }
}
