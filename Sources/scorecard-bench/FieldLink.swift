import ArgumentParser
import Foundation
import ScorecardCache
import ScorecardCore
import ScorecardSync
import ScorecardTesting

/// `field-link`: the real client against a release server through the link emulator, on a new
/// machine: login, `sync`, and `stats week` polled until it equals the server's KPIs.
struct FieldLink: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "field-link",
        abstract: "A new mirror of a year of calls over an emulated mobile or rural link (FaultProxy's LinkProfile): bytes per call, time to a correct `stats week`, time to the whole year.")
    @Option(help: "mobile (1 Mbit/s, 300 ms RTT), rural (256 kbit/s, 600 ms RTT, a 2 s cut every 20 s) or both.") var link = "both"
    @Option(help: "Calls for the one agent, spread over the year ending now.") var calls = 25_000
    @Option(help: "Seconds each phase (a correct `stats week`, the whole year; both counted from the login) may take before it is reported as not reached.") var timeout = 300.0
    @Option(help: "Path to the scorecard binary (default: next to this one).") var client: String?
    @Option(help: "Seconds from the start (before login) to the first cut of a link that has cuts (default: the profile's, one period).")
    var firstCut: Double?
    @Option(help: "Server-side changes timed to the client's long-poll (one new goal each).") var notices = 20

    func run() async throws {
        let links: [(String, LinkProfile)]
        switch link {
        case "mobile": links = [("mobile", .mobile1Mbit)]
        case "rural": links = [("rural", .rural256k)]
        case "both": links = [("mobile", .mobile1Mbit), ("rural", .rural256k)]
        default: throw ValidationError("--link is mobile, rural or both")
        }
        let binary = try siblingExecutable("scorecard", given: client)

        let (server, admin) = try await startServer(agent: "a1")
        defer { Task { await server.stop() } }
        let today = DateRange.today()
        try await ingestYear(server: server, token: admin, agent: "a1", calls: calls, endingOn: today)
        let token = try await server.login("a1")
        let week = DateRange.parse("week", today: today)!
        let truth = try await server.request("GET", "/api/v1/performance/kpis?from=\(week.from)&to=\(week.to)", token: token)
        guard truth.status == 200 else { throw TestHTTPError(status: truth.status, body: truth.text) }
        let weekCalls = try WireJSON.decode(KPIReport.self, from: truth.body).calls.total
        print("field-link: \(calls) calls for one agent over the year to \(today), \(weekCalls) of them this week (\(week.from)..\(week.to)); client \(binary)")
        print("  the client asks Accept-Encoding: \(ProcessInfo.processInfo.environment["SCORECARD_ACCEPT_ENCODING"] ?? "its default (zstd, gzip)"); timeout \(fmt(timeout)) s a phase")

        for (name, preset) in links {
            var profile = preset
            if let firstCut, let cuts = profile.cuts {
                profile.cuts = LinkOutages(every: cuts.every, lasting: cuts.lasting, startingAfter: .milliseconds(Int(firstCut * 1_000)))
            }
            let run = try await measure(name, profile, binary: binary, server: server, truth: truth.text, admin: admin)
            print(run)
        }
    }

    /// One new machine over `profile`: the figures, as printed lines.
    func measure(_ name: String, _ profile: LinkProfile, binary: String, server: BenchServer, truth: String, admin: String) async throws -> String {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("field-link-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: home) }
        var env = ["XDG_CONFIG_HOME": home + "/config", "XDG_DATA_HOME": home + "/data", "PATH": "/usr/bin:/bin", "NO_COLOR": "1"]
        for key in ["SCORECARD_ACCEPT_ENCODING", "MALLOC_ARENA_MAX"] { env[key] = ProcessInfo.processInfo.environment[key] }
        let proxy = try FaultProxy(upstreamPort: server.port)
        proxy.link = profile
        proxy.start()
        defer { proxy.stop() }
        let url = "http://127.0.0.1:\(proxy.port)"

        // Times count from the start of `login`, on a new machine.
        let start = ContinuousClock.now
        func elapsed() -> Double { seconds(ContinuousClock.now - start) }
        // Log in (retried through cuts), then one `sync` at a time until one ends up to date, while
        // `stats week` is polled.
        var loginAttempts = 0
        while true {
            loginAttempts += 1
            let login = try await Child.run(binary, ["login", "--server", url, "--user", "a1", "--password-stdin"], env: env, stdin: "pw-a1\n")
            if login.status == 0 { break }
            guard elapsed() < timeout else { throw ValidationError("\(name): no login within \(fmt(timeout)) s: \(login.stderr)") }
            try await Task.sleep(for: .milliseconds(500))
        }
        let loggedIn = elapsed()
        var weekCorrect: Double?, yearIn: Double?
        var syncRuns = 0, polls = 0
        var failures: [String] = []
        var sync: Child? = try Child.start(binary, ["sync"], env: env)
        syncRuns = 1
        while weekCorrect == nil || yearIn == nil {
            if weekCorrect == nil {
                let stats = try await Child.run(binary, ["stats", "week", "--format", "json"], env: env)
                polls += 1
                if stats.status == 0, stats.stdout == truth + "\n" { weekCorrect = elapsed() }
            }
            if let running = sync, let status = running.exitStatus {
                if status == 0 {
                    yearIn = elapsed()
                    sync = nil
                } else {
                    failures.append("exit \(status): \(running.stderrText.trimmingCharacters(in: .whitespacesAndNewlines))")
                    try await Task.sleep(for: .seconds(1))  // as the shell's background sync would, a moment later
                    sync = try Child.start(binary, ["sync"], env: env)
                    syncRuns += 1
                }
            }
            if elapsed() - loggedIn > timeout { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        sync?.kill()
        let toClient = proxy.bytesToClient, toUpstream = proxy.bytesToUpstream, syncCuts = proxy.cuts
        // Live updates: the client's long-poll (the shell's code path: `waitForChanges`, then the
        // page applied to this mirror) through the link, and a goal set on the server for the
        // agent (by the office, not through the link). Timed from the goal's POST to the page
        // applied; a long-poll cut by the link is sent again a second later, as the shell does.
        var latencies: [Double] = []
        if yearIn != nil, notices > 0,
            let mirrorPath = FileManager.default.enumerator(atPath: home + "/data")?.compactMap({ $0 as? String }).first(where: { $0.hasSuffix("/a1.sqlite") })
        {
            let mirror = try Mirror(path: home + "/data/" + mirrorPath)
            var token: String?
            while token == nil && elapsed() - loggedIn < timeout {
                token = try? await APIClient(server: URL(string: url)!, token: nil).login(personID: "a1", password: "pw-a1").token
                if token == nil { try await Task.sleep(for: .seconds(1)) }
            }
            let engine = SyncEngine(mirror: mirror, client: APIClient(server: URL(string: url)!, token: token))
            for n in 0..<notices {
                let waiting = Task {
                    while true {
                        do {
                            guard let live = try await engine.waitForChanges(wait: 25) else { return }
                            if live.page.changes.isEmpty { continue }
                            _ = try engine.applyLive(live)
                            return
                        } catch {
                            try? await Task.sleep(for: .seconds(1))
                        }
                    }
                }
                try await Task.sleep(for: .milliseconds(1_500))  // the request is waiting at the server
                let goal = #"{"person_id":"a1","domain":"support","metric_key":"composite_score","label":"Goal \#(n)","target_value":80,"comparison":"gte","deadline":"2099-01-01"}"#
                let posted = ContinuousClock.now
                let response = try await server.request("POST", "/api/v1/performance/goals", token: admin, body: Data(goal.utf8))
                guard response.status == 201 else { throw TestHTTPError(status: response.status, body: response.text) }
                _ = await waiting.value
                latencies.append(seconds(ContinuousClock.now - posted))
            }
        }
        let noticeText: String
        if latencies.isEmpty {
            noticeText = "n/a (the year never came in)"
        } else {
            let sorted = latencies.sorted()
            let p = { (q: Double) in sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * q).rounded()))] }
            noticeText = "\(fmt(p(0.5) * 1000)) ms / \(fmt(p(0.95) * 1000)) ms (\(latencies.count) goals; max \(fmt(sorted.last! * 1000)) ms)"
        }
        let rtt = LinkShaper.nanoseconds(profile.delay) * 2 / 1_000_000
        let rate = profile.toClientBytesPerSecond.map { "\($0 * 8 / 1000) kbit/s" } ?? "unlimited"
        var outages = ""
        if let cuts = profile.cuts {
            outages = ", a \(fmt(seconds(cuts.lasting))) s cut every \(fmt(seconds(cuts.every))) s, the first \(fmt(seconds(cuts.startingAfter), 1)) s after the start"
        }
        let weekText = weekCorrect.map { "\(fmt($0, 2)) s" } ?? "not within \(fmt(timeout)) s"
        let yearText = yearIn.map { "\(fmt($0, 2)) s" } ?? "not within \(fmt(timeout)) s"
        let ratio = (weekCorrect != nil && yearIn != nil) ? fmt(weekCorrect! / yearIn!, 2) : "n/a"
        var lines = """
              \(name): \(rate) each way, \(rtt) ms RTT\(outages)
                login                                   \(fmt(loggedIn, 2)) s (\(loginAttempts) attempt(s))
                bytes on the wire per synced call       \(fmt(Double(toClient) / Double(calls), 1)) B to the client (\(toClient) B; \(toUpstream) B to the server)\(yearIn == nil ? " — the year is not all in" : "")
                login to a correct `stats week`         \(weekText) (\(polls) polls)
                login to the whole year in              \(yearText) (\(syncRuns) sync run(s), \(syncCuts) cut(s) of the link)
                ratio week / year                       \(ratio)
                change → long-poll page applied p50/p95 \(noticeText)\(latencies.isEmpty ? "" : ", \(proxy.cuts - syncCuts) cut(s) meanwhile")
            """
        for failure in Set(failures).sorted() {
            lines += "\n    a sync run failed: \(failure) (×\(failures.filter { $0 == failure }.count))"
        }
        return lines
    }

    /// `calls` CDRs for `agent`, evenly spread from the start of the day a year before `today` to a
    /// minute ago, in batches of 10,000.
    func ingestYear(server: BenchServer, token: String, agent: String, calls: Int, endingOn today: CivilDate) async throws {
        let records = CDRFixture.year(agent: agent, calls: calls, endingOn: today)
        for start in stride(from: 0, to: records.count, by: 10_000) {
            let batch = Array(records[start..<min(records.count, start + 10_000)])
            let response = try await server.request("POST", "/api/v1/ingest/cdr", token: token, body: try CDRFixture.json(batch))
            guard response.status == 200 else { throw TestHTTPError(status: response.status, body: response.text) }
        }
    }
}

/// A `scorecard` child process whose output is collected in files (no pipe to fill up).
final class Child {
    private let process: Process
    private let stdoutPath: String, stderrPath: String

    private init(process: Process, stdoutPath: String, stderrPath: String) {
        self.process = process
        self.stdoutPath = stdoutPath
        self.stderrPath = stderrPath
    }

    deinit {
        try? FileManager.default.removeItem(atPath: stdoutPath)
        try? FileManager.default.removeItem(atPath: stderrPath)
    }

    /// Starts `binary arguments` with exactly `env`, writing `stdin` to it if given.
    static func start(_ binary: String, _ arguments: [String], env: [String: String], stdin: String? = nil) throws -> Child {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID().uuidString)").path
        let (out, err) = (base + ".out", base + ".err")
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = env
        let (outHandle, errHandle) = (FileHandle(forWritingAtPath: out), FileHandle(forWritingAtPath: err))
        defer { try? outHandle?.close(); try? errHandle?.close() }  // the child has its own copies
        process.standardOutput = outHandle
        process.standardError = errHandle
        let input = Pipe()
        process.standardInput = input
        try process.run()
        try? input.fileHandleForReading.close()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        return Child(process: process, stdoutPath: out, stderrPath: err)
    }

    /// Runs it to the end: its status and output.
    static func run(_ binary: String, _ arguments: [String], env: [String: String], stdin: String? = nil) async throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        let child = try start(binary, arguments, env: env, stdin: stdin)
        while child.exitStatus == nil { try await Task.sleep(for: .milliseconds(5)) }
        return (child.exitStatus!, child.stdoutText, child.stderrText)
    }

    /// The exit status, once it has ended.
    var exitStatus: Int32? { process.isRunning ? nil : process.terminationStatus }
    var stdoutText: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var stderrText: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    func kill() { if process.isRunning { process.terminate() } }
}
