import Foundation
import ScorecardCore
import ScorecardServer
import ScorecardTesting
import Testing

/// Every page for an agent, the team's manager, another team's manager, a lead and an admin:
/// the same scope rules as the API, and 404 (never a partial page) for people out of scope.
@Suite("Web scope matrix")
struct ScopeMatrixTests {
    @Test func everyPageForEveryRole() async throws {
        try await withWebServer(makeCoach: WebTestCoach.factory) { server in
            try await WebSeed.seed(server)
            let root = try #require(try await server.store.person(id: "root"))
            let review = try await server.running.services.reviews.generate(personID: "a2", period: "2026-W40", actor: root, force: false)
            let pages: [(path: String, expected: [String: Int])] = [
                ("/admin/performance/team?team_id=A", ["a1": 403, "mgrA": 200, "mgrB": 404, "lead1": 200, "root": 200]),
                ("/admin/performance/team?team_id=A&format=csv", ["a1": 403, "mgrA": 200, "mgrB": 404, "lead1": 200, "root": 200]),
                ("/admin/performance/agents/a2", ["a1": 404, "mgrA": 200, "mgrB": 404, "lead1": 200, "root": 200]),
                ("/admin/performance/agents/a2/calls", ["a1": 404, "mgrA": 200, "mgrB": 404, "lead1": 200, "root": 200]),
                ("/admin/performance/agents/nobody", ["a1": 404, "mgrA": 404, "mgrB": 404, "lead1": 404, "root": 404]),
                ("/admin/performance/reviews/\(review.id)", ["a1": 404, "mgrA": 200, "mgrB": 404, "lead1": 200, "root": 200]),
                ("/agent/my-performance/reviews/\(review.id)", ["a1": 404, "mgrA": 404, "mgrB": 404, "lead1": 404, "root": 404, "a2": 200]),
                ("/admin/performance/feedback?team_id=A", ["a1": 403, "mgrA": 200, "mgrB": 404, "lead1": 200, "root": 200]),
                ("/admin/performance/settings", ["a1": 403, "mgrA": 403, "mgrB": 403, "lead1": 403, "root": 200]),
                ("/agent/my-performance", ["a1": 200, "mgrA": 200, "mgrB": 200, "lead1": 200, "root": 200]),
                ("/agent/my-performance/calls?period=2026-09-28..2026-10-04", ["a1": 200, "mgrA": 200, "mgrB": 200, "lead1": 200, "root": 200]),
            ]
            var browsers: [String: WebClient] = [:]
            for id in WebSeed.callers + ["a2"] { browsers[id] = try await server.browser(id) }
            let anonymous = WebClient(baseURL: server.baseURL)
            for (path, expected) in pages {
                for (caller, status) in expected {
                    let r = try await browsers[caller]!.get(path)
                    #expect(r.status == status, "\(caller) GET \(path): \(r.status)")
                    if status != 200 {
                        #expect(r.header("Content-Type")?.hasPrefix("text/html") == true, "\(caller) \(path): an HTML error page")
                        #expect(!r.text.contains("Person a2"), "\(caller) \(path): nothing about a2 on an error page")
                    }
                }
                let r = try await anonymous.get(path)
                #expect(r.status == 303, "anonymous GET \(path)")
                #expect(r.location?.hasPrefix("/login") == true)
            }
            // A person's own admin page is their own scorecard.
            let own = try await browsers["a1"]!.get("/admin/performance/agents/a1/calls?period=week")
            #expect(own.status == 303)
            #expect(own.location == "/agent/my-performance/calls?period=week")
            // Unknown page paths answer HTML 404s; the API's stay JSON.
            let page404 = try await browsers["a1"]!.get("/admin/performance/nothing-here")
            #expect(page404.status == 404)
            #expect(page404.header("Content-Type")?.hasPrefix("text/html") == true)
            let api404 = try await server.request("GET", "/api/v1/nothing-here")
            #expect(api404.status == 404)
            #expect(api404.errorCode == "not_found")
        }
    }

    @Test func pagesCarryTheSecurityHeaders() async throws {
        try await withWebServer { server in
            try await WebSeed.seed(server)
            let browser = try await server.browser("mgrA")
            for path in ["/login", "/admin/performance/team", "/agent/my-performance", "/admin/performance/agents/nobody"] {
                let r = try await browser.get(path)
                let csp = try #require(r.header("Content-Security-Policy"), "\(path)")
                #expect(csp.contains("frame-ancestors 'none'"))
                #expect(csp.contains("script-src 'self'"))
                #expect(!csp.contains("unsafe-inline"))
                #expect(r.header("X-Content-Type-Options") == "nosniff")
                #expect(r.header("Referrer-Policy") == "same-origin")
                #expect(!r.text.contains("<script>"), "no inline script on \(path)")
                #expect(!r.text.contains(" style=\""), "no inline style on \(path)")
            }
            let page = try await browser.get("/admin/performance/team")
            let css = try #require(WebClient.firstMatch(#"href="(/static/scorecard\.css\?v=[0-9a-f]+)""#, in: page.text))
            let sheet = try await browser.get(css)
            #expect(sheet.status == 200)
            #expect(sheet.header("Content-Type")?.hasPrefix("text/css") == true)
            #expect(sheet.header("Cache-Control")?.contains("max-age=31536000") == true)
            #expect(sheet.text.contains("prefers-color-scheme: dark"))
            let etag = try #require(sheet.header("ETag"))
            #expect(try await browser.get(css, headers: ["If-None-Match": etag]).status == 304)
            let js = try #require(WebClient.firstMatch(#"src="(/static/scorecard\.js\?v=[0-9a-f]+)""#, in: page.text))
            #expect(try await browser.get(js).header("Content-Type")?.hasPrefix("text/javascript") == true)
        }
    }
}
