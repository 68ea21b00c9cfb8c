import ScorecardCache
import ScorecardSync

/// The prompt: `scorecard agent-001@demo> `, with the state in brackets when there is one to
/// tell: `scorecard agent-001@demo [offline · 2 pending]> `.
public enum Prompt {
    /// The prompt for an account and what its mirror says.
    public static func text(account: Account?, lastSyncResult: String?, pending: Int) -> String {
        guard let account else { return "scorecard (no account)> " }
        var states: [String] = []
        if let result = lastSyncResult {
            if result.hasPrefix("offline") { states.append("offline") }
            if result.hasPrefix("login required") { states.append("login needed") }
            if result.hasPrefix("failed") { states.append("sync failed") }
        }
        if pending > 0 { states.append("\(pending) pending") }
        let state = states.isEmpty ? "" : " [" + states.joined(separator: " · ") + "]"
        return "scorecard \(account.person)@\(account.hostKey)\(state)> "
    }

    /// The current prompt of a session (reads the accounts file and two values of the mirror).
    static func current(_ session: ShellSession) -> String {
        let context = CommandContext(terminal: TerminalInfo(isTTY: false, color: false, width: 80, height: 24), accounts: session.accounts, session: session.state)
        guard let account = try? context.account() else { return text(account: nil, lastSyncResult: nil, pending: 0) }
        let mirror = try? context.mirror(for: account)
        let result = (try? mirror?.meta(.lastSyncResult)) ?? nil
        let pending = (try? mirror?.outboxIDs().count) ?? 0
        return text(account: account, lastSyncResult: result, pending: pending)
    }
}
