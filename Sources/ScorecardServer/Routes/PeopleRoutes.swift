import Hummingbird
import ScorecardCore

extension Routes {
    mutating func addPeopleRoutes() {
        let services = services
        on(.get, "/api/v1/people") { request, _ in
            let scope = try await services.scope(request)
            let people = try await services.store.people().filter { scope.contains($0.id) }
            return try .json(["people": people])
        }
        on(.get, "/api/v1/teams") { request, _ in
            let scope = try await services.scope(request)
            let me = scope.caller.id
            var teams: [Team] = []
            for var team in try await services.store.teams() {
                let involved = team.managerPersonID == me || team.members.contains { $0.personID == me }
                guard scope.visible == .everyone || involved else { continue }
                if scope.visible != .everyone { team.members = team.members.filter { scope.contains($0.personID) && $0.active } }
                teams.append(team)
            }
            return try .json(["teams": teams])
        }
    }
}
