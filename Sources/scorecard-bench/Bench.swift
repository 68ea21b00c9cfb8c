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
        subcommands: [
            IngestPull.self, PullLoad.self, InitialSync.self, Stages.self, ScoringBench.self, StatsMonth.self, PagesBench.self, CompressionBench.self,
            LongPollHold.self, FieldLink.self, LLMReviewsBench.self, Overload.self, VerifyBench.self, Chaos.self,
        ])
}

/// Shared run options.
struct BenchOptions: ParsableArguments {
    @Option(help: "Calls for the one agent.") var rows = 1_000_000
    @Option(help: "Runs; medians are reported.") var runs = 3
}

/// The executable `name` built next to scorecard-bench, or `path` when one is given; throws
/// unless it is there and executable (`hint` follows the message).
func siblingExecutable(_ name: String, given path: String? = nil, hint: String = "") throws -> String {
    let binary = path ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name).path
    guard FileManager.default.isExecutableFile(atPath: binary) else { throw ValidationError("no \(name) at \(binary)\(hint)") }
    return binary
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
func ingest(server: BenchServer, token: String, agent: String, rows: Int, idPrefix: String = "c") async throws -> (Double, Int) {
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

func startServer(_ backend: BenchBackend = .sqlite, agent: String) async throws -> (BenchServer, String) {
    let server = try await BenchServer.start(backend)
    try await server.addPerson("root", role: .admin)
    try await server.addPerson(agent)
    return (server, try await server.login("root"))
}

struct IngestPull: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest-pull",
        abstract: "Ingest N CDRs for one agent over HTTP, then page them all out through pull; SQLite, and PostgreSQL side by side with --database.")
    @OptionGroup var options: BenchOptions
    @Option(help: "Pull page size.") var limit = 5000
    @Option(help: "Also run on PostgreSQL: postgres://USER@HOST:PORT/DB (throwaway databases are created next to DB; needs CREATEDB).")
    var database: String?

    struct Figures {
        var ingest: [Double] = [], pull: [Double] = [], pullBytes: [Double] = [], ingestBytes: [Double] = []
    }

    func run() async throws {
        var results: [(BenchBackend, Figures)] = []
        for backend in try BenchBackend.all(database) {
            var f = Figures()
            for run in 1...options.runs {
                let (server, admin) = try await startServer(backend, agent: "a1")
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
                f.ingest.append(Double(options.rows) / ingestSeconds)
                f.pull.append(Double(rows) / pullSeconds)
                f.pullBytes.append(Double(received))
                f.ingestBytes.append(Double(sent))
                print("\(backend) run \(run): ingest \(fmt(f.ingest.last!)) rows/s, pull \(fmt(f.pull.last!)) rows/s")
            }
            results.append((backend, f))
        }
        print("ingest-pull: \(options.rows) CDRs, one agent, batches of 10,000, pages of \(limit), \(options.runs) runs (medians)")
        for (backend, f) in results {
            print("""
                  \(backend.description.padding(toLength: 10, withPad: " ", startingAt: 0)) ingest \(fmt(median(f.ingest))) rows/s (\(fmt(median(f.ingestBytes) / 1_048_576, 1)) MiB sent), \
                pull \(fmt(median(f.pull))) rows/s (\(fmt(median(f.pullBytes) / 1_048_576, 1)) MiB, \(fmt(median(f.pullBytes) / Double(options.rows), 1)) B/row)
                """)
        }
        if results.count == 2 {
            let (sqlite, postgres) = (results[0].1, results[1].1)
            print("  PostgreSQL / SQLite: ingest \(fmt(median(postgres.ingest) / median(sqlite.ingest), 2)) (target ≥ 0.5), pull \(fmt(median(postgres.pull) / median(sqlite.pull), 2)) (target ≥ 0.7)")
        }
        print("  peak RSS \(fmt(peakRSSMiB(), 1)) MiB (this process: server, store, request bodies and the pulling client)")
    }
}
