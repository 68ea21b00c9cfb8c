import Foundation
import Hummingbird
import ScorecardCore

extension Routes {
    mutating func addCallsPages() {
        let services = services
        page(.get, "/agent/my-performance/calls") { request, _ in
            let session = try await services.requireSession(request)
            return try await Routes.callsPage(request, services, session, personID: session.person.id)
        }
        page(.get, "/admin/performance/agents/{person_id}/calls") { request, context in
            let session = try await services.requireSession(request)
            let personID = try Routes.managedPerson(context, session, request: request, mine: "/agent/my-performance/calls")
            return try await Routes.callsPage(request, services, session, personID: personID)
        }
    }

    /// `period=today|yesterday|week|month|FROM..TO`, or `from`/`to` dates (the form's "Dates"); this week by default.
    static func callsRange(_ request: Request, today: CivilDate) throws -> (DateRange, String) {
        let query = request.uri.queryParameters
        let period = query.get("period").map { String($0) } ?? ""
        if period.isEmpty || period == "custom" {
            if let from = query.get("from").flatMap({ CivilDate($0) }), let to = query.get("to").flatMap({ CivilDate($0) }) {
                guard from <= to else { throw PageError(status: .unprocessableContent, title: "Check the dates", message: "'From' must not be after 'To'.") }
                return (DateRange(from: from, to: to), "custom")
            }
            if period.isEmpty { return (DateRange.parse("week", today: today)!, "week") }
        }
        guard let range = DateRange.parse(period, today: today) else {
            throw PageError(status: .unprocessableContent, title: "Unknown period", message: "Use today, yesterday, week, month or FROM..TO (YYYY-MM-DD..YYYY-MM-DD).")
        }
        return (range, DateRange.words.contains(period.lowercased()) ? period.lowercased() : "custom")
    }

    static func callsPage(_ request: Request, _ services: ServerServices, _ session: WebSession, personID: String) async throws -> Response {
        guard let person = try await services.store.person(id: personID) else { throw PageError.notFound() }
        let (range, selected) = try callsRange(request, today: DateRange.today())
        guard range.to.daysSinceEpoch - range.from.daysSinceEpoch < Routes.maxKPIRangeDays else {
            throw PageError(status: .unprocessableContent, title: "Range too long", message: "Pick at most \(Routes.maxKPIRangeDays) days.")
        }
        let report = try await KPIs.report(personID: personID, from: range.from, to: range.to, store: services.store)
        let isSelf = personID == session.person.id
        let action = isSelf ? "/agent/my-performance/calls" : "/admin/performance/agents/\(PageRedirect.escape(personID))/calls"
        let view = CallsView.make(report: report, person: person, isSelf: isSelf, selected: selected, action: action)
        return WebPage.render("calls", view, chrome: Chrome(title: view.title, session: session, section: isSelf ? .calls : .team))
    }
}
