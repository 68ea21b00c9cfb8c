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
            return try Routes.goalResponse(try await services.goals.create(draft, scope: scope), status: .created)
        }
        on(.patch, "/api/v1/performance/goals/{id}") { request, context in
            let scope = try await services.scope(request)
            let id = try context.parameters.require("id")
            _ = try await services.goals.visibleGoal(id: id, scope: scope)
            guard let ifMatch = request.headers[.ifMatch] else {
                throw APIError(.preconditionRequired, "precondition_required", "Send If-Match with the goal's version (from GET, or the ETag header).")
            }
            guard let version = Routes.goalVersion(ifMatch: ifMatch) else {
                throw APIError.invalid("If-Match", "'\(ifMatch)' is not a goal version (send `3`, `\"3\"` or `W/\"3\"`)")
            }
            let fields = try await request.decode([String: JSONValue].self, limit: 64 << 10)
            do {
                return try Routes.goalResponse(try await services.goals.update(id: id, expectedVersion: version, fields: fields, scope: scope))
            } catch let mismatch as VersionMismatch<Goal> {
                return try .json(
                    GoalConflict(
                        error: ErrorBody(code: "version_mismatch", message: "The goal changed since version \(version); it is at version \(mismatch.current.version). Re-read it and apply your edit again.").error,
                        current: mismatch.current),
                    status: .conflict)
            }
        }
    }

    /// The version an `If-Match` names: `3`, `"3"` or `W/"3"` (at most 15 digits); nil for
    /// anything else, `*` included (an edit must say which version it saw).
    static func goalVersion(ifMatch: String) -> Int? {
        var text = Substring(ifMatch)
        if text.hasPrefix("W/") { text = text.dropFirst(2) }
        if text.count >= 2, text.first == "\"", text.last == "\"" { text = text.dropFirst().dropLast() }
        guard (1...15).contains(text.count), text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
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
