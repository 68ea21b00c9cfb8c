import Foundation
import ScorecardCache
import ScorecardCore
import ScorecardTesting
import Testing

/// `scorecard -c …` and commands on standard input, as a child process against a real server.
@Suite struct ScriptedTests {
    @Test func chainedCommandsRunInOrderAndShareTheParserWithTheCLI() async throws {
        try await withServer { server, sandbox in
            let token = try await server.seedDemoAgent()
            try sandbox.register(server: server.baseURL, person: "agent-001", token: token)
            let range = "2026-11-16..2026-11-20"
            let run = try await scorecard(["-c", "sync", "-c", "stats \(range) --format json", "-c", "calls --limit 2 --format csv"], sandbox: sandbox)
            #expect(run.status == 0, "\(run.stderr)")
            let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            #expect(lines[0].hasPrefix("Synced: calls "))
            let kpi = try await server.request("GET", "/api/v1/performance/kpis?from=2026-11-16&to=2026-11-20", token: token)
            #expect(lines[1] == kpi.text, "the shell's stats JSON is the server's")
            #expect(lines[2] == "id,started_at,direction,call_type,status,talk_seconds,handling_seconds,disposition")
            #expect(lines.count == 6 && lines[5].isEmpty)

            // The one-shot command prints the same bytes as the shell line.
            let oneShot = try await scorecard(["stats", range, "--format", "json"], sandbox: sandbox)
            #expect(oneShot.stdout == kpi.text + "\n")
            let table = try await scorecard(["-c", "stats \(range)"], sandbox: sandbox)
            #expect(table.stdout == (try await scorecard(["stats", range], sandbox: sandbox)).stdout)
            #expect(table.stdout.contains("Total calls") && table.stdout.contains("Call volume") && table.stdout.contains("Time utilization"))
            #expect(!table.stdout.contains("\u{1B}["), "no colour when piped")
        }
    }

    @Test func commandsOnStandardInputWithoutPromptOrEcho() async throws {
        try await withServer { server, sandbox in
            let token = try await server.seedDemoAgent()
            try sandbox.register(server: server.baseURL, person: "agent-001", token: token)
            let script = "sync\n# a comment\n\n\\format csv\nstats 2026-11-20\nstatus --format json\n"
            for arguments in [["shell"], []] {
                let run = try await scorecard(arguments, sandbox: sandbox, stdin: script)
                #expect(run.status == 0, "\(arguments): \(run.stderr)")
                #expect(run.stdout.contains("date,total,inbound,outbound,answered,missed\n2026-11-20,"), "\\format applies to later lines")
                #expect(run.stdout.contains(#""person":"agent-001""#))
                #expect(!run.stdout.contains("scorecard agent-001"), "no prompt")
                #expect(!run.stdout.contains("stats 2026-11-20"), "no echo")
            }
            #expect(!FileManager.default.fileExists(atPath: sandbox.historyPath), "no history from scripts")
        }
    }

    @Test func exitCodes() async throws {
        try await withServer { server, sandbox in
            // 4: no account yet.
            var run = try await scorecard(["-c", "stats today"], sandbox: sandbox)
            #expect(run.status == 4 && run.stderr.contains("run `scorecard login"), "\(run)")
            let token = try await server.seedDemoAgent()
            let mirror = try sandbox.register(server: server.baseURL, person: "agent-001", token: token)
            try seedDocuments(mirror, reviews: Fixtures.reviews)
            // 2: an unknown command, or bad usage; nothing after it runs.
            run = try await scorecard(["-c", "bogus", "-c", "status"], sandbox: sandbox)
            #expect(run.status == 2 && run.stderr.contains("unknown command 'bogus'") && run.stdout.isEmpty, "\(run)")
            run = try await scorecard(["-c", "stats --format xml"], sandbox: sandbox)
            #expect(run.status == 2, "\(run)")
            run = try await scorecard(["stats", "nonsense"], sandbox: sandbox)
            #expect(run.status == 2, "\(run)")
            // 1: a failing command; the commands after it do not run.
            run = try await scorecard(["-c", "reviews", "-c", "review nope", "-c", "status"], sandbox: sandbox)
            #expect(run.status == 1 && run.stderr.contains("no review 'nope'"), "\(run)")
            #expect(run.stdout.contains("rv-2026w46-7f3a9c") && !run.stdout.contains("server:"))
            run = try await scorecard(["shell"], sandbox: sandbox, stdin: "reviews\nreview rv-2026w4\nstatus\n")
            #expect(run.status == 1 && run.stderr.contains("matches several reviews") && !run.stdout.contains("server:"), "\(run)")
            // 5: the network was needed.
            await server.stop()
            run = try await scorecard(["-c", "status", "-c", "sync", "-c", "calls"], sandbox: sandbox)
            #expect(run.status == 5 && run.stderr.contains("offline"), "\(run)")
            #expect(run.stdout.contains("server:") && !run.stdout.contains("answered"))
            // …and the mirror still answers.
            run = try await scorecard(["-c", "review rv-2026w46"], sandbox: sandbox)
            #expect(run.status == 0 && run.stdout.contains("Recommendations"), "\(run)")
        }
    }

    @Test func scoresReviewsGoalsAndFeedbackFromTheMirror() async throws {
        try await withServer { server, sandbox in
            let token = try await server.seedDemoAgent()
            let mirror = try sandbox.register(server: server.baseURL, person: "agent-001", token: token)
            try seedDocuments(mirror, reviews: Fixtures.reviews, goals: Fixtures.goals, snapshots: Fixtures.snapshots, feedback: Fixtures.feedback)
            let run = try await scorecard(
                ["-c", "scores", "-c", "review rv-2026w45", "-c", "goals --all --format json", "-c", "feedback --type approval"], sandbox: sandbox)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("Scores · 2026-W46") && run.stdout.contains("12-week trend"))
            #expect(run.stdout.contains("Review rv-2026w45-11b2e0") && run.stdout.contains("acknowledged 2026-11-10T09:12:00Z"))
            #expect(run.stdout.contains(#""id":"g-csat""#) && run.stdout.contains(#""id":"g-frt""#))
            #expect(run.stdout.contains("migration checklist") && !run.stdout.contains("Q-77"))
        }
    }

    @Test func demoPrintsTheWeekWhenNotOnATerminal() async throws {
        let sandbox = try Sandbox.make()
        defer { sandbox.remove() }
        let run = try await scorecard(["demo", "--agents", "1", "--days", "3"], sandbox: sandbox)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("Scorecard demo — signed in as "), "the header first")
        #expect(run.stdout.contains("Web pages: http://127.0.0.1:") && run.stdout.contains("sign in as manager-01 (password demo-manager-01)"))
        #expect(run.stdout.contains("Total calls") && run.stdout.contains("Call volume"), "then `stats week`")
        #expect(!run.stdout.contains("scorecard agent-001@demo>"), "no shell without a terminal")
    }

    @Test func helpAndCompletionScripts() async throws {
        let sandbox = try Sandbox.make()
        defer { sandbox.remove() }
        var run = try await scorecard(["-c", "help", "-c", "help stats", "-c", "stats --help"], sandbox: sandbox)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("\\format table|csv|json") && run.stdout.contains("USAGE: stats [<period>]"))
        run = try await scorecard(["--generate-completion-script", "bash"], sandbox: sandbox)
        #expect(run.status == 0 && run.stdout.contains("_scorecard"), "\(run.stderr)")
        run = try await scorecard(["help", "review"], sandbox: sandbox)
        #expect(run.status == 0 && run.stdout.contains("USAGE: scorecard review <id>"), "\(run)")
    }
}
