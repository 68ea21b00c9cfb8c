import Foundation
import HummingbirdBcrypt
import ScorecardCore

/// The one login check the API (`POST /api/v1/auth/login`) and the sign-in form share:
/// throttling, password verification in constant time for unknown ids, then a new token.
public struct LoginService: Sendable {
    public let store: any ServerStore
    public let throttle: LoginThrottle

    public init(store: any ServerStore, throttle: LoginThrottle) {
        self.store = store
        self.throttle = throttle
    }

    /// A bcrypt hash of a random password, verified when the person is unknown so that unknown
    /// and known ids take the same time. Made once, on first use.
    static let decoyHash = Bcrypt.hash(Credentials.newToken(), cost: 10)

    /// The person whose id and password these are; throws ``LoginRefusal`` (wrong credentials,
    /// or throttled with the seconds to wait).
    public func verify(personID: String, password: String, now: Int) async throws -> Person {
        if let wait = try await throttle.retryAfter(personID: personID, now: now) {
            throw LoginRefusal(.throttled, "Too many failed logins; try again in \(wait) seconds.", retryAfter: wait)
        }
        let person = try await store.person(id: personID)
        let hash = try await store.passwordHash(personID: personID)
        let matches = try await Credentials.verifyPassword(password, hash: hash ?? LoginService.decoyHash)
        guard let person, person.active, hash != nil, matches else {
            if let lockout = try await throttle.recordFailure(personID: personID, now: now) {
                throw LoginRefusal(.throttled, "Too many failed logins; try again in \(lockout) seconds.", retryAfter: lockout)
            }
            throw LoginRefusal(.invalidCredentials, "Unknown person id or wrong password.")
        }
        try await throttle.recordSuccess(personID: person.id)
        return person
    }

    /// Verifies the credentials and stores a new token of `kind` living `lifetime` seconds.
    public func login(personID: String, password: String, kind: TokenKind, lifetime: Int, now: Int) async throws -> IssuedToken {
        let person = try await verify(personID: personID, password: password, now: now)
        let token = Credentials.newToken()
        let expires = now + lifetime
        try await store.insertToken(hash: Credentials.tokenHash(token), personID: person.id, expiresAt: expires, kind: kind)
        return IssuedToken(token: token, expiresAt: expires, person: person)
    }
}

/// A token just issued: the secret (shown once, stored only hashed), its expiry and its person.
public struct IssuedToken: Sendable {
    public var token: String
    /// Seconds since 1970.
    public var expiresAt: Int
    public var person: Person
}

/// Why a login was refused.
public struct LoginRefusal: Error, Sendable {
    public enum Code: String, Sendable {
        case invalidCredentials = "invalid_credentials"
        case throttled = "login_throttled"
    }

    public var code: Code
    public var message: String
    /// Seconds to wait, when throttled.
    public var retryAfter: Int?

    public init(_ code: Code, _ message: String, retryAfter: Int? = nil) {
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }
}
