import Foundation
import ScorecardCache
import ScorecardCore
import ScorecardServer
import ScorecardSync
import ScorecardTesting
import Testing

/// Sync through ``FaultProxy``: dropped, cut, stalled, slow and 503 connections, then a healthy
/// network — the mirror always ends equal to the server.
@Suite struct FaultInjectionTests {
    /// Seeds one demo agent, starts a proxy in front of the server, and hands over the pieces.
    static func withProxy(
        backend: TestBackend, days: Int = 10, _ body: (TestServer, Sandbox, FaultProxy, _ proxyURL: String, _ token: String, _ mirror: Mirror) async throws -> Void
    ) async throws {
        try await withServer(backend: backend) { server, sandbox in
            try await server.seedDemo(agents: 1, days: days)
            let token = try await server.demoLogin()
            let proxy = try FaultProxy(upstreamPort: server.port)
            proxy.start()
            defer { proxy.stop() }
            let url = "http://127.0.0.1:\(proxy.port)"
            let mirror = try openMirror(sandbox, server: url, person: Demo.agent)
            try await body(server, sandbox, proxy, url, token, mirror)
        }
    }

    @Test(arguments: TestBackend.all) func scheduledFaultsThenPassEndsUpToDate(backend: TestBackend) async throws {
        try await Self.withProxy(backend: backend) { server, _, proxy, url, token, mirror in
            proxy.schedule([.cutResponse(afterBytes: 300), .refuse, .status503(retryAfterSeconds: 1), .delay(milliseconds: 300)])
            let started = ContinuousClock.now
            let report = await makeEngine(mirror: mirror, server: url, token: token, pageSize: 100).run()
            #expect(report.outcome == .upToDate)
            #expect(proxy.connectionsAccepted >= 4, "every scheduled fault met a connection")
            #expect(report.requests >= report.pages + 3, "three failed requests were retried: \(report.requests) for \(report.pages) pages")
            #expect(ContinuousClock.now - started >= .seconds(1), "Retry-After: 1 was waited out")
            try await expectMirrorEqualsServer(mirror, server, person: Demo.agent)
        }
    }

    @Test(arguments: TestBackend.all) func aStallPastTheDeadlineIsRetried(backend: TestBackend) async throws {
        try await Self.withProxy(backend: backend) { server, _, proxy, url, token, mirror in
            proxy.schedule([.stall])
            let started = ContinuousClock.now
            // 3 s: long enough that a healthy page never hits it on a loaded 2-core CI machine (the whole
            // suite runs in parallel, and the sync itself took 18 s there once). The upper bound stays
            // below URLSession's 60 s request timeout, so it is our deadline that cut the stall off.
            let report = await makeEngine(mirror: mirror, server: url, token: token, pageSize: 200, deadline: .seconds(3)).run()
            let elapsed = ContinuousClock.now - started
            #expect(report.outcome == .upToDate)
            #expect(elapsed >= .seconds(3) && elapsed < .seconds(45), "gave up on the stall after the 3 s deadline: \(elapsed)")
            // One request per page, one for the new mirror's window, and the one the stall cut off.
            #expect(report.window != nil)
            #expect(report.requests == report.pages + 1 + 1)
            try await expectMirrorEqualsServer(mirror, server, person: Demo.agent)
        }
    }

    @Test(arguments: TestBackend.all, [UInt64(7), 2_024])
    func randomFaultsOverAMultiPageSync(backend: TestBackend, seed: UInt64) async throws {
        try await Self.withProxy(backend: backend) { server, _, proxy, url, token, mirror in
            proxy.randomFaults(
                seed: seed, failureRate: 0.3,
                modes: [
                    .refuse, .cutResponse(afterBytes: 200), .cutResponse(afterBytes: 3_000), .status503(retryAfterSeconds: 0),
                    .delay(milliseconds: 40),
                ])
            // `Connection: close` on every request: one TCP connection, so one roll of the dice, per request.
            let transport = ScriptedTransport(closeConnections: true)
            let report = await makeEngine(mirror: mirror, server: url, token: token, pageSize: 40, transport: transport).run()
            #expect(report.outcome == .upToDate)
            #expect(report.pages >= 15)
            #expect(proxy.connectionsAccepted >= transport.sent, "each request had its own connection")
            #expect(report.requests > report.pages, "some requests failed and were retried (\(report.requests) for \(report.pages) pages)")
            try await expectMirrorEqualsServer(mirror, server, person: Demo.agent)
        }
    }

    /// A body cut short is never applied: the cursor and the rows stay; once healed, the engine ends equal.
    @Test(arguments: TestBackend.all) func aTruncatedPageIsNotAppliedAndTheSyncRecovers(backend: TestBackend) async throws {
        try await Self.withProxy(backend: backend) { server, _, proxy, url, token, mirror in
            proxy.mode = .cutResponse(afterBytes: 1_500)
            var client = APIClient(server: URL(string: url)!, token: token)
            client.deadline = .seconds(5)
            do throws(SyncMachine.Failure) {
                let page = try await client.pull(since: 0, limit: 100)
                Issue.record("a truncated page was accepted: \(page.page.changes.count) changes")
            } catch {
                guard case .transient = error else {
                    Issue.record("a truncated page must be a transient failure, not \(error)")
                    return
                }
            }
            let failed = await makeEngine(mirror: mirror, server: url, token: token, pageSize: 100, maxAttempts: 3).run()
            guard case .failed = failed.outcome else {
                Issue.record("expected the run to give up while every answer is cut: \(failed.outcome)")
                return
            }
            #expect(failed.pages == 0)
            #expect(try mirror.cursor() == 0, "cursor unchanged")
            #expect(try mirror.status().rows.values.reduce(0, +) == 0, "nothing applied")

            // Heal while a patient run is retrying.
            var engine = makeEngine(mirror: mirror, server: url, token: token, pageSize: 100, maxAttempts: 60)
            engine.policy.baseDelay = 0.05
            engine.policy.maxDelay = 0.05
            let run = Task { [engine] in await engine.run() }
            try await Task.sleep(for: .milliseconds(400))
            proxy.heal()
            let report = await run.value
            #expect(report.outcome == .upToDate)
            #expect(report.requests > report.pages)
            try await expectMirrorEqualsServer(mirror, server, person: Demo.agent)
        }
    }

    /// A 200 whose body is not a page (cut in half, or garbage) is retried, never applied.
    @Test(arguments: TestBackend.all) func anUndecodableBodyIsRetriedNotApplied(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server, sandbox in
            try await server.seedDemo(agents: 1, days: 10)
            let token = try await server.demoLogin()
            let mirror = try openMirror(sandbox, server: server.baseURL, person: Demo.agent)

            let client = APIClient(server: URL(string: server.baseURL)!, token: token, transport: ScriptedTransport([.truncateBody]))
            do throws(SyncMachine.Failure) {
                _ = try await client.pull(since: 0, limit: 50)
                Issue.record("half a page was decoded")
            } catch {
                guard case .transient(let message, _) = error else {
                    Issue.record("expected transient, got \(error)")
                    return
                }
                #expect(message.contains("nothing was applied"))
            }

            let broken = ScriptedTransport([], then: .garbageBody)
            let failed = await makeEngine(mirror: mirror, server: server.baseURL, token: token, pageSize: 50, transport: broken, maxAttempts: 2).run()
            guard case .failed = failed.outcome else {
                Issue.record("expected failure: \(failed.outcome)")
                return
            }
            #expect(try mirror.cursor() == 0)
            #expect(try mirror.allCalls().isEmpty)

            let flaky = ScriptedTransport([.truncateBody, .garbageBody, .pass, .pass, .truncateBody])
            let report = await makeEngine(mirror: mirror, server: server.baseURL, token: token, pageSize: 50, transport: flaky).run()
            #expect(report.outcome == .upToDate)
            // One request per page, one for the new mirror's window, and the three bad answers retried.
            #expect(report.window != nil)
            #expect(report.requests == report.pages + 1 + 3)
            try await expectMirrorEqualsServer(mirror, server, person: Demo.agent)
        }
    }
}
