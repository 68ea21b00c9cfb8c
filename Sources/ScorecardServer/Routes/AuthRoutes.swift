import Foundation
import Hummingbird
import HummingbirdBcrypt
import ScorecardCore

extension Routes {
    /// A bcrypt hash of a random password, at the default cost, verified when the person is
    /// unknown so that unknown and known ids take the same time. Made once, on first use.
    static let decoyHash = Bcrypt.hash(Credentials.newToken(), cost: 10)

    mutating func addAuthRoutes() {
        let services = services
        on(.post, "/api/v1/auth/login") { request, _ in
            let login = try await request.decode(LoginRequest.self, limit: 64 << 10)
            let now = Int(Date().timeIntervalSince1970)
            if let wait = try await services.throttle.retryAfter(personID: login.personID, now: now) {
                throw APIError(
                    .tooManyRequests, "login_throttled", "Too many failed logins; try again in \(wait) seconds.",
                    headers: [.retryAfter: String(wait)])
            }
            let person = try await services.store.person(id: login.personID)
            let hash = try await services.store.passwordHash(personID: login.personID)
            let matches = try await Credentials.verifyPassword(login.password, hash: hash ?? Routes.decoyHash)
            guard let person, person.active, hash != nil, matches else {
                if let lockout = try await services.throttle.recordFailure(personID: login.personID, now: now) {
                    throw APIError(
                        .tooManyRequests, "login_throttled", "Too many failed logins; try again in \(lockout) seconds.",
                        headers: [.retryAfter: String(lockout)])
                }
                throw APIError(.unauthorized, "invalid_credentials", "Unknown person id or wrong password.")
            }
            try await services.throttle.recordSuccess(personID: person.id)
            let token = Credentials.newToken()
            let expires = now + services.configuration.tokenLifetimeSeconds
            try await services.store.insertToken(hash: Credentials.tokenHash(token), personID: person.id, expiresAt: expires)
            return try .json(LoginResponse(token: token, expiresAt: Timestamp.format(epochSeconds: expires), person: person))
        }
        on(.post, "/api/v1/auth/logout") { request, _ in
            _ = try await services.authenticate(request)
            let header = request.headers[.authorization] ?? ""
            try await services.store.revokeToken(hash: Credentials.tokenHash(header.dropFirst(7).trimmingCharacters(in: .whitespaces)))
            return Response(status: .noContent)
        }
        on(.get, "/api/v1/me") { request, _ in
            try .json(try await services.authenticate(request))
        }
    }
}
