import ArgumentParser
import Foundation
import Logging
import ScorecardCache
import ScorecardCore
import ScorecardServer
import ScorecardSync
import ScorecardTesting

@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scorecard-bench",
        abstract: "Benchmarks: figures and ratios, medians over several runs. Build with -c release.",
        subcommands: [IngestPull.self, InitialSync.self, Stages.self, ScoringBench.self, StatsMonth.self])
}

/// Shared run options.
struct BenchOptions: ParsableArguments {
    @Option(help: "Calls for the one agent.") var rows = 1_000_000
    @Option(help: "Runs; medians are reported.") var runs = 3
}

func median(_ values: [Double]) -> Double {
    let s = values.sorted()
    return s.isEmpty ? 0 : (s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2)
}

/// Peak resident set of this process, in MiB.
func peakRSSMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// CPU time (user + system) this process has used, in seconds.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return s(usage.ru_utime) + s(usage.ru_stime)
}

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

func fmt(_ x: Double, _ digits: Int = 0) -> String { String(format: "%.\(digits)f", x) }

/// Ingests `rows` CDRs for `agent` through HTTP in batches of 10,000; returns (seconds, request bytes).
/// Only the HTTP exchanges are timed, not building the request bodies.
func ingest(server: TestServer, token: String, agent: String, rows: Int, idPrefix: String = "c") async throws -> (Double, Int) {
    let day0 = CivilDate(year: 2025, month: 1, day: 1)!.daysSinceEpoch * 86_400
    var bytes = 0
    var elapsed = Duration.zero
    var batch: [[String: String?]] = []
    batch.reserveCapacity(10_000)
    var n = 0
    while n < rows {
        batch.removeAll(keepingCapacity: true)
        for i in n..<min(rows, n + 10_000) {
            let t = Timestamp.format(epochSeconds: day0 + i * 37)
            batch.append([
                "CallID": "\(idPrefix)\(i)", "AgentID": agent,
                "StartTime": String(t.prefix(10)) + " " + String(t.dropFirst(11).prefix(8)),
                "Type": i % 3 == 0 ? "InBound" : "Manual", "Status": i % 5 == 0 ? "NotAnswered" : "Answered",
                "TalkTime": HMS.clock(i % 5 == 0 ? 0 : 30 + i % 400), "HandlingTime": HMS.clock(45 + i % 420),
                "Disposition": i % 7 == 0 ? "Appointment Booked" : (i % 4 == 0 ? nil : "General Enquiry"),
            ])
        }
        let body = try JSONEncoder().encode(batch)
        bytes += body.count
        let start = ContinuousClock.now
        let response = try await server.request("POST", "/api/v1/ingest/cdr", token: token, body: body)
        elapsed += ContinuousClock.now - start
        guard response.status == 200 else { throw TestHTTPError(status: response.status, body: response.text) }
        n += batch.count
    }
    return (seconds(elapsed), bytes)
}

func startServer(agent: String) async throws -> (TestServer, String) {
    let server = try await TestServer.start()
    try await server.addPerson("root", role: .admin)
    try await server.addPerson(agent)
    return (server, try await server.login("root"))
}

struct IngestPull: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest-pull", abstract: "Ingest N CDRs for one agent over HTTP, then page them all out through pull.")
    @OptionGroup var options: BenchOptions
    @Option(help: "Pull page size.") var limit = 5000

    func run() async throws {
        var ingestRates: [Double] = [], pullRates: [Double] = [], pullBytes: [Double] = [], ingestBytes: [Double] = []
        for run in 1...options.runs {
            let (server, admin) = try await startServer(agent: "a1")
            let (ingestSeconds, sent) = try await ingest(server: server, token: admin, agent: "a1", rows: options.rows)
            let token = try await server.login("a1")
            var since: Int64 = 0, received = 0, rows = 0
            let start = ContinuousClock.now
            while true {
                let r = try await server.request("GET", "/api/v1/sync/pull?since=\(since)&limit=\(limit)", token: token)
                received += r.body.count
                let page = try MirrorPage.parse(r.body)  // the client's own page parser
                rows += page.changes.count
                since = page.next
                if !page.hasMore { break }
            }
            let pullSeconds = seconds(ContinuousClock.now - start)
            await server.stop()
            guard rows == options.rows else { throw ValidationError("pulled \(rows) rows, expected \(options.rows)") }
            ingestRates.append(Double(options.rows) / ingestSeconds)
            pullRates.append(Double(rows) / pullSeconds)
            pullBytes.append(Double(received))
            ingestBytes.append(Double(sent))
            print("run \(run): ingest \(fmt(ingestRates.last!)) rows/s, pull \(fmt(pullRates.last!)) rows/s")
        }
        print("""
            ingest-pull: \(options.rows) CDRs, one agent, \(options.runs) runs (medians)
              ingest        \(fmt(median(ingestRates))) rows/s   request bytes \(fmt(median(ingestBytes) / 1_048_576, 1)) MiB
              pull          \(fmt(median(pullRates))) rows/s   response bytes \(fmt(median(pullBytes) / 1_048_576, 1)) MiB (\(fmt(median(pullBytes) / Double(options.rows), 1)) B/row)
              peak RSS      \(fmt(peakRSSMiB(), 1)) MiB (this process: server, store, request bodies and the pulling client)
            """)
    }
}
