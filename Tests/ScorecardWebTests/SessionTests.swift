import Foundation
import ScorecardCore
import ScorecardServer
import ScorecardTesting
import Testing

/// Sign-in, sign-out, expiry and throttling through the form; what the cookies say.
@Suite("Web sessions")
struct SessionTests {
    @Test func rootRedirectsByRole() async throws {
        try await withWebServer { server in
            try await WebSeed.seed(server)
            let anonymous = try await WebClient(baseURL: server.baseURL).get("/")
            #expect(anonymous.status == 303)
            #expect(anonymous.location == "/login")
            for (id, home) in [("a1", "/agent/my-performance"), ("b1", "/agent/my-performance"), ("lead1", "/admin/performance/team"),
                               ("mgrA", "/admin/performance/team"), ("root", "/admin/performance/team")] {
                let browser = try await server.browser(id)
                let root = try await browser.get("/")
                #expect(root.status == 303, "\(id)")
                #expect(root.location == home, "\(id): \(root.location ?? "-")")
                let admin = try await browser.get("/admin/performance")
                #expect(admin.location == home, "\(id)")
            }
        }
    }

    @Test(arguments: TestBackend.all)
    func signInSetsASafeSessionCookieAndSignOutEndsIt(backend: TestBackend) async throws {
        try await withWebServer(backend: backend) { server in
            try await WebSeed.seed(server)
            let browser = WebClient(baseURL: server.baseURL)
            let form = try await browser.get("/login?next=/agent/my-performance/calls")
            #expect(form.status == 200)
            #expect(form.text.contains(#"name="person_id""#))
            #expect(form.header("Set-Cookie")?.contains("scorecard_login_csrf=") == true)
            let signedIn = try await browser.post("/login", form: ["person_id": "a1", "password": "pw-a1", "next": "/agent/my-performance/calls"])
            #expect(signedIn.status == 303)
            #expect(signedIn.location == "/agent/my-performance/calls")
            let cookie = try #require(signedIn.header("Set-Cookie"))
            #expect(cookie.contains("scorecard_session="))
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(!cookie.contains("Secure"), "not configured, not behind TLS")
            let token = try #require(browser.cookies["scorecard_session"])
            #expect(token.count == 43)
            #expect(try await browser.get("/agent/my-performance").status == 200)

            // The session cookie is not a bearer token.
            let api = try await server.request("GET", "/api/v1/me", token: token)
            #expect(api.status == 401)

            // Signing out needs the CSRF token; without it nothing happens.
            let forged = try await browser.post("/logout", form: [:], csrf: false)
            #expect(forged.status == 403)
            #expect(try await browser.get("/agent/my-performance").status == 200)
            let out = try await browser.post("/logout", form: [:])
            #expect(out.status == 303)
            #expect(out.location == "/login?signed_out=1")
            #expect(browser.cookies["scorecard_session"] == nil)
            // The old cookie no longer opens anything.
            browser.setCookie("scorecard_session", token)
            let after = try await browser.get("/agent/my-performance")
            #expect(after.status == 303)
            #expect(after.location?.hasPrefix("/login") == true)
        }
    }

    @Test(arguments: TestBackend.all)
    func bearerTokensAreNotSessions(backend: TestBackend) async throws {
        try await withWebServer(backend: backend) { server in
            try await WebSeed.seed(server)
            let token = try await server.login("a1")
            let browser = WebClient(baseURL: server.baseURL)
            browser.setCookie("scorecard_session", token)
            let page = try await browser.get("/agent/my-performance")
            #expect(page.status == 303)
            #expect(page.location == "/login?next=%2Fagent%2Fmy-performance")
        }
    }

    @Test func wrongPasswordRerendersTheFormAndSetsNoSession() async throws {
        try await withWebServer { server in
            try await WebSeed.seed(server)
            let browser = WebClient(baseURL: server.baseURL)
            _ = try await browser.get("/login")
            let r = try await browser.post("/login", form: ["person_id": "a1", "password": "nope"])
            #expect(r.status == 401)
            #expect(r.text.contains("Unknown person id or wrong password."))
            #expect(r.text.contains(#"value="a1""#), "the id is kept")
            #expect(browser.cookies["scorecard_session"] == nil)
        }
    }

    @Test func loginWithoutTheFormsTokenIs403() async throws {
        try await withWebServer { server in
            try await WebSeed.seed(server)
            let browser = WebClient(baseURL: server.baseURL)
            _ = try await browser.get("/login")
            let missing = try await browser.post("/login", form: ["person_id": "a1", "password": "pw-a1"], csrf: false)
            #expect(missing.status == 403)
            let wrong = try await browser.post("/login", form: ["person_id": "a1", "password": "pw-a1", "csrf_token": "forged"])
            #expect(wrong.status == 403)
            #expect(browser.cookies["scorecard_session"] == nil)
            // No cookie at all (a post from another site, which gets no Lax cookie).
            let bare = WebClient(baseURL: server.baseURL)
            let r = try await bare.post("/login", form: ["person_id": "a1", "password": "pw-a1", "csrf_token": "x"])
            #expect(r.status == 403)
            #expect(r.header("Content-Type")?.hasPrefix("text/html") == true)
        }
    }

    @Test func theFormSharesTheAPIsLoginThrottle() async throws {
        try await withWebServer { server in
            try await WebSeed.seed(server)
            let browser = WebClient(baseURL: server.baseURL)
            _ = try await browser.get("/login")
            var statuses: [Int] = []
            for _ in 0..<5 { statuses.append(try await browser.post("/login", form: ["person_id": "a2", "password": "wrong"]).status) }
            #expect(statuses == [401, 401, 401, 401, 429])
            let locked = try await browser.post("/login", form: ["person_id": "a2", "password": "pw-a2"])
            #expect(locked.status == 429)
            #expect(locked.header("Retry-After").flatMap { Int($0) }.map { $0 > 0 && $0 <= 30 } == true)
            #expect(locked.text.contains("Too many failed logins"))
            #expect(browser.cookies["scorecard_session"] == nil)
            // The API login is locked too: one throttle.
            let api = try await server.request("POST", "/api/v1/auth/login", json: LoginRequest(personID: "a2", password: "pw-a2"))
            #expect(api.status == 429)
            #expect(api.errorCode == "login_throttled")
        }
    }

    @Test func anExpiredSessionSendsBackToSignIn() async throws {
        // 3 s: a 1 s session once expired between sign-in and the first page on a loaded machine.
        try await withWebServer(configure: { $0.sessionLifetimeSeconds = 3 }) { server in
            try await WebSeed.seed(server)
            let browser = WebClient(baseURL: server.baseURL)
            _ = try await browser.signIn("a1", password: "pw-a1")
            #expect(browser.cookies["scorecard_session"] != nil)
            #expect(try await browser.get("/agent/my-performance").status == 200)
            try await Task.sleep(for: .milliseconds(4100))
            let page = try await browser.get("/agent/my-performance")
            #expect(page.status == 303)
            #expect(page.location == "/login?expired=1&next=%2Fagent%2Fmy-performance")
            let form = try await browser.get(try #require(page.location))
            #expect(form.status == 200)
            #expect(form.text.contains("Your session has expired"))
        }
    }

    @Test func cookiesAreSecureWhenConfiguredOrBehindTLS() async throws {
        try await withWebServer(configure: { $0.secureCookies = true }) { server in
            try await server.addPerson("a1")
            let browser = WebClient(baseURL: server.baseURL)
            let r = try await browser.signIn("a1", password: "pw-a1")
            #expect(r.header("Set-Cookie")?.contains("Secure") == true)
        }
        try await withWebServer { server in
            try await server.addPerson("a1")
            let browser = WebClient(baseURL: server.baseURL)
            _ = try await browser.get("/login", headers: ["X-Forwarded-Proto": "https"])
            let r = try await browser.post("/login", form: ["person_id": "a1", "password": "pw-a1"], headers: ["X-Forwarded-Proto": "https"])
            #expect(r.status == 303)
            #expect(r.header("Set-Cookie")?.contains("Secure") == true)
        }
    }

    @Test func nextNeverLeavesTheSite() async throws {
        try await withWebServer { server in
            try await server.addPerson("a1")
            let browser = WebClient(baseURL: server.baseURL)
            _ = try await browser.get("/login")
            let r = try await browser.post("/login", form: ["person_id": "a1", "password": "pw-a1", "next": "//evil.example/x"])
            #expect(r.status == 303)
            #expect(r.location == "/agent/my-performance")
        }
    }
}
