/// `POST /api/v1/auth/login` body.
public struct LoginRequest: Codable, Sendable {
    public var personID: String
    public var password: String

    public init(personID: String, password: String) {
        self.personID = personID
        self.password = password
    }

    enum CodingKeys: String, CodingKey {
        case password
        case personID = "person_id"
    }
}

/// `POST /api/v1/auth/login` answer.
public struct LoginResponse: Codable, Sendable {
    public var token: String
    public var expiresAt: String
    public var person: Person

    public init(token: String, expiresAt: String, person: Person) {
        self.token = token
        self.expiresAt = expiresAt
        self.person = person
    }

    enum CodingKeys: String, CodingKey {
        case token, person
        case expiresAt = "expires_at"
    }
}
