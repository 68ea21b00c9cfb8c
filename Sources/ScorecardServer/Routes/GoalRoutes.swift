import Foundation
import Hummingbird
import ScorecardCore

extension Routes {
    mutating func addGoalRoutes() {
        let services = services
        on(.get, "/api/v1/performance/goals") { request, _ in
            let scope = try await services.scope(request)
            let personID = try scope.effectivePerson(request.uri.queryParameters.get("person_id"))
            return try .json(["goals": try await services.store.goals(personID: personID)])
        }
        on(.post, "/api/v1/performance/goals") { request, _ in
            let scope = try await services.scope(request)
            let draft = try await request.decode(GoalRules.Draft.self, limit: 64 << 10)
            let personID = try scope.effectivePerson(draft.personID)
            guard try await services.store.person(id: personID)?.active == true else {
                throw APIError(.notFound, "not_found", "No active person '\(personID)' to set a goal for.")
            }
            let goal = try GoalRules.create(draft, personID: personID, createdBy: scope.caller.id, today: DateRange.today(), now: Timestamp.now())
            try await services.store.createGoal(goal)
            return try Routes.goalResponse(goal, status: .created)
        }
        on(.patch, "/api/v1/performance/goals/{id}") { request, context in
            let scope = try await services.scope(request)
            let id = try context.parameters.require("id")
            guard let existing = try await services.store.goal(id: id), scope.contains(existing.personID) else {
                throw APIError(.notFound, "not_found", "No goal with id '\(id)' that you may see.")
            }
            guard let ifMatch = request.headers[.ifMatch] else {
                throw APIError(.preconditionRequired, "precondition_required", "Send If-Match with the goal's version (from GET, or the ETag header).")
            }
            guard let version = Int(ifMatch.trimmingCharacters(in: CharacterSet(charactersIn: "\" W/"))) else {
                throw APIError.invalid("If-Match", "'\(ifMatch)' is not a goal version")
            }
            let fields = try await request.decode([String: JSONValue].self, limit: 64 << 10)
            do {
                let goal = try await services.store.updateGoal(id: id, expectedVersion: version) { current in
                    var goal = current
                    try GoalRules.apply(fields, to: &goal)
                    return goal
                }
                return try Routes.goalResponse(goal)
            } catch let mismatch as VersionMismatch<Goal> {
                return try .json(
                    GoalConflict(
                        error: ErrorBody(code: "version_mismatch", message: "The goal changed since version \(version); it is at version \(mismatch.current.version). Re-read it and apply your edit again.").error,
                        current: mismatch.current),
                    status: .conflict)
            }
        }
    }

    static func goalResponse(_ goal: Goal, status: HTTPResponse.Status = .ok) throws -> Response {
        var response = try Response.json(goal, status: status)
        response.headers[.eTag] = "\"\(goal.version)\""
        return response
    }
}

/// A 409 body: API.md's error plus the goal as it is now.
struct GoalConflict: Encodable {
    var error: ErrorBody.Detail
    var current: Goal
}
