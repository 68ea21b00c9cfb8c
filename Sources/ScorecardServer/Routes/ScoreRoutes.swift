import Foundation
import Hummingbird
import ScorecardCore

extension Routes {
    mutating func addScoreRoutes() {
        let services = services
        on(.get, "/api/v1/performance/scores") { request, _ in
            let scope = try await services.scope(request)
            let personID = try scope.effectivePerson(request.uri.queryParameters.get("person_id"))
            let period = try request.query("period") { ISOWeek($0)?.description }
            guard let snapshot = try await services.store.snapshot(personID: personID, period: period) else {
                throw APIError(.notFound, "not_found", "No scores for \(personID)\(period.map { " in \($0)" } ?? "") yet; scoring runs weekly.")
            }
            return try .json(snapshot)
        }
        on(.get, "/api/v1/performance/peer-comparison") { request, _ in
            let caller = try await services.authenticate(request)
            let period = try request.query("period") { ISOWeek($0)?.description }
            return try .json(try await PeerComparison.make(for: caller, period: period, store: services.store))
        }
        on(.get, "/api/v1/performance/team-summary") { request, _ in
            let caller = try await services.authenticate(request)
            let period = try request.query("period") { ISOWeek($0)?.description }
            let teams = try await services.store.teams()
            let requested = request.uri.queryParameters.get("team_id")
            let managed = teams.filter { TeamSummary.manages(caller, $0) }
            guard let teamID = requested ?? (managed.count == 1 ? managed[0].id : nil) else {
                throw APIError.invalid("team_id", "name the team (you manage \(managed.count) teams)")
            }
            guard let team = teams.first(where: { $0.id == teamID }) else {
                throw APIError(.notFound, "not_found", "No team with id '\(teamID)'.")
            }
            guard TeamSummary.manages(caller, team) else {
                throw APIError(.forbidden, "forbidden", "Only the team's managers and admins may see team '\(teamID)'.")
            }
            let summary = try await TeamSummary.make(team: team, period: period, store: services.store)
            if request.uri.queryParameters.get("format") == "csv" {
                return Response(
                    status: .ok, headers: [.contentType: "text/csv; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(string: summary.leaderboardCSV())))
            }
            return try .json(summary)
        }
    }
}
