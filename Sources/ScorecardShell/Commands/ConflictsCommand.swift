import ArgumentParser
import Foundation
import ScorecardCache
import ScorecardCore

/// `conflicts`: edits the server answered with a conflict or a rejection, and how to settle each.
public struct ConflictsCommand: ShellCommand {
    public static let configuration = CommandConfiguration(
        commandName: "conflicts", abstract: "Edits the server could not apply: conflicts (with base, mine and theirs) and rejections.",
        discussion: "Settle a conflict with `goal resolve ID --mine|--theirs|--set field=value`; dismiss a rejection with `outbox drop ID`.")

    @Option(help: "table or json.") var format: OutputFormat?

    public init() {}

    public static let completion = CompletionSpec(options: CompletionSpec.formatOption)

    public func execute(in context: CommandContext) async throws {
        let mirror = try context.mirror()
        let entries = try mirrorCall { try mirror.outbox() }.filter { $0.state != .pending }
        let items = try entries.map { entry in
            ConflictItem(entry: entry, theirs: try mirrorCall { try mirror.serverGoal(entry.entityID) })
        }
        context.write(ConflictsView.render(items, format: context.format(format), style: context.style))
    }
}

/// A conflict or rejection with the server's current goal, when there is one.
public struct ConflictItem: Sendable {
    public var entry: OutboxEntry
    public var theirs: Goal?

    public init(entry: OutboxEntry, theirs: Goal?) {
        self.entry = entry
        self.theirs = theirs
    }

    /// Per conflicting field: the base I edited, my value, the server's value.
    public var fields: [(field: String, base: JSONValue?, mine: JSONValue?, theirs: JSONValue?)] {
        let names = entry.result?.conflicts ?? []
        let theirValues = theirs?.editableValues ?? [:]
        switch entry.mutation {
        case .updateGoal(_, _, let base, let changes)?:
            return names.map { ($0, base[$0], changes[$0], theirValues[$0]) }
        case .cancelGoal?:
            return names.map { ($0, .string("active"), .string("canceled"), theirs.map { .string($0.status.rawValue) }) }
        default:
            return []
        }
    }
}

/// The conflicts page.
public enum ConflictsView {
    public static func render(_ items: [ConflictItem], format: OutputFormat, style: Style, now: Int = Int(Date().timeIntervalSince1970)) -> String {
        if format == .json {
            let shape = items.map { item in
                ConflictJSON(
                    id: item.entry.id, type: item.entry.type, entityID: item.entry.entityID, state: item.entry.state.rawValue,
                    reason: item.entry.state == .rejected ? item.entry.lastError : nil,
                    fields: item.fields.map { ConflictJSON.Field(field: $0.field, base: $0.base, mine: $0.mine, theirs: $0.theirs) })
            }
            return String(decoding: (try? WireJSON.encode(shape)) ?? Data(), as: UTF8.self) + "\n"
        }
        guard !items.isEmpty else { return "No conflicts or rejected edits.\n" }
        let w = style.width
        var out = ""
        let conflicts = items.filter { $0.entry.state == .conflict }
        let rejected = items.filter { $0.entry.state == .rejected }
        if !conflicts.isEmpty {
            out += style.heading("Conflicts (\(conflicts.count))") + "\n"
            for item in conflicts {
                let e = item.entry
                let label = item.theirs.map { style.paint(Text.cut("\"\($0.label)\"", max(8, w - 4)), .dim) } ?? ""
                out += Text.flow([style.paint("goal \(e.entityID)", .bold), label], separator: " ", indent: "  ", width: w)
                out += "  " + style.paint("\(e.type) · \(OutboxText.age(e.createdAt, now: now))", .dim) + "\n"
                for f in item.fields {
                    out += "    " + style.paint(f.field, .bold) + "\n"
                    let sides: [(String, JSONValue?, Style.Paint?)] = [("base", f.base, nil), ("mine", f.mine, .yellow), ("theirs", f.theirs, .cyan)]
                    for (name, value, paint) in sides {
                        let text = GoalFields.display(value)
                        out += Text.hanging(paint.map { style.paint(text, $0) } ?? text, first: "      " + style.paint(Text.pad(name, 7), .dim), rest: "             ", width: w)
                    }
                }
                out += Text.hanging(
                    "resolve: goal resolve \(e.entityID) --mine | --theirs | --set FIELD=VALUE", first: "    ", rest: "      ", width: w)
            }
        }
        if !rejected.isEmpty {
            if !out.isEmpty { out += "\n" }
            out += style.heading("Rejected (\(rejected.count))") + "\n"
            for item in rejected {
                let e = item.entry
                out += Text.flow(
                    [style.paint("\(e.type) \(e.type == "ack_review" ? "review" : "goal")", .bold), e.entityID, style.paint(OutboxText.age(e.createdAt, now: now), .dim)],
                    indent: "  ", width: w)
                out += Text.hanging(style.paint(e.lastError ?? "rejected", .red), first: "    ", rest: "    ", width: w)
                out += "    dismiss: outbox drop \(e.id.prefix(8))\n"
            }
        }
        return out
    }
}

/// `conflicts --format json`: one object per conflict or rejection.
struct ConflictJSON: Encodable {
    struct Field: Encodable {
        var field: String
        var base: JSONValue?
        var mine: JSONValue?
        var theirs: JSONValue?

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(field, forKey: .field)
            try c.encode(base ?? .null, forKey: .base)
            try c.encode(mine ?? .null, forKey: .mine)
            try c.encode(theirs ?? .null, forKey: .theirs)
        }

        enum CodingKeys: String, CodingKey { case field, base, mine, theirs }
    }

    var id: String
    var type: String
    var entityID: String
    var state: String
    var reason: String?
    var fields: [Field]

    enum CodingKeys: String, CodingKey {
        case id, type, state, reason, fields
        case entityID = "entity_id"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(type, forKey: .type)
        try c.encode(entityID, forKey: .entityID)
        try c.encode(state, forKey: .state)
        try c.encode(reason, forKey: .reason)
        try c.encode(fields, forKey: .fields)
    }
}
