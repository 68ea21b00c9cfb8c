import Foundation
import Hummingbird
import ScorecardCore

extension Routes {
    mutating func addFeedbackPages() {
        let services = services
        page(.get, "/admin/performance/feedback") { request, _ in
            let session = try await services.requireSession(request)
            let logged = request.uri.queryParameters.get("logged").map { "Feedback logged for \($0); it is in their feed now." }
            return try await Routes.feedbackPage(request, services, session, form: nil, notice: logged, error: nil, status: .ok)
        }
        page(.post, "/admin/performance/feedback") { request, _ in
            let (session, form) = try await services.requirePost(request)
            let (team, _) = try await Routes.pageTeam(request, services, session)
            let personID = form.text("person_id") ?? ""
            guard team.members.contains(where: { $0.personID == personID && $0.active }) else {
                return try await Routes.feedbackPage(request, services, session, form: form, notice: nil, error: "Choose a member of \(team.name).", status: .unprocessableContent)
            }
            let rating = form.text("rating").flatMap { Int($0) }
            let draft = FeedbackService.Draft(
                personID: personID, feedbackType: form["feedback_type"] ?? "", feedback: form["feedback"] ?? "", rating: rating, context: form["context"])
            do {
                _ = try await FeedbackService.log(draft, scope: session.scope, store: services.store)
            } catch let error as StoreError where error.code == .invalid || error.code == .forbidden {
                return try await Routes.feedbackPage(
                    request, services, session, form: form, notice: nil, error: error.message, status: error.code == .forbidden ? .forbidden : .unprocessableContent)
            }
            let query = request.uri.query.map { $0 + "&" } ?? ""
            return PageRedirect("/admin/performance/feedback?\(query)logged=\(PageRedirect.escape(personID))").response
        }
    }

    /// The team a team page is about: `team_id` when the caller manages it (404 otherwise), else
    /// their first managed team; 403 for people who manage none. Also every team they manage.
    static func pageTeam(_ request: Request, _ services: ServerServices, _ session: WebSession) async throws -> (Team, [Team]) {
        let managed = TeamAccess.managedTeams(of: session.person, in: try await services.store.teams())
        guard let first = managed.first else {
            throw PageError.forbidden("Team pages are for team managers and admins; your own figures are under My scorecard.")
        }
        guard let requested = request.uri.queryParameters.get("team_id"), !requested.isEmpty else { return (first, managed) }
        guard let team = managed.first(where: { $0.id == requested }) else { throw PageError.notFound() }
        return (team, managed)
    }

    static func feedbackPage(
        _ request: Request, _ services: ServerServices, _ session: WebSession, form: FormBody?, notice: String?, error: String?, status: HTTPResponse.Status
    ) async throws -> Response {
        let (team, teams) = try await pageTeam(request, services, session)
        let query = request.uri.queryParameters
        let to = query.get("to").flatMap { CivilDate($0) } ?? DateRange.today()
        let from = query.get("from").flatMap { CivilDate($0) } ?? to.adding(days: -27)
        let summary: FeedbackSummary
        do {
            summary = try await FeedbackSummary.make(team: team, from: from, to: to, store: services.store)
        } catch let e as StoreError where e.code == .invalid {
            throw PageError(status: .unprocessableContent, title: "Check the dates", message: e.message)
        }
        let view = FeedbackView.make(summary: summary, team: team, teams: teams, session: session, form: form, notice: notice, error: error)
        return WebPage.render("feedback", view, chrome: Chrome(title: "Feedback · \(team.name)", session: session, section: .feedback), status: status)
    }
}
