import Foundation
import ScorecardCache
import ScorecardCore
import ScorecardTesting
import Testing

/// The shell as a person uses it, under tmux.
@Suite(.serialized) struct InteractiveTests {
    /// A sandbox with an account on an unreachable server and reviews in its mirror; the shell
    /// runs without auto-sync, from the mirror alone.
    func withShell(_ body: (Tmux, Sandbox) async throws -> Void) async throws {
        guard !Tmux.missing else {
            print("InteractiveTests: tmux is not installed (apt-get install tmux); skipping the interactive tests")
            return
        }
        let sandbox = try Sandbox.make()
        defer { sandbox.remove() }
        let mirror = try sandbox.register(server: "http://127.0.0.1:9", person: "agent-001", token: "t")
        try seedDocuments(mirror, reviews: Fixtures.reviews, goals: Fixtures.goals)
        let tmux = Tmux(sandbox: sandbox)
        defer { tmux.kill() }
        try await body(tmux, sandbox)
    }

    @Test func tabCompletesAReviewID() async throws {
        try await withShell { tmux, _ in
            try tmux.start(["shell", "--no-auto-sync"])
            try await tmux.waitForPrompt()
            try tmux.type("rev")
            try tmux.press("Tab")
            try await tmux.waitFor("the command name") { $0.contains("> review") && !$0.contains("> reviews") }
            try tmux.type(" rv-")
            try tmux.press("Tab")
            try await tmux.waitFor("the common prefix") { $0.contains("> review rv-2026w4") }
            try tmux.press("Tab", "Tab")  // as in bash: the Tab that cannot add anything rings, the next lists
            try await tmux.waitFor("the listing with labels") { $0.contains("rv-2026w46-7f3a9c  2026-W46 · 64.3 · not acknowledged") && $0.contains("rv-2026w45-11b2e0  2026-W45 · 71.5 · acknowledged") }
            try tmux.type("6")
            try tmux.press("Tab")
            try await tmux.waitFor("the whole id") { $0.split(separator: "\n").contains { $0.hasSuffix("> review rv-2026w46-7f3a9c") } }
            try tmux.press("Enter")
            try await tmux.waitFor("the review page") { $0.contains("Review rv-2026w46-7f3a9c") && $0.contains("Recommendations") }
            try tmux.press("C-d")
            try await tmux.waitFor("exit") { _ in (try? tmux.exitStatus()) != nil }
            #expect(try tmux.exitStatus() == 0)
        }
    }

    @Test func tabCompletesAMetricKeyWithoutASpaceForItsValue() async throws {
        try await withShell { tmux, sandbox in
            let mirror = try sandbox.register(server: "http://127.0.0.1:9", person: "agent-001", token: "t")
            try seedDocuments(mirror, snapshots: [WhatIfRenderingTests.snapshot])
            try tmux.start(["shell", "--no-auto-sync"])
            try await tmux.waitForPrompt()
            try tmux.type("scores wh")
            try tmux.press("Tab")
            try await tmux.waitFor("the subcommand") { $0.contains("> scores what-if") }
            try tmux.type("sla_c")
            try tmux.press("Tab")
            try await tmux.waitFor("the key and its =") { $0.split(separator: "\n").contains { $0.hasSuffix("> scores what-if sla_compliance_rate=") } }
            try tmux.type("75")  // straight after the =, no space in between
            try tmux.press("Enter")
            try await tmux.waitFor("the what-if page") { $0.contains("What-if · 2026-W46") && $0.contains("sla_compliance_rate  50 → 75") }
            try tmux.press("C-d")
            try await tmux.waitFor("exit") { _ in (try? tmux.exitStatus()) != nil }
        }
    }

    @Test func historyRecallsACommandAfterARestart() async throws {
        try await withShell { tmux, sandbox in
            try tmux.start(["shell", "--no-auto-sync"])
            try await tmux.waitForPrompt()
            // One line per prompt, as a person types (input typed while a command runs is the
            // terminal's until readline takes it back).
            for (n, line) in ["status", "", "status", "goals"].enumerated() {
                try tmux.type(line)
                try tmux.press("Enter")
                try await tmux.waitFor("prompt \(n + 2)") { Tmux.prompts(in: $0) >= n + 2 }
            }
            try await tmux.waitFor("goals") { $0.contains("Reduce first response time") && Tmux.prompts(in: $0) >= 5 }
            try tmux.press("C-d")
            try await tmux.waitFor("exit") { _ in (try? tmux.exitStatus()) != nil }
            let attributes = try FileManager.default.attributesOfItem(atPath: sandbox.historyPath)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
            #expect(try String(contentsOfFile: sandbox.historyPath, encoding: .utf8) == "status\ngoals\n", "no blank or repeated lines")

            try tmux.tmux(["respawn-pane", "-k", "-t", "t"])
            try await tmux.waitFor("a fresh shell") { Tmux.prompts(in: $0) == 1 }
            try tmux.press("Up")
            try await tmux.waitFor("goals recalled") { $0.contains("> goals") }
            try tmux.press("Up")
            try await tmux.waitFor("status recalled") { $0.contains("> status") }
            try tmux.press("Enter")
            try await tmux.waitFor("status output") { $0.contains("server:       http://127.0.0.1:9") }
        }
    }

    @Test func ctrlCClearsTheLineWithoutExiting() async throws {
        try await withShell { tmux, _ in
            try tmux.start(["shell", "--no-auto-sync"])
            try await tmux.waitForPrompt()
            try tmux.type("stats nonsense")
            try await tmux.waitFor("typed text") { $0.contains("> stats nonsense") }
            try tmux.press("C-c")
            try await tmux.waitFor("a fresh prompt") { Tmux.prompts(in: $0) == 2 }
            try tmux.type("status")
            try tmux.press("Enter")
            let screen = try await tmux.waitFor("status output") { $0.contains("outbox:       0 pending") }
            #expect(!screen.contains("unknown period"), "the abandoned line did not run")
            #expect(!screen.contains("nonsensestatus"))
            #expect(try tmux.exitStatus() == nil, "the shell is still running")
            try tmux.type("quit")
            try tmux.press("Enter")
            try await tmux.waitFor("exit") { _ in (try? tmux.exitStatus()) != nil }
            #expect(try tmux.exitStatus() == 0)
        }
    }

    /// Offline, `ack` shows `1 pending` in the prompt; once the server can be reached, `sync` sends
    /// it and the prompt clears.
    @Test func anOfflineAckShowsPendingAndASyncClearsIt() async throws {
        guard !Tmux.missing else {
            print("InteractiveTests: tmux is not installed (apt-get install tmux); skipping the interactive tests")
            return
        }
        try await withServer { server, sandbox in
            let token = try await server.seedDemoAgent()
            var proxy = try FaultProxy(upstreamPort: server.port)
            proxy.start()
            let port = proxy.port
            let mirror = try sandbox.register(server: "http://127.0.0.1:\(port)", person: "agent-001", token: token)
            #expect(try await scorecard(["sync"], sandbox: sandbox).status == 0)
            let review = try #require(try mirror.reviews().first { !$0.isAcknowledged }, "the demo agent has a review to acknowledge")
            proxy.stop()  // offline

            let tmux = Tmux(sandbox: sandbox)
            defer { tmux.kill() }
            try tmux.start(["shell", "--no-auto-sync"])
            try await tmux.waitForPrompt()
            try tmux.type("sync")
            try tmux.press("Enter")
            try await tmux.waitFor("the offline prompt") { $0.contains("agent-001@127.0.0.1:\(port) [offline]>") }
            try tmux.type("ack \(review.id.prefix(8))")
            try tmux.press("Enter")
            try await tmux.waitFor("1 pending") { $0.contains("[offline · 1 pending]>") }
            #expect(try await server.store.review(id: review.id)?.isAcknowledged == false)

            proxy = try FaultProxy(upstreamPort: server.port, listenPort: port)  // back online
            proxy.start()
            defer { proxy.stop() }
            try tmux.type("sync")
            try tmux.press("Enter")
            let screen = try await tmux.waitFor("the sync and a clear prompt") {
                $0.contains("Sent 1 edit: 1 applied.") && $0.split(separator: "\n").last { $0.contains("scorecard agent-001@") }?.hasSuffix("\(port)>") == true
            }
            #expect(!screen.split(separator: "\n").last { $0.contains("scorecard agent-001@") }!.contains("pending"))
            #expect(try await server.store.review(id: review.id)?.isAcknowledged == true)
            try tmux.press("C-d")
            try await tmux.waitFor("exit", seconds: 45) { _ in (try? tmux.exitStatus()) != nil }  // a process that used the network exits slower on a loaded machine
            #expect(try tmux.exitStatus() == 0)
        }
    }
}
