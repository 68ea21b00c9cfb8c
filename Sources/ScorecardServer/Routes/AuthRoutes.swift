import Foundation
import Hummingbird
import ScorecardCore

extension Routes {
    mutating func addAuthRoutes() {
        let services = services
        on(.post, "/api/v1/auth/login") { request, _ in
            let login = try await request.decode(LoginRequest.self, limit: 64 << 10)
            let issued = try await services.login.login(
                personID: login.personID, password: login.password, kind: .api, lifetime: services.configuration.tokenLifetimeSeconds,
                now: Int(Date().timeIntervalSince1970))
            return try .json(LoginResponse(token: issued.token, expiresAt: Timestamp.format(epochSeconds: issued.expiresAt), person: issued.person))
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
