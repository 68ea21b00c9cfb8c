import Foundation
import Hummingbird
import ScorecardCore

extension Routes {
    mutating func addScorecardPages() {
        let services = services
        page(.get, "/agent/my-performance") { request, _ in
            let session = try await services.requireSession(request)
            return try await Routes.scorecard(request, services, session, personID: session.person.id, overlay: Routes.notice(request))
        }
        page(.get, "/admin/performance/agents/{person_id}") { request, context in
            let session = try await services.requireSession(request)
            let personID = try Routes.managedPerson(context, session, request: request, mine: "/agent/my-performance")
            return try await Routes.scorecard(request, services, session, personID: personID, overlay: Routes.notice(request))
        }
        page(.post, "/admin/performance/agents/{person_id}/generate-review") { request, context in
            let (session, form) = try await services.requirePost(request)
            let personID = try context.parameters.require("person_id")
            guard session.scope.contains(personID) else { throw PageError.notFound() }
            do {
                let review = try await services.reviews.generate(personID: personID, period: form.text("period"), scope: session.scope, force: false)
                return PageRedirect("/admin/performance/reviews/\(PageRedirect.escape(review.id))?generated=1").response
            } catch let refusal as ReviewRefusal {
                var overlay = ScorecardOverlay(alert: "No review was written: " + refusal.message + ".")
                overlay.status = refusal.code == .coachFailed ? .badGateway : .tooManyRequests
                var response = try await Routes.scorecard(request, services, session, personID: personID, overlay: overlay)
                if let wait = refusal.retryAfter { response.headers[.retryAfter] = String(wait) }
                return response
            } catch let error as StoreError where error.code == .notFound || error.code == .forbidden || error.code == .invalid {
                let overlay = ScorecardOverlay(alert: "No review was written: " + error.message + ".", status: error.code == .forbidden ? .forbidden : .unprocessableContent)
                return try await Routes.scorecard(request, services, session, personID: personID, overlay: overlay)
            }
        }
    }

    /// The `person_id` of an admin page, when the caller manages them; the caller's own id
    /// redirects to their own page (`mine`); anyone else is 404.
    static func managedPerson(_ context: ScorecardContext, _ session: WebSession, request: Request, mine: String) throws -> String {
        let personID = try context.parameters.require("person_id")
        if personID == session.person.id {
            let query = request.uri.query.map { "?" + $0 } ?? ""
            throw PageRedirect(mine + query)
        }
        guard session.scope.contains(personID) else { throw PageError.notFound() }
        return personID
    }

    /// A notice named by the query after a redirect (`?notice=goal-saved`).
    static func notice(_ request: Request) -> ScorecardOverlay {
        let texts = [
            "goal-created": "Goal created.", "goal-saved": "Goal saved.", "goal-canceled": "Goal canceled.",
        ]
        return ScorecardOverlay(notice: request.uri.queryParameters.get("notice").flatMap { texts[String($0)] })
    }

    /// Renders a scorecard: the agent detail page, or My scorecard when it is the caller's own.
    static func scorecard(
        _ request: Request, _ services: ServerServices, _ session: WebSession, personID: String, overlay: ScorecardOverlay
    ) async throws -> Response {
        let store = services.store
        guard let person = try await store.person(id: personID) else { throw PageError.notFound() }
        let isSelf = personID == session.person.id
        let requested = try Routes.week(request)
        let snapshot = try await store.snapshot(personID: personID, period: requested?.description)
        let latest = try await store.latestScoredPeriod().flatMap(ISOWeek.init)
        let week = snapshot.flatMap { ISOWeek($0.period) } ?? requested ?? latest ?? ISOWeek(containing: DateRange.today())
        async let history = ScoreHistory.make(people: [person], to: week, weeks: 12, store: store)
        async let goals = store.goals(personID: personID)
        async let reviews = store.reviews(personID: personID, limit: 20)
        async let settings = store.settings()
        async let teams = store.teams()
        let peer = isSelf ? try await PeerComparison.make(for: person, period: snapshot?.period, store: store) : nil
        let teamName = try await teams.first { $0.id == person.teamID }?.name
        let input = ScorecardView.Inputs(
            person: person, teamName: teamName, snapshot: snapshot, history: try await history, goals: try await goals,
            reviews: try await reviews, threshold: try await settings.double("flagged_threshold"), peer: peer, isSelf: isSelf,
            canGenerate: !isSelf && (session.person.role == .admin || session.scope.contains(personID)), today: DateRange.today())
        let view = ScorecardView.make(input, session: session, overlay: overlay)
        let title = isSelf ? "My scorecard" : person.name
        return WebPage.render("scorecard", view, chrome: Chrome(title: title, session: session, section: isSelf ? .mine : .team), status: overlay.status)
    }

    /// The `period` query value as an ISO week; 422 for anything else.
    static func week(_ request: Request) throws -> ISOWeek? {
        guard let text = request.uri.queryParameters.get("period"), !text.isEmpty else { return nil }
        guard let week = ISOWeek(text) else {
            throw PageError(status: .unprocessableContent, title: "Unknown week", message: "'\(text)' is not an ISO week like 2026-W46.")
        }
        return week
    }
}
