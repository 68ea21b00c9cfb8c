import ScorecardCache
import ScorecardSync

/// The prompt: `scorecard agent-001@demo> `, with the state in brackets when there is one to
/// tell: `scorecard agent-001@demo [offline · 2 pending]> `.
public enum Prompt {
    /// The prompt for an account and what its mirror says.
    public static func text(account: Account?, lastSyncResult: String?, pending: Int, conflicts: Int = 0, rejected: Int = 0) -> String {
        guard let account else { return "scorecard (no account)> " }
        var states: [String] = []
        if let result = lastSyncResult {
            if result.hasPrefix("offline") { states.append("offline") }
            if result.hasPrefix("login required") { states.append("login needed") }
            if result.hasPrefix("failed") { states.append("sync failed") }
        }
        if pending > 0 { states.append("\(pending) pending") }
        if conflicts > 0 { states.append("\(conflicts) conflict\(conflicts == 1 ? "" : "s")") }
        if rejected > 0 { states.append("\(rejected) rejected") }
        let state = states.isEmpty ? "" : " [" + states.joined(separator: " · ") + "]"
        return "scorecard \(account.person)@\(account.hostKey)\(state)> "
    }

    /// The current prompt of a session (reads the accounts file and two values of the mirror).
    static func current(_ session: ShellSession) -> String {
        let context = CommandContext(terminal: TerminalInfo(isTTY: false, color: false, width: 80, height: 24), accounts: session.accounts, session: session.state)
        guard let account = try? context.account() else { return text(account: nil, lastSyncResult: nil, pending: 0) }
        let mirror = try? context.mirror(for: account)
        let result = (try? mirror?.meta(.lastSyncResult)) ?? nil
        let counts = (try? mirror?.outboxCounts()) ?? [:]
        return text(account: account, lastSyncResult: result, pending: counts[.pending] ?? 0, conflicts: counts[.conflict] ?? 0, rejected: counts[.rejected] ?? 0)
    }
}
