/// What a person may do: see themselves, manage teams, or administer everything.
public enum Role: String, Codable, Sendable, CaseIterable {
    case agent, manager, admin
}

/// A person known to the server (API.md `Person`).
public struct Person: Codable, Hashable, Sendable {
    public var id: String
    public var name: String
    public var email: String
    public var role: Role
    public var teamID: String?
    public var active: Bool

    public init(id: String, name: String, email: String, role: Role, teamID: String?, active: Bool = true) {
        self.id = id
        self.name = name
        self.email = email
        self.role = role
        self.teamID = teamID
        self.active = active
    }

    enum CodingKeys: String, CodingKey {
        case id, name, email, role, active
        case teamID = "team_id"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(email, forKey: .email)
        try c.encode(role, forKey: .role)
        try c.encode(teamID, forKey: .teamID)  // explicit null
        try c.encode(active, forKey: .active)
    }
}

/// The kind of work a team does; it selects the team-type domain weights (seed 002).
public enum TeamType: String, Codable, Sendable, CaseIterable {
    case operations, support, fieldService = "field_service", sales
}

/// A person's role inside a team.
public enum MemberRole: String, Codable, Sendable, CaseIterable {
    case member, lead, manager
}

/// A team member as listed under a team.
public struct TeamMember: Codable, Hashable, Sendable {
    public var personID: String
    public var role: MemberRole
    public var active: Bool

    public init(personID: String, role: MemberRole, active: Bool = true) {
        self.personID = personID
        self.role = role
        self.active = active
    }

    enum CodingKeys: String, CodingKey {
        case role, active
        case personID = "person_id"
    }
}

/// A team (API.md `Team`), with its members.
public struct Team: Codable, Hashable, Sendable {
    public var id: String
    public var name: String
    public var teamType: TeamType?
    public var managerPersonID: String?
    public var active: Bool
    public var members: [TeamMember]

    public init(id: String, name: String, teamType: TeamType?, managerPersonID: String?, active: Bool = true, members: [TeamMember] = []) {
        self.id = id
        self.name = name
        self.teamType = teamType
        self.managerPersonID = managerPersonID
        self.active = active
        self.members = members
    }

    enum CodingKeys: String, CodingKey {
        case id, name, active, members
        case teamType = "team_type"
        case managerPersonID = "manager_person_id"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(teamType, forKey: .teamType)  // explicit null, as API.md lists it
        try c.encode(managerPersonID, forKey: .managerPersonID)
        try c.encode(active, forKey: .active)
        try c.encode(members, forKey: .members)
    }
}
