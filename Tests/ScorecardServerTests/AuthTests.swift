import Foundation
import ScorecardCore
import ScorecardServer
import ScorecardTesting
import Testing

@Suite("Auth")
struct AuthTests {
    @Test(arguments: TestBackend.all) func loginReturnsTokenAndPerson(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            try await server.addTeam("t1")
            let person = try await server.addPerson("agent-1", team: "t1")
            let before = Int(Date().timeIntervalSince1970)
            let response = try await server.request(
                "POST", "/api/v1/auth/login", json: LoginRequest(personID: "agent-1", password: TestServer.password("agent-1")))
            #expect(response.status == 200)
            let login = try response.decode(LoginResponse.self)
            #expect(login.token.count == 43)
            #expect(login.token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
            #expect(login.person == person)
            #expect(login.person.teamID == "t1")
            let expires = try #require(Timestamp.epochSeconds(login.expiresAt))
            #expect(expires >= before + 30 * 86_400 - 5 && expires <= before + 30 * 86_400 + 60)
            // The wire shape spells the person out with snake_case keys.
            let json = try response.json
            #expect(json["person"]?["team_id"]?.string == "t1")
            #expect(json["person"]?["role"]?.string == "agent")
            #expect(json["expires_at"]?.string == login.expiresAt)

            let me = try await server.request("GET", "/api/v1/me", token: login.token)
            #expect(me.status == 200)
            #expect(try me.decode(Person.self) == person)

            // Two logins give two distinct tokens, both valid.
            let second = try await server.login("agent-1")
            #expect(second != login.token)
            #expect(try await server.request("GET", "/api/v1/me", token: second).status == 200)
        }
    }

    @Test(arguments: TestBackend.all) func wrongPasswordIs401(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            try await server.addPerson("agent-1")
            let response = try await server.request("POST", "/api/v1/auth/login", json: LoginRequest(personID: "agent-1", password: "nope"))
            #expect(response.status == 401)
            #expect(response.errorCode == "invalid_credentials")
        }
    }

    @Test(arguments: TestBackend.all) func unknownPersonIs401(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let response = try await server.request("POST", "/api/v1/auth/login", json: LoginRequest(personID: "ghost", password: "pw-ghost"))
            #expect(response.status == 401)
            #expect(response.errorCode == "invalid_credentials")
        }
    }

    @Test(arguments: TestBackend.all) func loginBodyErrors(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let malformed = try await server.request("POST", "/api/v1/auth/login", body: Data("{not json".utf8))
            #expect(malformed.status == 400)
            #expect(malformed.errorCode == "malformed_json")
            let missing = try await server.request("POST", "/api/v1/auth/login", body: Data(#"{"person_id": "x"}"#.utf8))
            #expect(missing.status == 422)
            #expect(missing.errorCode == "invalid_value")
            #expect(try missing.decode(ErrorBody.self).error.message.contains("password"))
        }
    }

    @Test(arguments: TestBackend.all) func logoutRevokesTheToken(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            try await server.addPerson("agent-1")
            let token = try await server.login("agent-1")
            let other = try await server.login("agent-1")
            let logout = try await server.request("POST", "/api/v1/auth/logout", token: token)
            #expect(logout.status == 204)
            let me = try await server.request("GET", "/api/v1/me", token: token)
            #expect(me.status == 401)
            #expect(me.errorCode == "unauthorized")
            // Only that token: another session of the same person still works.
            #expect(try await server.request("GET", "/api/v1/me", token: other).status == 200)
            // Logging out again with the revoked token is 401 too.
            #expect(try await server.request("POST", "/api/v1/auth/logout", token: token).status == 401)
        }
    }

    @Test(arguments: TestBackend.all) func expiredTokenIs401TokenExpired(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            try await server.addPerson("agent-1")
            let token = Credentials.newToken()
            let now = Int(Date().timeIntervalSince1970)
            try await server.store.insertToken(hash: Credentials.tokenHash(token), personID: "agent-1", expiresAt: now - 10)
            let me = try await server.request("GET", "/api/v1/me", token: token)
            #expect(me.status == 401)
            #expect(me.errorCode == "token_expired")
            #expect(me.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
            // The same token with a future expiry works: only the expiry differs.
            let fresh = Credentials.newToken()
            try await server.store.insertToken(hash: Credentials.tokenHash(fresh), personID: "agent-1", expiresAt: now + 3_600)
            #expect(try await server.request("GET", "/api/v1/me", token: fresh).status == 200)
        }
    }

    @Test(arguments: TestBackend.all) func deactivatedPersonIsLockedOut(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            try await server.addPerson("agent-1")
            let token = try await server.login("agent-1")
            #expect(try await server.request("GET", "/api/v1/me", token: token).status == 200)
            try await server.store.deactivatePerson(id: "agent-1")
            let me = try await server.request("GET", "/api/v1/me", token: token)
            #expect(me.status == 401)
            #expect(me.errorCode == "unauthorized")
            let login = try await server.request(
                "POST", "/api/v1/auth/login", json: LoginRequest(personID: "agent-1", password: TestServer.password("agent-1")))
            #expect(login.status == 401)
            #expect(login.errorCode == "invalid_credentials")
        }
    }

    @Test(arguments: TestBackend.all) func personCreatedInactiveCannotLogIn(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            try await server.addPerson("dormant", active: false)
            let login = try await server.request(
                "POST", "/api/v1/auth/login", json: LoginRequest(personID: "dormant", password: TestServer.password("dormant")))
            #expect(login.status == 401)
            // A token issued anyway (say, before the flag was set) does not work.
            let token = Credentials.newToken()
            try await server.store.insertToken(
                hash: Credentials.tokenHash(token), personID: "dormant", expiresAt: Int(Date().timeIntervalSince1970) + 3_600)
            #expect(try await server.request("GET", "/api/v1/me", token: token).status == 401)
        }
    }

    @Test(arguments: TestBackend.all) func repeatedFailuresThrottleLogin(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            try await server.addPerson("agent-1")
            try await server.addPerson("agent-2")
            let wrong = LoginRequest(personID: "agent-1", password: "wrong")
            for attempt in 1...4 {
                let r = try await server.request("POST", "/api/v1/auth/login", json: wrong)
                #expect(r.status == 401, "attempt \(attempt)")
                #expect(r.errorCode == "invalid_credentials")
            }
            // The fifth failure locks the id; it may already say so.
            let fifth = try await server.request("POST", "/api/v1/auth/login", json: wrong)
            #expect(fifth.status == 401 || fifth.status == 429)
            // The sixth attempt is refused even with the right password.
            let sixth = try await server.request(
                "POST", "/api/v1/auth/login", json: LoginRequest(personID: "agent-1", password: TestServer.password("agent-1")))
            #expect(sixth.status == 429)
            #expect(sixth.errorCode == "login_throttled")
            let retryAfter = try #require(sixth.header("Retry-After"))
            let seconds = try #require(Int(retryAfter), "Retry-After '\(retryAfter)' is not a number of seconds")
            #expect(seconds > 0 && seconds <= 900)
            // Throttling is per person id: another person logs in normally.
            #expect(try await server.login("agent-2").count == 43)
        }
    }

    @Test(arguments: TestBackend.all, [nil, "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer not-a-token"])
    func missingOrBadBearerIs401(backend: TestBackend, authorization: String?) async throws {
        try await withServer(backend: backend) { server in
            var headers: [String: String] = [:]
            if let authorization { headers["Authorization"] = authorization }
            for path in ["/api/v1/me", "/api/v1/people", "/api/v1/teams", "/api/v1/sync/pull", "/api/v1/performance/kpis"] {
                let r = try await server.request("GET", path, headers: headers)
                #expect(r.status == 401, "\(path)")
                #expect(r.header("Content-Type")?.hasPrefix("application/json") == true)
                let body = try r.decode(ErrorBody.self)
                #expect(body.error.code == "unauthorized", "\(path)")
                #expect(!body.error.message.isEmpty)
            }
        }
    }
}
