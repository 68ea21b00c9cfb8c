import Foundation
import ScorecardCore
import ScorecardSync

/// The background sync while the shell is open: every `interval`, a sync of the current account
/// (skipped while a typed `sync` runs). It tells the person only what matters: changes synced,
/// going offline, coming back, a login that expired.
public struct AutoSync: Sendable {
    public var interval: Duration
    let session: ShellSession
    let notices: Notices

    public init(interval: Duration, session: ShellSession, notices: Notices) {
        self.interval = interval
        self.session = session
        self.notices = notices
    }

    /// Runs until cancelled.
    public func run() async {
        var lastOutcome = "ok"
        var delay = initialDelay()
        while !Task.isCancelled {
            try? await Task.sleep(for: delay)
            delay = interval
            guard !Task.isCancelled, session.state.beginSync() else { continue }
            let notice = await once(lastOutcome: &lastOutcome)
            session.state.endSync()
            notices.post(notice)  // wakes the prompt even without a notice: its state may have changed
        }
    }

    /// Now when the last sync is older than the interval, else the interval.
    func initialDelay() -> Duration {
        let context = CommandContext(terminal: TerminalInfo(isTTY: false, color: false, width: 80, height: 24), accounts: session.accounts, session: session.state)
        guard let account = try? context.account(), let mirror = try? context.mirror(for: account),
            let last = (try? mirror.meta(.lastSyncAt)) ?? nil, let then = Timestamp.epochSeconds(last),
            let now = Timestamp.epochSeconds(Timestamp.now())
        else { return .zero }
        let age = Duration.seconds(now - then)
        return age >= interval ? .zero : interval - age
    }

    /// One sync; the notice to show, if any.
    func once(lastOutcome: inout String) async -> String? {
        let context = CommandContext(terminal: TerminalInfo(isTTY: false, color: false, width: 80, height: 24), accounts: session.accounts, session: session.state)
        guard let account = try? context.account(), let mirror = try? context.mirror(for: account),
            let client = try? context.client(for: account)
        else { return nil }
        let report = await SyncEngine(mirror: mirror, client: client).run()
        let outcome: String
        var notice: String?
        switch report.outcome {
        case .upToDate:
            outcome = "ok"
            if report.stats.total > 0 { notice = "auto-sync: " + SyncRunner.summary(report) }
            else if lastOutcome != "ok" { notice = "auto-sync: back online, up to date." }
        case .offline: outcome = "offline"
        case .loginRequired(let m): outcome = "login"; notice = "auto-sync: \(m) — run `login`"
        case .failed(let m): outcome = "failed"; notice = "auto-sync failed: \(m)"
        }
        if outcome == "offline" && lastOutcome != "offline" { notice = "auto-sync: offline; the mirror still answers every command." }
        if outcome == lastOutcome && outcome != "ok" { notice = nil }  // said once is enough
        lastOutcome = outcome
        return notice
    }
}
