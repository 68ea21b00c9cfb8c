import Foundation
import Glibc
import ScorecardCore
import ScorecardServer
import ScorecardTesting
import Testing

/// The in-flight limit: past it a request is answered at once with 503 `overloaded` and
/// `Retry-After`, never queued; health checks, metrics and long-poll waits are not counted.
@Suite("Overload")
struct OverloadTests {
    /// Waits until the server counts `n` requests in progress.
    static func waitForInFlight(_ server: TestServer, _ n: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while server.running.services.admission.current != n, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(server.running.services.admission.current == n)
    }

    @Test func pastTheLimitTheServerAnswers503OverloadedAndRecovers() async throws {
        try await withServer(backend: .sqlite, configure: { $0.maxInFlight = 2 }) { server in
            let admin = try await server.adminToken()
            try await server.addPerson("agent-1")
            let agent = try await server.login("agent-1")
            // Two ingests whose bodies never finish arriving hold the two places.
            let head = "POST /api/v1/ingest/cdr HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(admin)\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n[{"
            let held = try (0..<2).map { _ in try LongPollTests.sendRaw(port: server.port, head) }
            try await Self.waitForInFlight(server, 2)

            let refused = try await server.request("GET", "/api/v1/me", token: agent)
            #expect(refused.status == 503)
            #expect(refused.errorCode == "overloaded", "\(refused.text)")
            #expect(refused.header("Retry-After") == "1")
            // Not counted: the health check, the metrics, a long-poll.
            #expect(try await server.request("GET", "/healthz").status == 200)
            let metrics = try await server.request("GET", "/metrics").text
            #expect(metrics.contains("scorecard_http_in_flight 2") && metrics.contains("scorecard_http_overloaded_total 1"), "\(metrics)")
            #expect(try await server.request("GET", "/api/v1/sync/pull?since=0&wait=1", token: agent).status == 200)
            // A page answers with the error page, not a hang.
            let page = try await server.request("GET", "/login")
            #expect(page.status == 503 && page.text.contains("<html"), "\(page.status)")

            // The held requests end: the places are free again, nothing was written.
            for fd in held { close(fd) }
            try await Self.waitForInFlight(server, 0)
            #expect(try await server.request("GET", "/api/v1/me", token: agent).status == 200)
            #expect(try await server.count("SELECT COUNT(*) FROM calls") == 0)
        }
    }
}
