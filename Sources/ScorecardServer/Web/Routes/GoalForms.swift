import Foundation
import Hummingbird
import ScorecardCore

extension Routes {
    /// The goal forms of both scorecards: create, edit (carrying the goal's version; a stale edit
    /// shows what changed instead of saving), cancel. The agent's own under `/agent/my-performance`,
    /// a manager's for a member under `/admin/performance/agents/{person_id}`.
    mutating func addGoalForms() {
        let services = services
        for prefix in ["/agent/my-performance", "/admin/performance/agents/{person_id}"] {
            page(.post, prefix + "/goals") { request, context in
                let (session, form) = try await services.requirePost(request)
                let personID = try Routes.goalOwner(context, session)
                return try await Routes.createGoal(request, services, session, personID: personID, form: form)
            }
            page(.post, prefix + "/goals/{goal_id}") { request, context in
                let (session, form) = try await services.requirePost(request)
                let personID = try Routes.goalOwner(context, session)
                return try await Routes.editGoal(request, context, services, session, personID: personID, form: form, cancel: false)
            }
            page(.post, prefix + "/goals/{goal_id}/cancel") { request, context in
                let (session, form) = try await services.requirePost(request)
                let personID = try Routes.goalOwner(context, session)
                return try await Routes.editGoal(request, context, services, session, personID: personID, form: form, cancel: true)
            }
        }
    }

    /// Whose goals a form is about: the caller on their own page, else a person they manage (404 otherwise).
    static func goalOwner(_ context: ScorecardContext, _ session: WebSession) throws -> String {
        guard let personID = context.parameters.get("person_id") else { return session.person.id }
        guard session.scope.contains(personID) else { throw PageError.notFound() }
        return personID
    }

    static func goalPage(_ session: WebSession, _ personID: String) -> String {
        personID == session.person.id ? "/agent/my-performance" : "/admin/performance/agents/\(PageRedirect.escape(personID))"
    }

    static func createGoal(_ request: Request, _ services: ServerServices, _ session: WebSession, personID: String, form: FormBody) async throws -> Response {
        do {
            guard let target = Double(form.text("target_value") ?? "") else { throw StoreError(.invalid, "target_value: enter a number, e.g. 85 or 12.5") }
            let draft = GoalRules.Draft(
                personID: personID, domain: form["domain"] ?? "", metricKey: form["metric_key"] ?? "", label: form["label"] ?? "",
                targetValue: target, comparison: form["comparison"] ?? "", deadline: form["deadline"] ?? "")
            _ = try await services.goals.create(draft, scope: session.scope)
            return PageRedirect(goalPage(session, personID) + "?notice=goal-created#goals").response
        } catch let error as StoreError where error.code == .invalid || error.code == .conflict {
            let overlay = ScorecardOverlay(status: .unprocessableContent, goalID: "", goalError: error.message, form: form)
            return try await scorecard(request, services, session, personID: personID, overlay: overlay)
        }
    }

    static func editGoal(
        _ request: Request, _ context: ScorecardContext, _ services: ServerServices, _ session: WebSession, personID: String, form: FormBody, cancel: Bool
    ) async throws -> Response {
        let goalID = try context.parameters.require("goal_id")
        let goal = try await services.goals.visibleGoal(id: goalID, scope: session.scope)
        guard goal.personID == personID else { throw PageError.notFound() }
        guard let version = Int(form.text("version") ?? "") else { throw StoreError(.invalid, "version: the form carries no goal version; reload the page") }
        do {
            let fields = cancel ? ["status": JSONValue.string("canceled")] : try Routes.goalChanges(form)
            _ = try await services.goals.update(id: goalID, expectedVersion: version, fields: fields, scope: session.scope)
            return PageRedirect(goalPage(session, personID) + "?notice=\(cancel ? "goal-canceled" : "goal-saved")#goals").response
        } catch let mismatch as VersionMismatch<Goal> {
            let overlay = ScorecardOverlay(
                status: .conflict, goalID: goalID, goalError: nil, form: cancel ? nil : form,
                conflict: Routes.conflict(current: mismatch.current, form: form, cancel: cancel))
            return try await scorecard(request, services, session, personID: personID, overlay: overlay)
        } catch let error as StoreError where error.code == .invalid {
            let overlay = ScorecardOverlay(status: .unprocessableContent, goalID: goalID, goalError: error.message, form: form)
            return try await scorecard(request, services, session, personID: personID, overlay: overlay)
        }
    }

    /// The goal fields a form changes against the values it was opened with (`base_*`).
    static func goalChanges(_ form: FormBody) throws -> [String: JSONValue] {
        var fields: [String: JSONValue] = [:]
        for name in ["label", "comparison", "deadline", "domain", "metric_key"] {
            if let value = form[name], value != form["base_" + name] { fields[name] = .string(value) }
        }
        if let text = form.text("target_value"), text != form["base_target_value"] {
            guard let number = Double(text) else { throw StoreError(.invalid, "target_value: enter a number, e.g. 85 or 12.5") }
            fields["target_value"] = .number(number)
        }
        return fields
    }

    /// What changed between the goal the form was opened on and the goal now, next to the edit.
    static func conflict(current: Goal, form: FormBody, cancel: Bool) -> GoalsView.Conflict {
        let now: [String: String] = [
            "label": current.label, "target_value": SVG.number(current.targetValue, places: 4), "comparison": current.comparison.rawValue,
            "deadline": current.deadline, "domain": current.domain.rawValue, "metric_key": current.metricKey, "status": current.status.rawValue,
        ]
        var changes: [GoalsView.Conflict.Change] = []
        for name in ["label", "target_value", "comparison", "deadline", "domain", "metric_key"] {
            let opened = form["base_" + name] ?? now[name]!
            let value = now[name]!
            let yours = cancel ? opened : (form[name] ?? opened)
            if opened != value || (yours != opened && !cancel) {
                changes.append(.init(field: Format.metric(name), opened: opened, now: value, yours: yours == opened ? "(unchanged)" : yours))
            }
        }
        if current.status != .active || cancel {
            changes.append(.init(field: "Status", opened: "active", now: current.status.rawValue, yours: cancel ? "canceled" : "(unchanged)"))
        }
        return GoalsView.Conflict(label: current.label, version: current.version, changes: changes)
    }
}
