import ScorecardCore

/// Which team a team report is about, for a caller (the team summary, the score history of a
/// team, the feedback dashboard; the API and the pages alike).
public enum TeamAccess {
    /// The teams `person` may see reports of: every team for an admin, else the active teams
    /// they manage (as the manager, or an active lead or manager member). Sorted by id.
    public static func managedTeams(of person: Person, in teams: [Team]) -> [Team] {
        teams.filter { TeamSummary.manages(person, $0) }
    }

    /// The team named `requested`, or the caller's only managed team when none is named:
    /// `invalid` when the choice is ambiguous, `notFound` for an unknown team, `forbidden` for a
    /// team the caller may not see.
    public static func resolve(_ requested: String?, for caller: Person, in teams: [Team]) throws -> Team {
        let managed = managedTeams(of: caller, in: teams)
        guard let teamID = requested.flatMap({ $0.isEmpty ? nil : $0 }) ?? (managed.count == 1 ? managed[0].id : nil) else {
            throw StoreError(.invalid, "team_id: name the team (you manage \(managed.count) teams)")
        }
        guard let team = teams.first(where: { $0.id == teamID }) else {
            throw StoreError(.notFound, "No team with id '\(teamID)'.")
        }
        guard TeamSummary.manages(caller, team) else {
            throw StoreError(.forbidden, "Only the team's managers and admins may see team '\(teamID)'.")
        }
        return team
    }
}
