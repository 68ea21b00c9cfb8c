import ArgumentParser
import Foundation
import ScorecardCache
import ScorecardCore

/// `status`: the account, the mirror and the last sync.
public struct StatusCommand: ShellCommand {
    public static let configuration = CommandConfiguration(commandName: "status", abstract: "Show the account, the mirror and the last sync.")

    @Option(help: "table or json.") var format: OutputFormat?

    public init() {}

    public static let completion = CompletionSpec(options: CompletionSpec.formatOption)

    public func execute(in context: CommandContext) async throws {
        let account = try context.account()
        let mirror = try context.mirror(for: account)
        let status = try mirrorCall { try mirror.status() }
        let counts = try mirrorCall { try mirror.outboxCounts() }
        let loggedIn = context.accounts.token(account) != nil
        let path = context.accounts.mirrorPath(account)
        switch context.format(format) {
        case .json:
            let shape = StatusJSON(
                server: account.server, person: account.person, loggedIn: loggedIn, mirror: path, mirrorBytes: status.fileBytes,
                cursor: status.cursor, resyncInProgress: status.resyncInProgress, lastSyncAt: status.lastSyncAt,
                lastSyncResult: status.lastSyncResult, outbox: status.outboxDepth, rows: status.rows)
            context.write(String(decoding: try WireJSON.encode(shape), as: UTF8.self) + "\n")
        case .csv, .table:
            var out = "server:       \(account.server)\n"
            out += "person:       \(account.person)\(loggedIn ? "" : " (logged out)")\n"
            out += "mirror:       \(path) (\(grouped(status.fileBytes / 1024)) KiB)\n"
            out += "cursor:       \(status.cursor)\(status.resyncInProgress ? " (full resync in progress)" : "")\n"
            out += "last sync:    \(status.lastSyncAt ?? "never") — \(status.lastSyncResult ?? "-")\n"
            out += "outbox:       \(counts[.pending] ?? 0) pending, \(counts[.conflict] ?? 0) in conflict, \(counts[.rejected] ?? 0) rejected\n"
            for (table, count) in status.rows.sorted(by: { $0.key < $1.key }) {
                out += Text.pad(table + ":", 14) + "\(grouped(count)) rows\n"
            }
            context.write(out)
        }
    }
}

/// `status --format json`.
struct StatusJSON: Encodable {
    var server: String
    var person: String
    var loggedIn: Bool
    var mirror: String
    var mirrorBytes: Int
    var cursor: Int64
    var resyncInProgress: Bool
    var lastSyncAt: String?
    var lastSyncResult: String?
    var outbox: Int
    var rows: [String: Int]

    enum CodingKeys: String, CodingKey {
        case server, person, mirror, cursor, outbox, rows
        case loggedIn = "logged_in"
        case mirrorBytes = "mirror_bytes"
        case resyncInProgress = "resync_in_progress"
        case lastSyncAt = "last_sync_at"
        case lastSyncResult = "last_sync_result"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(server, forKey: .server)
        try c.encode(person, forKey: .person)
        try c.encode(loggedIn, forKey: .loggedIn)
        try c.encode(mirror, forKey: .mirror)
        try c.encode(mirrorBytes, forKey: .mirrorBytes)
        try c.encode(cursor, forKey: .cursor)
        try c.encode(resyncInProgress, forKey: .resyncInProgress)
        try c.encode(lastSyncAt, forKey: .lastSyncAt)
        try c.encode(lastSyncResult, forKey: .lastSyncResult)
        try c.encode(outbox, forKey: .outbox)
        try c.encode(rows, forKey: .rows)
    }
}
