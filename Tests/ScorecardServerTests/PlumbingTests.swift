import Foundation
import ScorecardCore
import ScorecardServer
import ScorecardTesting
import Testing

@Suite("Errors and plumbing")
struct PlumbingTests {
    @Test(arguments: TestBackend.all, ["/api/v1/nope", "/api/v2/me", "/nope", "/api/v1/calls", "/api/v1/calls/c1/extra"])
    func unknownRouteIs404(backend: TestBackend, path: String) async throws {
        try await withServer(backend: backend) { server in
            try await server.addPerson("agent-1")
            let token = try await server.login("agent-1")
            for t in [nil, token] {
                let r = try await server.request("GET", path, token: t)
                #expect(r.status == 404, "\(path): \(r.text)")
                #expect(r.header("Content-Type")?.hasPrefix("application/json") == true)
                let body = try r.decode(ErrorBody.self)
                #expect(body.error.code == "not_found")
                #expect(!body.error.message.isEmpty)
                #expect(r.header("X-Request-ID")?.isEmpty == false)
            }
        }
    }

    @Test(arguments: TestBackend.all, [
        ("PUT", "/api/v1/me", "GET"), ("DELETE", "/api/v1/me", "GET"), ("POST", "/healthz", "GET"), ("GET", "/api/v1/auth/login", "POST"),
        ("GET", "/api/v1/ingest/cdr", "POST"), ("GET", "/api/v1/calls/c1", "DELETE"), ("POST", "/api/v1/sync/pull", "GET"),
    ])
    func wrongMethodIs405WithAllow(backend: TestBackend, _ example: (String, String, String)) async throws {
        let (method, path, allow) = example
        try await withServer(backend: backend) { server in
            try await server.addPerson("agent-1")
            let token = try await server.login("agent-1")
            let r = try await server.request(method, path, token: token, body: method == "GET" || method == "DELETE" ? nil : Data("{}".utf8))
            #expect(r.status == 405, "\(method) \(path): \(r.text)")
            #expect(r.errorCode == "method_not_allowed")
            #expect(r.header("Allow") == allow)
        }
    }

    @Test(arguments: TestBackend.all) func requestIDIsEchoedOrGenerated(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let sent = try await server.request("GET", "/healthz", headers: ["X-Request-ID": "trace-abc-123"])
            #expect(sent.header("X-Request-ID") == "trace-abc-123")
            // Echoed on errors too.
            let error = try await server.request("GET", "/api/v1/me", headers: ["X-Request-ID": "trace-err-9"])
            #expect(error.status == 401)
            #expect(error.header("X-Request-ID") == "trace-err-9")
            // Generated when absent (or unusable) and returned on errors, different each time.
            let a = try #require(try await server.request("GET", "/api/v1/me").header("X-Request-ID"))
            let b = try #require(try await server.request("GET", "/api/v1/me").header("X-Request-ID"))
            #expect(!a.isEmpty)
            #expect(a != b)
            let tooLong = String(repeating: "x", count: 200)
            let replaced = try #require(try await server.request("GET", "/api/v1/me", headers: ["X-Request-ID": tooLong]).header("X-Request-ID"))
            #expect(replaced != tooLong)
            #expect(!replaced.isEmpty)
            // A success the caller did not tag carries none: the frequent no-op pull stays small.
            #expect(try await server.request("GET", "/healthz").header("X-Request-ID") == nil)
        }
    }

    @Test(arguments: TestBackend.all) func healthzNeedsNoToken(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let r = try await server.request("GET", "/healthz")
            #expect(r.status == 200)
            #expect(r.header("Content-Type")?.hasPrefix("application/json") == true)
            #expect(try r.json == .object(["status": .string("ok")]))
        }
    }

    @Test(arguments: TestBackend.all) func metricsCountRequests(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            _ = try await server.request("GET", "/healthz")
            _ = try await server.request("GET", "/api/v1/me")
            let r = try await server.request("GET", "/metrics")
            #expect(r.status == 200)
            #expect(r.header("Content-Type")?.hasPrefix("text/plain") == true)
            let text = r.text
            #expect(text.contains("scorecard_http_requests_total"))
            let lines = text.split(separator: "\n")
            #expect(lines.contains { $0.hasPrefix("scorecard_http_requests_total") && $0.contains("/healthz") && $0.contains("\"200\"") })
            #expect(lines.contains { $0.hasPrefix("scorecard_http_requests_total") && $0.contains("/api/v1/me") && $0.contains("\"401\"") })
        }
    }

    @Test(arguments: TestBackend.all) func errorBodiesHaveOnlyCodeAndMessage(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let r = try await server.request("GET", "/api/v1/me")
            let j = try r.json
            #expect(Set(j.object?.keys.map { $0 } ?? []) == ["error"])
            #expect(Set(j["error"]?.object?.keys.map { $0 } ?? []) == ["code", "message"])
        }
    }
}
