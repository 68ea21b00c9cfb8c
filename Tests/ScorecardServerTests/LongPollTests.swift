import Foundation
import Glibc
import ScorecardCore
import ScorecardServer
import ScorecardTesting
import Testing

/// `GET /api/v1/sync/pull?since=HEAD&wait=SECONDS`: the long-poll. The sweep is set to a minute
/// in these tests, so a wake-up within seconds can only come from the commit's own report.
@Suite("Long-poll")
struct LongPollTests {
    static func configure(_ c: inout ServerConfiguration) { c.longPollSweep = .seconds(60) }

    /// Waits until `count` pull requests wait on the server (at most 10 s).
    static func waitForWaiters(_ server: TestServer, _ count: Int) async throws {
        let reached = try await server.waitForLongPolls(count)
        #expect(reached, "expected \(count) waiting requests, found \(server.running.services.feedWaiters.count)")
    }

    @Test(arguments: TestBackend.all) func aChangeWakesTheWaitingPull(backend: TestBackend) async throws {
        try await withServer(backend: backend, configure: LongPollTests.configure) { server in
            let admin = try await server.adminToken()
            try await server.addPerson("agent-1")
            try await server.addPerson("agent-2")
            let agent = try await server.login("agent-1")
            _ = try await server.ingestCDRs([cdr("c0", agent: "agent-1")], token: admin)
            let head = try await server.pull(token: agent, since: 0).next
            #expect(head == 1)

            let waiting = Task { try await server.request("GET", "/api/v1/sync/pull?since=\(head)&wait=30", token: agent) }
            try await LongPollTests.waitForWaiters(server, 1)
            // Someone else's change does not answer it.
            _ = try await server.ingestCDRs([cdr("other", agent: "agent-2")], token: admin)
            try await Task.sleep(for: .milliseconds(300))
            #expect(server.running.services.feedWaiters.count == 1)

            let written = ContinuousClock.now
            _ = try await server.ingestCDRs([cdr("c1", agent: "agent-1", n: 1)], token: admin)
            let response = try await waiting.value
            let took = ContinuousClock.now - written
            #expect(response.status == 200)
            let page = try response.decode(PullPage<FeedEntity>.self)
            #expect(page.changes.map(\.id) == ["c1"])
            #expect(page.next == 2)
            #expect(!page.hasMore)
            #expect(took < .seconds(10), "woken \(took) after the commit (the sweep is a minute: only the commit's report wakes it)")
            #expect(server.running.services.feedWaiters.count == 0)
        }
    }

    @Test(arguments: TestBackend.all) func theWaitEndsWithTheUsualEmptyPage(backend: TestBackend) async throws {
        try await withServer(backend: backend, configure: LongPollTests.configure) { server in
            try await server.addPerson("agent-1")
            let agent = try await server.login("agent-1")
            let started = ContinuousClock.now
            let response = try await server.request("GET", "/api/v1/sync/pull?since=0&wait=1", token: agent)
            let took = ContinuousClock.now - started
            #expect(response.status == 200)
            let page = try response.decode(PullPage<FeedEntity>.self)
            #expect(page.changes.isEmpty)
            #expect(page.next == 0)
            #expect(!page.hasMore)
            #expect(took >= .milliseconds(900), "answered after \(took), before the wait ended")
            #expect(took < .seconds(8))
        }
    }

    @Test func aCursorBehindTheHeadAnswersAtOnce() async throws {
        try await withServer(backend: .sqlite, configure: LongPollTests.configure) { server in
            let admin = try await server.adminToken()
            try await server.addPerson("agent-1")
            let agent = try await server.login("agent-1")
            _ = try await server.ingestCDRs([cdr("c0", agent: "agent-1"), cdr("c1", agent: "agent-1", n: 1)], token: admin)
            let started = ContinuousClock.now
            let response = try await server.request("GET", "/api/v1/sync/pull?since=1&wait=30&format=rows", token: agent)
            #expect(ContinuousClock.now - started < .seconds(5))
            #expect(response.status == 200)
            #expect(try response.json["next"]?.int == 2)
            #expect(server.running.services.feedWaiters.peak == 0)
        }
    }

    @Test func badWaitValuesAreRefused() async throws {
        try await withServer(backend: .sqlite) { server in
            try await server.addPerson("agent-1")
            let agent = try await server.login("agent-1")
            for value in ["61", "-1", "soon", "1.5"] {
                let response = try await server.request("GET", "/api/v1/sync/pull?since=0&wait=\(value)", token: agent)
                #expect(response.status == 422, "wait=\(value)")
                #expect(try response.json["error"]?["code"]?.string == "invalid_value", "wait=\(value)")
            }
            // wait=0 is today's pull.
            #expect(try await server.request("GET", "/api/v1/sync/pull?since=0&wait=0", token: agent).status == 200)
        }
    }

    @Test(arguments: TestBackend.all) func aClientThatGoesAwayLeavesNothingWaiting(backend: TestBackend) async throws {
        try await withServer(backend: backend, configure: LongPollTests.configure) { server in
            try await server.addPerson("agent-1")
            let agent = try await server.login("agent-1")
            let fd = try LongPollTests.sendRaw(port: server.port, "GET /api/v1/sync/pull?since=0&wait=60 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(agent)\r\n\r\n")
            try await LongPollTests.waitForWaiters(server, 1)
            close(fd)
            let released = ContinuousClock.now
            try await LongPollTests.waitForWaiters(server, 0)
            #expect(ContinuousClock.now - released < .seconds(10))
            // The server is still fine.
            #expect(try await server.request("GET", "/api/v1/sync/pull?since=0", token: agent).status == 200)
        }
    }

    @Test func aServerShuttingDownAnswersEveryWaitingClient() async throws {
        let server = try await TestServer.start(backend: .sqlite, configure: LongPollTests.configure)
        do {
            try await server.addPerson("agent-1")
            let agent = try await server.login("agent-1")
            let waits = (0..<5).map { _ in
                Task { try await server.request("GET", "/api/v1/sync/pull?since=0&wait=60", token: agent) }
            }
            try await LongPollTests.waitForWaiters(server, 5)
            let stopping = ContinuousClock.now
            await server.running.stop()
            for wait in waits {
                let response = try await wait.value
                #expect(response.status == 200)
                #expect(try response.decode(PullPage<FeedEntity>.self).changes.isEmpty)
            }
            #expect(ContinuousClock.now - stopping < .seconds(15), "the shutdown waited for the long-polls")
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    /// Connects to the loopback port and writes `request`; returns the socket.
    static func sendRaw(port: Int, _ request: String) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw POSIXError(.ECONNREFUSED)
        }
        let bytes = Array(request.utf8)
        guard write(fd, bytes, bytes.count) == bytes.count else {
            close(fd)
            throw POSIXError(.EIO)
        }
        return fd
    }
}
