import ArgumentParser
import Foundation
import ScorecardCache
import ScorecardCore
import ScorecardServer
import ScorecardSync
import ScorecardTesting

/// `verify`: what `scorecard verify` costs on an equal mirror of N calls.
struct VerifyBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "`scorecard verify` on an equal mirror of N calls: requests, client CPU, wall time; the mirror's digest alone.")
    @OptionGroup var options: BenchOptions
    @Option(help: "Path to the scorecard binary (default: next to this one).") var client: String?

    func run() async throws {
        let binary = try siblingExecutable("scorecard", given: client)
        let (server, admin) = try await startServer(agent: "a1")
        defer { Task { await server.stop() } }
        _ = try await ingest(server: server, token: admin, agent: "a1", rows: options.rows)
        let token = try await server.login("a1")

        let home = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: home) }
        let env = ["XDG_CONFIG_HOME": home + "/config", "XDG_DATA_HOME": home + "/data", "PATH": "/usr/bin:/bin"]
        let accounts = AccountStore(configDirectory: home + "/config/scorecard", dataDirectory: home + "/data/scorecard")
        // Through a counting proxy: every request of a fresh `scorecard` process is a connection of its own.
        let proxy = try FaultProxy(upstreamPort: server.port)
        proxy.start()
        defer { proxy.stop() }
        let account = Account(server: "http://127.0.0.1:\(proxy.port)", person: "a1")
        try accounts.use(account)
        try accounts.setToken(token, for: account)
        _ = try InitialSync.runChild(binary, ["sync"], env: env)  // the mirror, untimed

        var cpu: [Double] = [], wall: [Double] = [], digest: [Double] = [], connections: [Int] = []
        for run in 1...options.runs {
            let before = proxy.connectionsAccepted
            let child = try InitialSync.runChild(binary, ["verify"], env: env)  // exits 0 only when all is equal
            connections.append(proxy.connectionsAccepted - before)
            cpu.append(child.cpuSeconds)
            wall.append(child.seconds)
            // The mirror's side alone, in this process: one read, a prepared statement per stream.
            let mirror = try Mirror(path: accounts.mirrorPath(account), concurrentReads: false)
            let cpuBefore = processCPUSeconds()
            let local = try mirror.digest()
            digest.append(processCPUSeconds() - cpuBefore)
            guard local.streams["calls"]?.count == options.rows else { throw ValidationError("the mirror holds \(local.streams["calls"]?.count ?? 0) calls") }
            print(
                "run \(run): \(connections.last!) request(s), client CPU \(fmt(cpu.last!, 3)) s (user + system), wall \(fmt(wall.last!, 3)) s; "
                    + "mirror digest alone \(fmt(digest.last!, 3)) s CPU")
        }
        print("""
            verify: \(options.rows) calls, one agent, an equal mirror, loopback, \(options.runs) runs (medians)
              requests          \(connections.sorted()[connections.count / 2]) (target 1)
              client CPU        \(fmt(median(cpu), 3)) s, the whole `scorecard verify` process (target ≤ 1 s)
              wall              \(fmt(median(wall), 3)) s
              mirror digest     \(fmt(median(digest), 3)) s CPU (Mirror.digest(): 6 prepared statements, \(options.rows) + rows hashed)
            """)
    }
}
