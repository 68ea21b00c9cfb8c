import ArgumentParser
import Foundation
import ScorecardCache
import ScorecardCore
import ScorecardSync

struct Sync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Bring the local mirror up to date with the server.",
        discussion: "Shows a progress line on a terminal; quiet when piped. Exit 5 when offline, 4 when the login expired.")

    @Option(help: "Changes per page (1-5000).") var pageSize = 5000

    func validate() throws {
        guard (1...5000).contains(pageSize) else { throw ValidationError("--page-size must be 1...5000") }
    }

    func run() async throws {
        let env = ClientEnvironment()
        let account = try env.account()
        let mirror = try env.mirror(account)
        var engine = SyncEngine(mirror: mirror, client: try env.client(account))
        engine.pageSize = pageSize
        let report = await SyncCommandRunner.run(engine, progress: Terminal.isTTY(STDERR_FILENO))
        try SyncCommandRunner.finish(report, quiet: false)
    }
}

enum SyncCommandRunner {
    /// Runs the engine with an optional progress line on stderr.
    static func run(_ engine: SyncEngine, progress: Bool) async -> SyncReport {
        var engine = engine
        if progress {
            engine.progress = { p in
                let seconds = max(0.001, Double(p.elapsed.components.seconds) + Double(p.elapsed.components.attoseconds) / 1e18)
                let rate = Double(p.changes) / seconds
                var line = "\r\u{1B}[2Ksyncing: \(grouped(p.changes)) changes · \(grouped(Int(rate)))/s"
                if let head = p.head, head > p.cursor, rate > 0 {
                    line += " · ETA \(Int((Double(head - p.cursor) / rate).rounded(.up)))s"
                }
                Terminal.writeError(line)
            }
        }
        let report = await engine.run()
        if progress && report.pages > 0 { Terminal.writeError("\r\u{1B}[2K") }
        return report
    }

    /// Prints what changed and maps the outcome to the exit code.
    static func finish(_ report: SyncReport, quiet: Bool) throws {
        switch report.outcome {
        case .upToDate:
            guard !quiet else { return }
            if report.stats.total == 0 {
                print("Up to date.")
            } else {
                let streams = Set(report.stats.upserts.keys).union(report.stats.deletes.keys).sorted()
                let parts = streams.map { s in
                    let u = report.stats.upserts[s] ?? 0
                    let d = report.stats.deletes[s] ?? 0
                    return "\(s) \(grouped(u)) updated" + (d > 0 ? ", \(grouped(d)) removed" : "")
                }
                print("Synced: " + parts.joined(separator: "; ") + (report.resynced ? " (full resync)" : "") + ".")
            }
        case .offline(let m):
            throw CLIError(.offline, "offline, the mirror is unchanged and still usable: \(m)")
        case .loginRequired(let m):
            throw CLIError(.loginNeeded, "\(m) — run `scorecard login`; your mirror and pending edits are kept")
        case .failed(let m):
            throw CLIError(.failure, "sync failed (the mirror stays at its last complete page): \(m)")
        }
    }
}

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the account, the mirror and the last sync.")

    func run() async throws {
        let env = ClientEnvironment()
        let account = try env.account()
        let status: MirrorStatus
        do {
            status = try env.mirror(account).status()
        } catch let error as MirrorError {
            throw CLIError(.failure, error.message)
        }
        print("server:       \(account.server)")
        print("person:       \(account.person)\(env.store.token(account) == nil ? " (logged out)" : "")")
        print("mirror:       \(env.store.mirrorPath(account)) (\(grouped(status.fileBytes / 1024)) KiB)")
        print("cursor:       \(status.cursor)\(status.resyncInProgress ? " (full resync in progress)" : "")")
        print("last sync:    \(status.lastSyncAt ?? "never") — \(status.lastSyncResult ?? "-")")
        print("outbox:       \(status.outboxDepth) pending")
        for (table, count) in status.rows.sorted(by: { $0.key < $1.key }) {
            let label = (table + ":").padding(toLength: 14, withPad: " ", startingAt: 0)
            print("\(label)\(grouped(count)) rows")
        }
    }
}
