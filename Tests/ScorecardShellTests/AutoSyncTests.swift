import Foundation
import ScorecardCache
import ScorecardCore
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
}
