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
        on(.get, "/api/v1/performance/score-history") { request, _ in
            let scope = try await services.scope(request)
            let weeks = try request.query("weeks") { Int($0).flatMap { (1...ScoreHistory.maxWeeks).contains($0) ? $0 : nil } } ?? 12
            let requestedTo = try request.query("to") { ISOWeek($0) }
            let people: [Person]
            if let teamID = request.uri.queryParameters.get("team_id") {
                let teams = try await services.store.teams()
                let team = try TeamAccess.resolve(teamID, for: scope.caller, in: teams)
                people = try await Routes.activeMembers(of: team, store: services.store)
            } else {
                let personID = try scope.effectivePerson(request.uri.queryParameters.get("person_id"))
                guard let person = try await services.store.person(id: personID) else {
                    throw APIError(.notFound, "not_found", "No person '\(personID)'.")
                }
                people = [person]
            }
            let latest = try await services.store.latestScoredPeriod().flatMap(ISOWeek.init)
            let to = requestedTo ?? latest ?? ISOWeek(containing: DateRange.today())
            return try .json(try await ScoreHistory.make(people: people, to: to, weeks: weeks, store: services.store))
        }
        on(.get, "/api/v1/performance/peer-comparison") { request, _ in
            let caller = try await services.authenticate(request)
            let period = try request.query("period") { ISOWeek($0)?.description }
            return try .json(try await PeerComparison.make(for: caller, period: period, store: services.store))
        }
        on(.get, "/api/v1/performance/team-summary") { request, _ in
            let caller = try await services.authenticate(request)
            let period = try request.query("period") { ReportPeriod($0)?.description }
            let team = try TeamAccess.resolve(request.uri.queryParameters.get("team_id"), for: caller, in: try await services.store.teams())
            let summary = try await TeamSummary.make(team: team, period: period, store: services.store)
            if request.uri.queryParameters.get("format") == "csv" {
                return Response(
                    status: .ok, headers: [.contentType: "text/csv; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(string: summary.leaderboardCSV())))
            }
            return try .json(summary)
        }
        on(.get, "/api/v1/performance/feedback-summary") { request, _ in
            let caller = try await services.authenticate(request)
            let team = try TeamAccess.resolve(request.uri.queryParameters.get("team_id"), for: caller, in: try await services.store.teams())
            let today = DateRange.today()
            let to = try request.query("to") { CivilDate($0) } ?? today
            let from = try request.query("from") { CivilDate($0) } ?? to.adding(days: -27)
            return try .json(try await FeedbackSummary.make(team: team, from: from, to: to, store: services.store))
        }
        on(.post, "/api/v1/performance/feedback") { request, _ in
            let scope = try await services.scope(request)
            let draft = try await request.decode(FeedbackService.Draft.self, limit: 64 << 10)
            return try .json(try await FeedbackService.log(draft, scope: scope, store: services.store), status: .created)
        }
    }

    /// The active members of `team` who are active people, sorted by id.
    static func activeMembers(of team: Team, store: any ServerStore) async throws -> [Person] {
        let people = Dictionary(uniqueKeysWithValues: try await store.people().map { ($0.id, $0) })
        return team.members.filter(\.active).compactMap { people[$0.personID] }.filter(\.active).sorted { $0.id < $1.id }
    }
}
