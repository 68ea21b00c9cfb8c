import Foundation
import ScorecardCache
import ScorecardCore
import ScorecardSync
@testable import ScorecardShell
import ScorecardTesting
import Testing

/// The background sync: what it tells the person, and that it never garbles the line being typed.
@Suite struct AutoSyncTests {
    @Test func saysWhatChangedAndGoingOfflineOnce() async throws {
        try await withServer { server, sandbox in
            let token = try await server.seedDemoAgent()
            try sandbox.register(server: server.baseURL, person: "agent-001", token: token)
            let session = ShellSession(accounts: sandbox.accounts, interactive: true)
            let auto = AutoSync(interval: .seconds(300), session: session, notices: Notices())
            #expect(auto.initialDelay() == .zero, "never synced: sync right away")
            var last = "ok"
            let first = await auto.once(lastOutcome: &last)
            #expect(first?.hasPrefix("auto-sync: Synced: calls ") == true, "\(first ?? "nil")")
            #expect(await auto.once(lastOutcome: &last) == nil, "nothing new, nothing said")
            #expect(auto.initialDelay() > .seconds(290), "just synced: wait the interval")
            #expect(Prompt.current(session) == "scorecard agent-001@127.0.0.1:\(server.port)> ")
            await server.stop()
            #expect(await auto.once(lastOutcome: &last) == "auto-sync: offline; the mirror still answers every command.")
            #expect(await auto.once(lastOutcome: &last) == nil, "said once")
            #expect(Prompt.current(session) == "scorecard agent-001@127.0.0.1:\(server.port) [offline]> ")
        }
    }

    /// Once a day, right after a successful sync, the background sync verifies the mirror (one
    /// request when all is equal) and speaks only when something differs.
    @Test func verifiesOnceADayAndSpeaksOnlyWhenSomethingDiffers() async throws {
        try await withServer { server, sandbox in
            let token = try await server.seedDemoAgent()
            let mirror = try sandbox.register(server: server.baseURL, person: "agent-001", token: token)
            let session = ShellSession(accounts: sandbox.accounts, interactive: true)
            let auto = AutoSync(interval: .seconds(300), session: session, notices: Notices())
            var last = "ok"
            let first = await auto.once(lastOutcome: &last)
            #expect(first?.hasPrefix("auto-sync: Synced: calls ") == true && first?.contains("auto-verify") == false, "\(first ?? "nil")")
            #expect(try mirror.meta(.lastVerifyResult) == "ok", "the first sync verified, silently")
            let victim = try #require(try mirror.allCalls().first).id
            let sqlite3 = Process()
            sqlite3.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
            sqlite3.arguments = [mirror.path, "DELETE FROM calls WHERE id = '\(victim)'"]
            try sqlite3.run()
            sqlite3.waitUntilExit()
            #expect(await auto.once(lastOutcome: &last) == nil, "verified less than a day ago: not again")
            try mirror.setMeta([.lastVerifyAt: "2000-01-01T00:00:00Z"])
            let notice = await auto.once(lastOutcome: &last)
            #expect(notice == "auto-verify: the mirror differs from the server: calls (1 missing); `verify --repair` re-pulls it.")
            #expect(try mirror.meta(.lastVerifyResult) == "differs: calls (1 missing)")
        }
    }

    @Test func noticesAppearAboveTheLineBeingTyped() async throws {
        guard !Tmux.missing else {
            print("AutoSyncTests: tmux is not installed (apt-get install tmux); skipping the interactive test")
            return
        }
        try await withServer { server, sandbox in
            let token = try await server.seedDemoAgent()
            try sandbox.register(server: server.baseURL, person: "agent-001", token: token)
            try await server.addPerson("root", role: .admin)
            let admin = try await server.login("root")
            let tmux = Tmux(sandbox: sandbox)
            defer { tmux.kill() }
            try tmux.start(["shell", "--auto-sync-interval", "5"])
            try await tmux.waitFor("the first background sync") { $0.contains("auto-sync: Synced: calls ") }
            try tmux.type("stat")
            try await tmux.waitFor("typed text") { $0.split(separator: "\n").last?.hasSuffix("> stat") == true }
            let cdr = CDRFixture.record(id: "NEW-1", agent: "agent-001", start: "2026-11-20 18:00:00")
            let response = try await server.request("POST", "/api/v1/ingest/cdr", token: admin, body: try CDRFixture.json([cdr]))
            #expect(response.status == 200)
            let screen = try await tmux.waitFor("the second notice", seconds: 12) { $0.contains("auto-sync: Synced: calls 1 updated.") }
            let lines = screen.split(separator: "\n")
            #expect(lines.last?.hasSuffix("> stat") == true, "the half-typed line is redrawn under the notice:\n\(screen)")
            #expect(lines.dropLast().last == "auto-sync: Synced: calls 1 updated.")
            try tmux.type("us")
            try tmux.press("Enter")
            try await tmux.waitFor("status output") { $0.contains("> status") && $0.contains("outbox:       0 pending") }
        }
    }

    /// Waits until `count` pull requests wait on the server.
    static func waitForWaiters(_ server: TestServer, _ count: Int) async throws {
        #expect(try await server.waitForLongPolls(count), "\(server.running.services.feedWaiters.count) waiting, expected \(count)")
    }

    static let goalBody = #"{"person_id":"agent-001","domain":"communication","metric_key":"avg_first_response_minutes","label":"First reply within 10 minutes","target_value":10,"comparison":"lte","deadline":"2099-01-01"}"#

    @Test func theLongPollNamesWhatTheManagerDid() async throws {
        try await withServer { server, sandbox in
            let token = try await server.seedDemoAgent()
            let mirror = try sandbox.register(server: server.baseURL, person: "agent-001", token: token)
            let session = ShellSession(accounts: sandbox.accounts, interactive: true)
            let notices = Notices()
            let auto = AutoSync(interval: .seconds(300), liveWait: 20, session: session, notices: notices)
            var last = "ok"
            _ = await auto.once(lastOutcome: &last)
            let manager = try await server.login("manager-01", password: "demo-manager-01")

            // A goal the manager sets: named, with who set it.
            var listening = Task { var outcome = "ok"; return await auto.listen(lastOutcome: &outcome) }
            try await Self.waitForWaiters(server, 1)
            let created = try await server.request("POST", "/api/v1/performance/goals", token: manager, body: Data(Self.goalBody.utf8))
            #expect(created.status == 201, "\(created.text)")
            #expect(await listening.value == .again)
            #expect(notices.drain() == ["new goal from manager-01: First reply within 10 minutes"])
            let goal = try created.decode(Goal.self)
            #expect(try mirror.serverGoal(goal.id)?.version == 1, "the page is in the mirror")

            // The manager edits it: named as an update.
            listening = Task { var outcome = "ok"; return await auto.listen(lastOutcome: &outcome) }
            try await Self.waitForWaiters(server, 1)
            let edited = try await server.request(
                "PATCH", "/api/v1/performance/goals/\(goal.id)", token: manager, body: Data(#"{"target_value":8}"#.utf8),
                headers: ["If-Match": "\"1\"", "Content-Type": "application/json"])
            #expect(edited.status == 200, "\(edited.text)")
            #expect(await listening.value == .again)
            #expect(notices.drain() == ["goal updated: First reply within 10 minutes"])
            #expect(try mirror.serverGoal(goal.id)?.targetValue == 8)

            // Nothing happens: the wait ends with nothing said; a page the mirror already holds
            // (the echo of one's own edit) says nothing either.
            let quiet = AutoSync(interval: .seconds(300), liveWait: 1, session: session, notices: notices)
            var outcome = "ok"
            #expect(await quiet.listen(lastOutcome: &outcome) == .again)
            #expect(notices.drain().isEmpty)
            let json = String(decoding: try WireJSON.encode(try #require(try mirror.serverGoal(goal.id))), as: UTF8.self)
            let echo = LiveApply.Change(
                change: MirrorChange(seq: 9, stream: "goals", op: .upsert, id: goal.id, payload: .document(periodStart: nil, version: 2, json: json)),
                before: (2, json))
            #expect(LiveNotices.line(echo, me: "agent-001") == nil)
        }
    }

    @Test func aGoalTheManagerSetsShowsInTheOpenShell() async throws {
        guard !Tmux.missing else {
            print("AutoSyncTests: tmux is not installed (apt-get install tmux); skipping the interactive test")
            return
        }
        try await withServer { server, sandbox in
            let token = try await server.seedDemoAgent()
            let mirror = try sandbox.register(server: server.baseURL, person: "agent-001", token: token)
            let manager = try await server.login("manager-01", password: "demo-manager-01")
            // Synced just before the shell opens: its first timed sync is 10 minutes away, so the
            // notice can only come from the long-poll, which starts at once.
            let synced = await SyncEngine(mirror: mirror, client: APIClient(server: URL(string: server.baseURL)!, token: token)).run()
            #expect(synced.outcome == .upToDate)
            let tmux = Tmux(sandbox: sandbox)
            defer { tmux.kill() }
            try tmux.start(["shell", "--auto-sync-interval", "600"])
            try await tmux.waitFor("the prompt") { $0.contains("agent-001@") }
            try await Self.waitForWaiters(server, 1)
            try tmux.type("goa")
            let set = ContinuousClock.now
            let created = try await server.request("POST", "/api/v1/performance/goals", token: manager, body: Data(Self.goalBody.utf8))
            #expect(created.status == 201)
            let screen = try await tmux.waitFor("the goal's notice", seconds: 10) { $0.contains("new goal from manager-01: First reply within 10 minutes") }
            #expect(ContinuousClock.now - set < .seconds(10))
            let lines = screen.split(separator: "\n")
            #expect(lines.last?.hasSuffix("> goa") == true, "the half-typed line is redrawn under the notice:\n\(screen)")
            try tmux.type("ls")
            try tmux.press("Enter")
            try await tmux.waitFor("the goal in the list") { $0.contains("First reply within 10 minutes") && $0.contains("> goals") }
        }
    }
}
