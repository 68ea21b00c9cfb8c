import ArgumentParser
import Foundation
import ScorecardCache
import ScorecardCore
import ScorecardSync

/// `sync`: bring the mirror up to date with the server.
public struct SyncCommand: ShellCommand {
    public static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Send your edits, then bring the local mirror up to date with the server.",
        discussion: "Pushes the outbox first, then pulls. Shows a progress line on a terminal; quiet when piped. Exit 5 when offline, 4 when the login expired.")

    @Option(help: "Changes per page (1-5000).") var pageSize = 5000
    @Option(help: "Edits per push request (1-500).") var pushBatch = 100

    public init() {}

    public static let completion = CompletionSpec(options: ["--page-size": .free, "--push-batch": .free, "--help": .none])

    public func validate() throws {
        guard (1...5000).contains(pageSize) else { throw ValidationError("--page-size must be 1...5000") }
        guard (1...500).contains(pushBatch) else { throw ValidationError("--push-batch must be 1...500") }
    }

    public func execute(in context: CommandContext) async throws {
        let account = try context.account()
        let mirror = try context.mirror(for: account)
        var engine = SyncEngine(mirror: mirror, client: try context.client(for: account))
        engine.pageSize = pageSize
        engine.pushBatchSize = pushBatch
        let progress = isatty(STDERR_FILENO) == 1
        let report: SyncReport
        if let session = context.session {
            report = await session.exclusiveSync { await SyncRunner.run(engine, progress: progress) }
        } else {
            report = await SyncRunner.run(engine, progress: progress)
        }
        if let line = try SyncRunner.outcome(report) { context.write(line + "\n") }
    }
}

/// Runs a sync with an optional progress line and says what changed.
public enum SyncRunner {
    /// Runs the engine, with a progress line on stderr when `progress`.
    public static func run(_ engine: SyncEngine, progress: Bool) async -> SyncReport {
        var engine = engine
        if progress {
            engine.progress = { p in
                let seconds = max(0.001, Double(p.elapsed.components.seconds) + Double(p.elapsed.components.attoseconds) / 1e18)
                let rate = Double(p.changes) / seconds
                var line = "\r\u{1B}[2Ksyncing: \(grouped(p.changes)) changes · \(grouped(Int(rate)))/s"
                if p.windowIn {
                    // A new mirror: this week and last are in, the history follows.
                    line = "\r\u{1B}[2Ksyncing: this week and last are in · history"
                    if let head = p.head, head > 0 { line += " \(min(99, Int(p.cursor * 100 / head))) %" }
                }
                if let head = p.head, head > p.cursor, rate > 0 {
                    line += " · ETA \(Int((Double(head - p.cursor) / rate).rounded(.up)))s"
                }
                Output.error(line)
            }
        }
        let report = await engine.run()
        if progress && report.pages > 0 { Output.error("\r\u{1B}[2K") }
        return report
    }

    /// What changed (`Up to date.` or `Synced: …`), or the failure as a ``CLIError``.
    public static func outcome(_ report: SyncReport) throws -> String? {
        switch report.outcome {
        case .upToDate: return summary(report)
        case .offline(let m): throw CLIError(.offline, "offline, the mirror is unchanged and still usable: \(m)")
        case .loginRequired(let m): throw CLIError(.loginNeeded, "\(m) — run `scorecard login`; your mirror and pending edits are kept")
        case .failed(let m): throw CLIError(.failure, "sync failed (the mirror stays at its last complete page): \(m)")
        }
    }

    /// `Up to date.` or `Synced: calls 12 updated; reviews 1 updated.`, after a line on the
    /// edits sent when there were any.
    public static func summary(_ report: SyncReport) -> String {
        let pulled = pullSummary(report)
        guard report.pushed.total > 0 else { return pulled }
        return pushSummary(report.pushed) + "\n" + pulled
    }

    /// `Sent 3 edits: 2 applied, 1 conflict (see `conflicts`).`
    public static func pushSummary(_ p: PushSummary) -> String {
        var parts = ["\(p.applied) applied"]
        if p.conflicts > 0 { parts.append("\(p.conflicts) in conflict") }
        if p.rejected > 0 { parts.append("\(p.rejected) rejected") }
        let hint = p.conflicts + p.rejected > 0 ? " (see `conflicts`)" : ""
        return "Sent \(p.total) edit\(p.total == 1 ? "" : "s"): " + parts.joined(separator: ", ") + hint + "."
    }

    static func pullSummary(_ report: SyncReport) -> String {
        guard report.stats.total > 0 else { return "Up to date." }
        let streams = Set(report.stats.upserts.keys).union(report.stats.deletes.keys).sorted()
        let parts = streams.map { s in
            let u = report.stats.upserts[s] ?? 0
            let d = report.stats.deletes[s] ?? 0
            return "\(s) \(grouped(u)) updated" + (d > 0 ? ", \(grouped(d)) removed" : "")
        }
        return "Synced: " + parts.joined(separator: "; ") + (report.resynced ? " (full resync)" : "") + "."
    }
}
