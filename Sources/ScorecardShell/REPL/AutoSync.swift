import Foundation
import ScorecardCache
import ScorecardCore
import ScorecardSync

/// The background sync while the shell is open: every `interval`, a sync of the current account
/// (skipped while a typed `sync` runs), and in between, while online, a long-poll that hears of
/// a change as it happens and names it (`new goal from m1: …`). It tells the person only what
/// matters: new items, changes synced, going offline, coming back, a login that expired.
public struct AutoSync: Sendable {
    public var interval: Duration
    /// Seconds each long-poll request waits (0: only the timed syncs).
    public var liveWait: Int
    let session: ShellSession
    let notices: Notices

    /// Under common proxies' 30-second idle timeouts.
    public static let defaultLiveWait = 25

    public init(interval: Duration, liveWait: Int = AutoSync.defaultLiveWait, session: ShellSession, notices: Notices) {
        self.interval = interval
        self.liveWait = liveWait
        self.session = session
        self.notices = notices
    }

    /// Runs until cancelled: a timed sync every `interval` (the first when the last is that old),
    /// and until each one, the long-poll while online (also before the first timed sync, so a
    /// shell opened on a freshly synced mirror hears of changes at once).
    public func run() async {
        var lastOutcome = "ok"
        var nextSync = ContinuousClock.now + initialDelay()
        while !Task.isCancelled {
            await listenOrWait(until: nextSync, lastOutcome: &lastOutcome)
            guard !Task.isCancelled else { break }
            if session.state.beginSync() {
                let notice = await once(lastOutcome: &lastOutcome)
                session.state.endSync()
                notices.post(notice)  // wakes the prompt even without a notice: its state may have changed
            }
            nextSync = ContinuousClock.now + interval
        }
    }

    /// Until `deadline`: long-polls while online (a cut or a server error is retried after 1 s,
    /// doubling to 30 s), else (offline, a login needed, live updates off) just waits; the timed
    /// sync that follows also pushes what the outbox holds.
    func listenOrWait(until deadline: ContinuousClock.Instant, lastOutcome: inout String) async {
        var backoff = Duration.seconds(1)
        while !Task.isCancelled, ContinuousClock.now < deadline {
            guard liveWait > 0, lastOutcome == "ok" else { break }
            switch await listen(lastOutcome: &lastOutcome) {
            case .again:
                backoff = .seconds(1)
            case .retry:
                try? await Task.sleep(for: min(backoff, deadline - ContinuousClock.now))
                backoff = min(backoff * 2, .seconds(30))
            case .stop:
                try? await Task.sleep(until: deadline)
                return
            }
        }
        if ContinuousClock.now < deadline { try? await Task.sleep(until: deadline) }
    }

    /// What to do after one long-poll.
    enum ListenResult { case again, retry, stop }

    /// One long-poll: waits for the feed to move, applies the page it brings and posts a notice
    /// per new item.
    func listen(lastOutcome: inout String) async -> ListenResult {
        let context = CommandContext(terminal: TerminalInfo(isTTY: false, color: false, width: 80, height: 24), accounts: session.accounts, session: session.state)
        guard let account = try? context.account(), let mirror = try? context.mirror(for: account),
            let client = try? context.client(for: account)
        else { return .stop }
        let engine = SyncEngine(mirror: mirror, client: client)
        let live: LivePage
        do {
            guard let page = try await engine.waitForChanges(wait: liveWait) else { return .stop }
            live = page
        } catch {
            switch error {
            case .offline:
                lastOutcome = "offline"
                notices.post("auto-sync: offline; the mirror still answers every command.")
                return .stop
            case .unauthorized(let m):
                lastOutcome = "login"
                notices.post("auto-sync: \(m) — run `login`")
                return .stop
            case .cursorExpired:
                return .stop  // the timed sync starts the resync
            default:
                return .retry  // a cut link, a restarting server: listen again shortly
            }
        }
        guard !live.page.changes.isEmpty || live.page.hasMore else { return .again }
        // A typed `sync` running now brings the same changes: leave them to it.
        guard session.state.beginSync() else { return .again }
        defer { session.state.endSync() }
        var lines: [String] = []
        do {
            guard let applied = try engine.applyLive(live) else { return .again }
            lines = LiveNotices.lines(applied, me: account.person)
            if applied.hasMore {
                let report = await engine.run()
                if report.stats.total > 0 { lines.append("auto-sync: " + SyncRunner.summary(report)) }
            }
        } catch {
            lines = ["auto-sync failed: \(error)"]
        }
        if lines.isEmpty { notices.post(nil) }
        for line in lines { notices.post(line) }
        return .again
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
        if outcome == "ok", let differs = await verifyIfDue(mirror: mirror, client: client) {
            notice = notice.map { $0 + "\n" + differs } ?? differs
        }
        return notice
    }

    /// How often the background sync verifies the mirror on its own.
    public static let verifyInterval: Int = 86_400

    /// Once a day (``verifyInterval`` since `last_verify_at`), right after a successful sync: a
    /// verification, one request when all is equal. The notice when something differs, else nil
    /// (a failed check is simply tried again at the next sync).
    func verifyIfDue(mirror: Mirror, client: APIClient) async -> String? {
        let last = ((try? mirror.meta(.lastVerifyAt)) ?? nil).flatMap { Timestamp.epochSeconds($0) }
        guard let now = Timestamp.epochSeconds(Timestamp.now()) else { return nil }
        if let last, Int(now - last) < AutoSync.verifyInterval { return nil }
        guard let report = try? await MirrorVerifier(engine: SyncEngine(mirror: mirror, client: client)).run(repair: false), !report.equal else {
            return nil
        }
        let streams = report.differing.map { "\($0.stream) (\(MirrorVerifier.summary($0)))" }
        return "auto-verify: the mirror differs from the server: \(streams.joined(separator: ", ")); `verify --repair` re-pulls it."
    }
}
