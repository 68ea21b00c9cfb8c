import ArgumentParser
import Foundation
import ScorecardCore
import ScorecardServer
import ScorecardTesting

/// The overload curve: a mixed `wrk` load (no-op pulls, full pages, ingest, push) against one
/// release `scorecard-server` on SQLite, at more and more open connections; per step the
/// throughput, the latency percentiles, the 503s past `--max-in-flight` and the server's peak RSS.
struct Overload: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overload",
        abstract: "Throughput against p99 under a mixed wrk load, past the server's in-flight limit (release scorecard-server, SQLite).",
        discussion: """
            Needs wrk (apt: wrk) and a release scorecard-server next to this binary (swift build -c release). Each request
            of the mix is, in turn: 14 in 20 a no-op pull (since = head), 2 a full page (since=0, limit=1000, 1,000 calls),
            2 an ingest of 10 new calls, 2 a push creating one goal. One server for the whole run; wrk runs with 2 threads
            on the same two cores. The server's peak RSS is its VmHWM after each step (it only grows).
            """)

    @Option(help: "Seconds per step.") var duration = 10
    @Option(help: "Open connections per step, comma-separated.") var connections = "16,64,256,1024,4096"
    @Option(help: "The server's --max-in-flight.") var maxInFlight = 256
    @Option(help: "Calls the pulling agent has.") var calls = 1000
    @Option(help: "The scorecard-server binary (default: next to this one).") var server: String?
    @Flag(help: "Clients honour Retry-After as scorecard does: after a 503 a connection waits 1 s before its next request.")
    var honourRetryAfter = false

    func run() async throws {
        let binary = try siblingExecutable("scorecard-server", given: server, hint: "; build it with -c release")
        guard let wrk = ["/usr/bin/wrk", "/usr/local/bin/wrk"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw ValidationError("wrk is not installed (apt-get install wrk)")
        }
        let steps = connections.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !steps.isEmpty, steps.allSatisfy({ $0 > 0 }) else { throw ValidationError("--connections: positive numbers, comma-separated") }

        let (store, location, cleanup) = try await BenchServer.openStore(.sqlite)
        do {
            let head = try await seed(store)
            await store.close()
            let child = try ServerProcess(
                database: location, arguments: ["--log-level", "error", "--max-in-flight", String(maxInFlight)], binary: binary)
            defer { child.signal(SIGKILL) }
            try await child.waitUntilReady()
            let tokens = (
                pull: try await PullLoad.login(child.baseURL, "a1"), push: try await PullLoad.login(child.baseURL, "a3"),
                ingest: try await PullLoad.login(child.baseURL, "root")
            )
            let script = FileManager.default.temporaryDirectory.appendingPathComponent("scorecard-overload-\(UUID().uuidString).lua")
            try Self.script(head: head, tokens: tokens, backOff: honourRetryAfter).write(to: script, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: script) }

            let idle = LongPollHold.rss(child.pid)
            print("overload: mixed load (14/20 no-op pulls, 2/20 full pages of \(calls), 2/20 ingest of 10 calls, 2/20 push of a goal)")
            print("  release scorecard-server on SQLite, --max-in-flight \(maxInFlight), wrk -t2, \(duration) s per step; server RSS idle \(LongPollHold.mb(idle))")
            print(honourRetryAfter ? "  clients honour Retry-After (1 s after a 503)" : "  clients retry at once after a 503 (wrk's default)")
            print("  connections    req/s   2xx/s    503/s    p50        p90        p99     errors  peak RSS")
            var knee: (connections: Int, rate: Double)?
            for c in steps {
                let result = try Self.wrk(wrk, url: child.baseURL + "/", script: script.path, connections: c, seconds: duration)
                let peak = LongPollHold.rssPeak(child.pid)
                let ok = result.requests - result.overloaded - result.otherNon2xx
                print(
                    "  \(pad(String(c), 11)) \(pad(fmt(result.rate), 8)) \(pad(fmt(Double(ok) / result.seconds), 7)) \(pad(fmt(Double(result.overloaded) / result.seconds), 8))"
                        + "    \(pad(result.p50, 10)) \(pad(result.p90, 10)) \(pad(result.p99, 9)) \(pad(String(result.socketErrors + result.otherNon2xx), 6))  \(LongPollHold.mb(peak))")
                if knee == nil, Self.milliseconds(result.p99).map({ $0 > 1000 }) == true { knee = (c, result.rate) }
                guard try await TestHTTP.send("GET", child.baseURL + "/healthz").status == 200 else { throw ValidationError("the server stopped answering after \(c) connections") }
            }
            if let knee {
                print("  p99 passes 1 s at \(knee.connections) connections (\(fmt(knee.rate)) req/s)")
            } else {
                print("  p99 stayed under 1 s at every step")
            }
            print("  errors: socket errors and non-2xx other than 503; the server answered /healthz after every step")
        } catch {
            await cleanup()
            throw error
        }
        await cleanup()
    }

    /// The pulling agent `a1` with `calls` calls, `a2` whose calls the load ingests, `a3` who pushes
    /// goals, and the admin `root`; returns a1's feed head.
    func seed(_ store: any ServerStore) async throws -> Int64 {
        for (id, role) in [("a1", Role.agent), ("a2", .agent), ("a3", .agent), ("root", .admin)] {
            let person = Person(id: id, name: "Person \(id)", email: "\(id)@example.test", role: role, teamID: nil, active: true)
            try await store.createPerson(person, passwordHash: try await Credentials.hashPassword("pw-\(id)", cost: 4))
        }
        return try await PullLoad.ingestCalls(calls, agent: "a1", store: store)
    }

    /// The wrk script: the mix, ids unique per thread and request, and a count of 503s.
    static func script(head: Int64, tokens: (pull: String, push: String, ingest: String), backOff: Bool) -> String {
        #"""
        local back_off = \#(backOff ? "true" : "false")
        local threads = {}
        local next_id = 0
        function setup(thread)
          thread:set("tid", next_id)
          next_id = next_id + 1
          table.insert(threads, thread)
        end
        function init(args)
          n = 0
          overloaded = 0
          other = 0
          owed = 0
        end
        -- wrk asks before each request; a 503 owes its connection's next request a 1 s wait (per
        -- thread: the next request any of its connections sends waits, which is the same rate).
        function delay()
          if back_off and owed > 0 then
            owed = owed - 1
            return 1000
          end
          return 0
        end
        function request()
          n = n + 1
          local r = n % 20
          if r < 14 then
            return wrk.format("GET", "/api/v1/sync/pull?since=\#(head)", {["Authorization"] = "Bearer \#(tokens.pull)"})
          elseif r < 16 then
            return wrk.format("GET", "/api/v1/sync/pull?since=0&limit=1000", {["Authorization"] = "Bearer \#(tokens.pull)"})
          elseif r < 18 then
            local records = {}
            for i = 1, 10 do
              records[i] = string.format('{"CallID":"w%d-%d-%d","AgentID":"a2","StartTime":"2026-11-16 10:%02d:00","Type":"InBound","Status":"Answered","TalkTime":"00:02:00","HandlingTime":"00:02:30","Disposition":"General Enquiry"}', tid, n, i, i)
            end
            return wrk.format("POST", "/api/v1/ingest/cdr", {["Authorization"] = "Bearer \#(tokens.ingest)", ["Content-Type"] = "application/json"}, "[" .. table.concat(records, ",") .. "]")
          else
            local body = string.format('{"mutations":[{"id":"m%d-%d","type":"create_goal","goal":{"id":"g%d-%d","domain":"support","metric_key":"csat_avg","label":"Load","target_value":4,"comparison":"gte","deadline":"2099-12-31"}}]}', tid, n, tid, n)
            return wrk.format("POST", "/api/v1/sync/push", {["Authorization"] = "Bearer \#(tokens.push)", ["Content-Type"] = "application/json"}, body)
          end
        end
        function response(status, headers, body)
          if status == 503 then overloaded = overloaded + 1; owed = owed + 1 elseif status >= 300 then other = other + 1 end
        end
        function done(summary, latency, requests)
          local o, x = 0, 0
          for _, t in ipairs(threads) do
            o = o + t:get("overloaded")
            x = x + t:get("other")
          end
          io.write(string.format("OVERLOAD requests=%d seconds=%.3f overloaded=%d other=%d p50=%d p90=%d p99=%d errors=%d\n",
            summary.requests, summary.duration / 1e6, o, x, latency:percentile(50), latency:percentile(90), latency:percentile(99),
            summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
        end
        """#
    }

    struct Step {
        var requests: Int
        var seconds: Double
        var overloaded: Int
        var otherNon2xx: Int
        var socketErrors: Int
        var p50: String
        var p90: String
        var p99: String
        var rate: Double { Double(requests) / seconds }
    }

    /// Runs one wrk step and reads the script's summary line.
    static func wrk(_ wrk: String, url: String, script: String, connections: Int, seconds: Int) throws -> Step {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: wrk)
        process.arguments = ["-t2", "-c\(connections)", "-d\(seconds)s", "--timeout", "10s", "-s", script, url]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("OVERLOAD ") }) else {
            throw ValidationError("wrk printed no summary:\n\(output)")
        }
        var fields: [String: String] = [:]
        for pair in line.dropFirst("OVERLOAD ".count).split(separator: " ") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
        }
        func int(_ key: String) -> Int { fields[key].flatMap { Int($0) } ?? 0 }
        func latency(_ key: String) -> String {
            let us = Double(int(key))
            return us >= 1_000_000 ? String(format: "%.2fs", us / 1_000_000) : String(format: "%.2fms", us / 1000)
        }
        return Step(
            requests: int("requests"), seconds: fields["seconds"].flatMap(Double.init) ?? Double(seconds), overloaded: int("overloaded"),
            otherNon2xx: int("other"), socketErrors: int("errors"), p50: latency("p50"), p90: latency("p90"), p99: latency("p99"))
    }

    /// "12.3ms" or "1.05s" in milliseconds.
    static func milliseconds(_ text: String) -> Double? {
        if text.hasSuffix("ms") { return Double(text.dropLast(2)) }
        if text.hasSuffix("s") { return Double(text.dropLast()).map { $0 * 1000 } }
        return nil
    }
}

private func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
}
