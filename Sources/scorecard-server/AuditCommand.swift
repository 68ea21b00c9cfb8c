import ArgumentParser
import Foundation
import ScorecardCore
import ScorecardServer

/// `scorecard-server audit`: the audit log, newest first, one line per entry.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Print the audit log, newest first: time, actor, action, subject, detail (tab-separated), or JSON.")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "Entries at or after this time: unix seconds, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ.") var since: String?
    @Option(help: "Only this action, e.g. setting.changed.") var action: String?
    @Option(help: "At most this many entries (1-1000).") var limit = AuditQuery.defaultLimit
    @Option(help: "text or json.") var format = "text"

    func validate() throws {
        guard (1...AuditQuery.maxLimit).contains(limit) else { throw ValidationError("--limit must be 1...\(AuditQuery.maxLimit)") }
        guard ["text", "json"].contains(format) else { throw ValidationError("--format must be text or json") }
        if let since, AuditQuery.parseSince(since) == nil {
            throw ValidationError("--since must be unix seconds, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ")
        }
    }

    func run() async throws {
        try await reporting {
            let query = AuditQuery(since: since.flatMap(AuditQuery.parseSince), action: action, limit: limit)
            let entries = try await db.withStore { try await $0.auditLog(query) }.map(AuditEntryView.init)
            if format == "json" {
                print(String(decoding: try WireJSON.encode(["entries": entries]), as: UTF8.self))
            } else {
                for entry in entries { print(entry.line) }
            }
        }
    }
}
