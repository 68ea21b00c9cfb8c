import ArgumentParser
import Foundation
import ScorecardCache
import ScorecardCore
import ScorecardServer
import ScorecardSync
import ScorecardTesting

struct InitialSync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "initial-sync",
        abstract: "Initial sync of N calls over loopback by a `scorecard sync` child process; raw insert rate; no-op sync on the wire.")
    @OptionGroup var options: BenchOptions
    @Option(help: "Path to the scorecard binary (default: next to this one).") var client: String?
    @Option(help: "Compressed pages: on, off, or both (each run times both, compressed first).") var compression = "both"

    func run() async throws {
        let binary = try siblingExecutable("scorecard", given: client)
        let (server, admin) = try await startServer(agent: "a1")
        defer { Task { await server.stop() } }
        _ = try await ingest(server: server, token: admin, agent: "a1", rows: options.rows)
        let token = try await server.login("a1")

        let modes: [Bool]
        switch compression {
        case "on": modes = [true]
        case "off": modes = [false]
        case "both": modes = [true, false]
        default: throw ValidationError("--compression is on, off or both")
        }
        /// Medians per mode (compressed or not).
        struct Series {
            var endToEnd: [Double] = [], rss: [Double] = [], wire: [Double] = [], clientCPU: [Double] = [], serverCPU: [Double] = []
        }
        var series: [Bool: Series] = [:]
        var raw: [Double] = []
        for run in 1...options.runs {
            for compressed in modes {
                let home = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString)").path
                defer { try? FileManager.default.removeItem(atPath: home) }
                var env = ["XDG_CONFIG_HOME": home + "/config", "XDG_DATA_HOME": home + "/data", "PATH": "/usr/bin:/bin"]
                if !compressed { env["SCORECARD_ACCEPT_ENCODING"] = "identity" }
                if let arenas = ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"] { env["MALLOC_ARENA_MAX"] = arenas }
                let accounts = AccountStore(configDirectory: home + "/config/scorecard", dataDirectory: home + "/data/scorecard")
                // Timed: straight to the server over loopback.
                let direct = Account(server: server.baseURL, person: "a1")
                try accounts.use(direct)
                try accounts.setToken(token, for: direct)
                let cpuBefore = processCPUSeconds()
                let child = try Self.runChild(binary, ["sync"], env: env)
                var s = series[compressed, default: Series()]
                s.endToEnd.append(Double(options.rows) / child.seconds)
                s.rss.append(child.peakMiB)
                s.clientCPU.append(child.cpuSeconds * 1e6 / Double(options.rows))
                s.serverCPU.append((processCPUSeconds() - cpuBefore) * 1e6 / Double(options.rows))

                // Untimed: the same initial sync and then a no-op sync through a counting proxy (bytes both ways).
                let proxy = try FaultProxy(upstreamPort: server.port)
                proxy.start()
                let counted = Account(server: "http://127.0.0.1:\(proxy.port)", person: "a1")
                try accounts.use(counted)
                try accounts.setToken(token, for: counted)
                _ = try Self.runChild(binary, ["sync"], env: env)
                s.wire.append(Double(proxy.bytesFromUpstream + proxy.bytesToUpstream))
                let before = (proxy.connectionsAccepted, proxy.bytesFromUpstream + proxy.bytesToUpstream)
                _ = try Self.runChild(binary, ["sync"], env: env)
                let noopBytes = proxy.bytesFromUpstream + proxy.bytesToUpstream - before.1
                let noopConnections = proxy.connectionsAccepted - before.0
                proxy.stop()
                series[compressed] = s

                // Raw prepared-insert rate of the same rows into a fresh mirror (pages already decoded), once a run.
                if compressed == modes[0] { raw.append(try await rawInsertRate(from: server, token: token, home: home)) }
                print(
                    "run \(run) (\(compressed ? "compressed" : "uncompressed")): end-to-end \(fmt(s.endToEnd.last!)) rows/s, "
                        + "client peak RSS \(fmt(child.peakMiB, 1)) MiB, raw insert \(fmt(raw.last!)) rows/s; "
                        + "CPU per row: client \(fmt(s.clientCPU.last!, 2)) µs, server \(fmt(s.serverCPU.last!, 2)) µs; "
                        + "wire \(fmt(s.wire.last! / Double(options.rows), 1)) B/row; no-op sync \(noopConnections) connection(s), \(noopBytes) bytes")
            }
        }
        let rawRate = median(raw)
        print("initial-sync: \(options.rows) calls, one agent, loopback, \(options.runs) runs (medians)")
        for compressed in modes {
            let s = series[compressed]!
            let e2e = median(s.endToEnd)
            print("""
                  \(compressed ? "compressed (zstd, gzip asked)" : "uncompressed")
                    end to end        \(fmt(e2e)) rows/s (target ≥ 200000)
                    ratio             \(fmt(e2e / rawRate, 2)) of raw insert \(fmt(rawRate)) rows/s (target ≥ 0.25)
                    bytes on wire     \(fmt(median(s.wire) / 1_048_576, 1)) MiB (\(fmt(median(s.wire) / Double(options.rows), 1)) B/row)
                    client peak RSS   \(fmt(median(s.rss), 1)) MiB (target ≤ 64)
                    CPU per row       client \(fmt(median(s.clientCPU), 2)) µs, server \(fmt(median(s.serverCPU), 2)) µs (user + system)
                """)
        }
        if modes.count == 2 {
            let ratio = median(series[true]!.endToEnd) / median(series[false]!.endToEnd)
            print("  compressed / uncompressed end to end: \(fmt(ratio, 2)) (target ≥ 0.9)")
        }
    }

    /// Runs a child under GNU time and returns its wall time, peak RSS (MiB) and CPU time (user + system).
    ///
    /// Measured by `/usr/bin/time`, not by our own `wait4`: a child spawned from this large process
    /// shares its memory until exec, and the kernel carries that high-water mark into the child's
    /// `ru_maxrss`. GNU time is a small process, so the figure it reports is the client's own.
    static func runChild(_ binary: String, _ arguments: [String], env: [String: String]) throws -> (seconds: Double, peakMiB: Double, cpuSeconds: Double) {
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("rss-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: report) }
        let argv = (["/usr/bin/time", "-f", "%M %U %S", "-o", report, binary] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var pid: pid_t = 0
        let start = ContinuousClock.now
        guard posix_spawn(&pid, "/usr/bin/time", &actions, nil, argv, envp) == 0 else {
            throw ValidationError("cannot start /usr/bin/time (apt-get install time)")
        }
        var status: Int32 = 0
        guard waitpid(pid, &status, 0) == pid else { throw ValidationError("waitpid failed: errno \(errno)") }
        let elapsed = seconds(ContinuousClock.now - start)
        guard status == 0 else { throw ValidationError("\(binary) \(arguments) exited with status \(status)") }
        let figures = ((try? String(contentsOfFile: report, encoding: .utf8)) ?? "").split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
        guard figures.count == 3 else { throw ValidationError("unexpected /usr/bin/time report: \(figures)") }
        return (elapsed, figures[0] / 1024, figures[1] + figures[2])
    }

    /// Fetches every page first (untimed), then times applying them to a fresh mirror.
    func rawInsertRate(from server: BenchServer, token: String, home: String) async throws -> Double {
        var pages: [MirrorPage] = []
        var since: Int64 = 0
        while true {
            let r = try await server.request("GET", "/api/v1/sync/pull?since=\(since)&limit=5000", token: token)
            let page = try MirrorPage.parse(r.body)
            pages.append(page)
            since = page.next
            if !page.hasMore { break }
        }
        let mirror = try Mirror(path: home + "/raw.sqlite")
        try mirror.bind(server: server.baseURL, person: "a1")
        let rows = pages.reduce(0) { $0 + $1.changes.count }
        let start = ContinuousClock.now
        for page in pages { try mirror.apply(page) }
        return Double(rows) / seconds(ContinuousClock.now - start)
    }
}
