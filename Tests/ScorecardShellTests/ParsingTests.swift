import ScorecardCore
import ScorecardShell
import ScorecardSync
import Testing

/// Review and goal ids for completion without a mirror.
struct FixedSource: CompletionSource {
    func reviews() -> [Completion] {
        [Completion("rv-2026w46-7f3a9c", label: "2026-W46 · 64.3 · not acknowledged"), Completion("rv-2026w45-11b2e0", label: "2026-W45 · 71.5 · acknowledged")]
    }
    func goals() -> [Completion] { [Completion("g-frt", label: "Reduce first response time · active")] }
    func accounts() -> [String] { ["demo/agent-001", "127.0.0.1:8080/agent-002"] }
}

@Suite struct ParsingTests {
    let completer = Completer(source: FixedSource(), today: Fixtures.today)

    func values(_ previous: [String], _ word: String) -> [String] { completer.complete(previous: previous, word: word).map(\.value) }

    @Test func tokenizer() throws {
        #expect(try Tokenizer.split("  stats   week ") == ["stats", "week"])
        #expect(try Tokenizer.split(#"review "a b" 'c d' e\f"#) == ["review", "a b", "c d", #"e\f"#])
        #expect(try Tokenizer.split(#"\format json"#) == [#"\format"#, "json"])
        #expect(try Tokenizer.split(#"x "say \"hi\"""#) == ["x", #"say "hi""#])
        #expect(throws: Tokenizer.Unterminated.self) { try Tokenizer.split("review 'abc") }
        #expect(Tokenizer.lenient("review 'ab") == ["review", "ab"])
        #expect(try Tokenizer.split("") == [])
    }

    @Test func completesCommandNames() {
        #expect(values([], "st") == ["stats", "status"])
        #expect(values([], "re") == ["reviews", "review"])
        #expect(values([], "\\") == ["\\format", "\\pager"])
        #expect(values([], "").contains("feedback"))
        #expect(values(["help"], "go") == ["goals", "goal"])
        #expect(values(["goal"], "re") == ["resolve"])
        #expect(values(["goal", "add", "--comparison"], "") == ["lte", "gte"])
        #expect(values(["outbox"], "d") == ["drop"])
    }

    @Test func completesOptionsAndTheirValues() {
        #expect(values(["stats"], "--") == ["--format", "--help"])
        #expect(values(["stats", "--format"], "") == ["table", "csv", "json"])
        #expect(values(["calls", "--status"], "a") == ["answered"])
        #expect(values(["calls", "--format", "json"], "--") == ["--date", "--help", "--limit", "--status"])
        #expect(values(["\\format"], "c") == ["csv"])
        #expect(values(["\\pager"], "") == ["on", "off"])
        #expect(values(["accounts"], "s") == ["switch"])
        #expect(values(["accounts", "switch"], "demo") == ["demo/agent-001"])
    }

    @Test func completesReviewAndGoalIdsWithLabels() {
        let found = completer.complete(previous: ["review"], word: "rv-2026w4")
        #expect(found.map(\.value) == ["rv-2026w46-7f3a9c", "rv-2026w45-11b2e0"])
        #expect(found[0].label == "2026-W46 · 64.3 · not acknowledged")
        #expect(values(["review"], "rv-2026w45") == ["rv-2026w45-11b2e0"])
        #expect(values(["review", "--format", "json"], "rv-2026w46") == ["rv-2026w46-7f3a9c"])
        #expect(values(["review", "rv-2026w46-7f3a9c"], "") == [])  // one id only
    }

    @Test func completesWhatIfAndTheCataloguesMetricKeys() {
        #expect(values(["scores"], "") == ["what-if"])
        #expect(values(["scores", "--weeks", "4"], "w") == ["what-if"])
        let keys = values(["scores", "what-if"], "")
        #expect(keys == MetricCatalogue.scored.map { $0.key + "=" })
        #expect(keys.count == 24 && keys.first == "sla_compliance_rate=" && !keys.contains("composite_score="))
        #expect(values(["scores", "what-if"], "sla") == ["sla_compliance_rate="])
        #expect(values(["scores", "what-if"], "avg_r") == ["avg_resolution_minutes="])
        // Repeatable, each key once; the value itself is free.
        #expect(values(["scores", "what-if", "sla_compliance_rate=95"], "esc") == ["escalation_rate="])
        #expect(values(["scores", "what-if", "sla_compliance_rate=95"], "sla") == [])
        #expect(values(["scores", "what-if", "--format", "json", "csat_avg=4"], "ta") == ["task_completion_rate=", "tagging_rate="])
        #expect(values(["scores", "what-if"], "sla_compliance_rate=9") == [])
        #expect(values(["scores", "what-if", "--format"], "j") == ["json"])
        #expect(completer.complete(previous: ["scores", "what-if"], word: "csat").first?.label == "support · Mean CSAT rating, 1-5")
    }

    @Test func completesPeriodsAndDates() {
        #expect(values(["stats"], "") == ["today", "yesterday", "week", "month"])
        #expect(values(["stats"], "m") == ["month"])
        #expect(values(["stats"], "2026-11-2") == ["2026-11-20", "2026-11-21"], "not after today")
        #expect(values(["stats"], "2026-10-3") == ["2026-10-30", "2026-10-31"])
        #expect(values(["stats"], "2026-11-01..2026-11-2") == ["2026-11-01..2026-11-20", "2026-11-01..2026-11-21"])
        #expect(values(["calls", "--date"], "y") == ["yesterday"])
        #expect(values(["calls", "--date"], "2026-02-2").count == 9)  // 20…28
    }

    @Test func terminalSwitch() {
        let tty = TerminalInfo.detect(environment: ["COLUMNS": "100", "LINES": "30"], fd: -1)
        #expect(tty.width == 100 && tty.height == 30 && !tty.isTTY && !tty.color)
        #expect(TerminalInfo.detect(environment: [:], fd: -1).width == 80)
        #expect(TerminalInfo.detect(environment: ["CLICOLOR_FORCE": "1"], fd: -1).color)
        #expect(!TerminalInfo.detect(environment: ["CLICOLOR_FORCE": "1", "NO_COLOR": "1"], fd: -1).color)
        #expect(!TerminalInfo.detect(environment: ["CLICOLOR_FORCE": "0"], fd: -1).color)
        #expect(Pager.command(environment: [:]) == "less -FRX")
        #expect(Pager.command(environment: ["PAGER": "more"]) == "more")
        #expect(Pager.command(environment: ["PAGER": ""]) == nil)
    }

    @Test func historyKeepsNoBlankOrRepeatedLines() {
        #expect(History.shouldKeep("stats", previous: nil))
        #expect(!History.shouldKeep("   ", previous: nil))
        #expect(!History.shouldKeep("stats", previous: "stats"))
        #expect(History.shouldKeep("stats", previous: "status"))
    }

    @Test func prompt() {
        let account = Account(server: "http://127.0.0.1:4000", person: "agent-001", hostKey: "demo")
        #expect(Prompt.text(account: account, lastSyncResult: "ok", pending: 0) == "scorecard agent-001@demo> ")
        #expect(Prompt.text(account: account, lastSyncResult: "offline: refused", pending: 2) == "scorecard agent-001@demo [offline · 2 pending]> ")
        #expect(Prompt.text(account: account, lastSyncResult: "login required: expired", pending: 0) == "scorecard agent-001@demo [login needed]> ")
        #expect(Prompt.text(account: nil, lastSyncResult: nil, pending: 0) == "scorecard (no account)> ")
    }

    @Test func sessionWordsAndUsageErrors() async throws {
        let session = ShellSession(accounts: AccountStore(configDirectory: "/nonexistent/c", dataDirectory: "/nonexistent/d"), interactive: false)
        #expect(try await session.run(line: "# a comment") == .proceed)
        #expect(try await session.run(line: "") == .proceed)
        #expect(try await session.run(line: "quit") == .quit)
        #expect(try await session.run(line: "\\format json") == .proceed)
        #expect(session.state.format == .json)
        #expect(try await session.run(line: "\\pager off") == .proceed)
        #expect(!session.state.pager)
        for bad in ["bogus", "\\format xml", "\\nope", "stats --format xml", "stats --bogus", "review", "stats 2026-13-01", "help nope", "calls --limit 0",
            "scores what-if", "scores what-if happiness=3", "scores what-if sla_compliance_rate=101", "scores what-if csat_avg=x"] {
            await #expect(throws: CLIError.self, "\(bad)") {
                do {
                    _ = try await session.run(line: bad)
                } catch let error as CLIError {
                    #expect(error.status == .usage, "\(bad): \(error)")
                    throw error
                }
            }
        }
        // No account: exit 4 with the login hint.
        await #expect(throws: CLIError.self) {
            do {
                _ = try await session.run(line: "stats week")
            } catch let error as CLIError {
                #expect(error.status == .loginNeeded)
                throw error
            }
        }
    }
}
