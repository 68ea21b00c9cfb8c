import ArgumentParser
import Foundation
import ScorecardCache
import ScorecardCore

/// `outbox`: the edits waiting to sync, in conflict or rejected; `outbox drop ID` removes one.
public struct OutboxCommand: ShellCommand {
    public static let configuration = CommandConfiguration(
        commandName: "outbox", abstract: "Your edits not yet on the server: pending, in conflict or rejected, with age and last error.",
        subcommands: [OutboxListCommand.self, OutboxDropCommand.self], defaultSubcommand: OutboxListCommand.self)

    public init() {}

    public static let completion = CompletionSpec(
        arguments: [.words(["list", "drop"]), .free], options: CompletionSpec.formatOption.merging(["--yes": .none]) { a, _ in a })

    public func execute(in context: CommandContext) async throws {
        try await OutboxListCommand().execute(in: context)
    }
}

/// `outbox [list]`.
public struct OutboxListCommand: ShellCommand {
    public static let configuration = CommandConfiguration(commandName: "list", abstract: "List the outbox (the default).")

    @Option(help: "table, csv or json.") var format: OutputFormat?

    public init() {}

    public func execute(in context: CommandContext) async throws {
        let entries = try mirrorCall { try context.mirror().outbox() }
        context.write(OutboxView.render(entries, format: context.format(format), style: context.style))
    }
}

/// `outbox drop ID`.
public struct OutboxDropCommand: ShellCommand {
    public static let configuration = CommandConfiguration(
        commandName: "drop", abstract: "Remove one edit from the outbox (asks first on a terminal).",
        discussion: "For a rejected edit this dismisses it. A pending edit that a sync already carried may have reached the server; the next sync shows the server's state.")

    @Argument(help: "The entry's id or a unique prefix of it (`outbox` shows them).") var id: String
    @Flag(name: [.short, .long], help: "Do not ask.") var yes = false

    public init() {}

    public func execute(in context: CommandContext) async throws {
        let mirror = try context.mirror()
        let entry: OutboxEntry
        switch try mirrorCall({ try mirror.outboxEntry(id) }) {
        case .found(let e): entry = e
        case .none: throw CLIError(.failure, "no outbox entry '\(id)'; `outbox` lists them")
        case .ambiguous(let ids): throw CLIError(.failure, "'\(id)' matches several entries: \(ids.joined(separator: ", "))")
        }
        let what = "\(entry.state.rawValue) \(entry.type) of \(entry.entityID)"
        if !yes, isatty(STDIN_FILENO) == 1 {
            Output.standard("Drop the \(what)? This cannot be undone. [y/N] ")
            let answer = readLine(strippingNewline: true)?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            guard answer == "y" || answer == "yes" else {
                context.write("Kept it.\n")
                return
            }
        }
        try mirrorCall { _ = try mirror.dropOutboxEntry(id: entry.id) }
        var out = "Dropped the \(what).\n"
        if entry.state == .pending && entry.attempts > 0 {
            out += "note: a sync already carried it, so it may have reached the server; the next sync shows the server's state.\n"
        }
        context.write(out)
    }
}

/// The outbox page.
public enum OutboxView {
    public static func render(_ entries: [OutboxEntry], format: OutputFormat, style: Style, now: Int = Int(Date().timeIntervalSince1970)) -> String {
        switch format {
        case .json:
            let shape = entries.map {
                OutboxJSON(
                    id: $0.id, type: $0.type, entityID: $0.entityID, state: $0.state.rawValue, createdAt: $0.createdAt, attempts: $0.attempts,
                    lastError: $0.lastError)
            }
            return String(decoding: (try? WireJSON.encode(shape)) ?? Data(), as: UTF8.self) + "\n"
        case .csv:
            var out = "id,type,entity_id,state,created_at,attempts,last_error\n"
            for e in entries {
                out += CSV.row([e.id, e.type, e.entityID, e.state.rawValue, e.createdAt, String(e.attempts), e.lastError ?? ""])
            }
            return out
        case .table:
            guard !entries.isEmpty else { return "The outbox is empty: everything is on the server.\n" }
            var out = ""
            for e in entries {
                let paint: Style.Paint = e.state == .pending ? .yellow : .red
                let head = [
                    style.paint(String(e.id.prefix(8)), .bold), e.type, String(e.entityID.prefix(12)), style.paint(e.state.rawValue, paint),
                    OutboxText.age(e.createdAt, now: now), "\(e.attempts) attempt\(e.attempts == 1 ? "" : "s")",
                ]
                out += Text.flow(head, separator: "  ", width: style.width)
                if let error = e.lastError { out += Text.hanging(style.paint(error, .dim), first: "  ", rest: "  ", width: style.width) }
            }
            return out
        }
    }
}

/// `outbox --format json`: one object per entry.
struct OutboxJSON: Encodable {
    var id: String
    var type: String
    var entityID: String
    var state: String
    var createdAt: String
    var attempts: Int
    var lastError: String?

    enum CodingKeys: String, CodingKey {
        case id, type, state, attempts
        case entityID = "entity_id"
        case createdAt = "created_at"
        case lastError = "last_error"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(type, forKey: .type)
        try c.encode(entityID, forKey: .entityID)
        try c.encode(state, forKey: .state)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(attempts, forKey: .attempts)
        try c.encode(lastError, forKey: .lastError)
    }
}
