import ArgumentParser
import Foundation
import ScorecardCache
import ScorecardCore

/// `goal add|set|cancel|resolve`: goal edits, offline too; the next sync sends them.
public struct GoalCommand: ShellCommand {
    public static let configuration = CommandConfiguration(
        commandName: "goal", abstract: "Add, edit, cancel a goal, or resolve a conflict (offline too; the next sync sends it).",
        subcommands: [GoalAddCommand.self, GoalSetCommand.self, GoalCancelCommand.self, GoalResolveCommand.self])

    public init() {}

    public static let completion = CompletionSpec(
        arguments: [.words(["add", "set", "cancel", "resolve"]), .goalID],
        options: [
            "--domain": .words(Domain.allCases.map(\.rawValue)), "--metric": .free, "--target": .free,
            "--comparison": .words(GoalComparison.allCases.map(\.rawValue)), "--deadline": .day, "--label": .free,
            "--mine": .none, "--theirs": .none, "--set": .free, "--help": .none,
        ])

    public func execute(in context: CommandContext) async throws {
        throw CLIError(.usage, "`goal` needs a subcommand: add, set, cancel or resolve (see `help goal`)")
    }
}

/// `goal add`.
public struct GoalAddCommand: ShellCommand {
    public static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a goal.",
        discussion: "Metrics are listed in docs/scoring.md; the server checks the metric belongs to the domain.")

    @Option(help: "support, operations, field_service, communication, sales or data_quality.") var domain: String
    @Option(help: "The metric key, e.g. sla_compliance.") var metric: String
    @Option(help: "The target value.") var target: String
    @Option(help: "lte (at most the target) or gte (at least).") var comparison: String
    @Option(help: "YYYY-MM-DD.") var deadline: String
    @Option(help: "What the goal is called.") var label: String

    public init() {}

    public func execute(in context: CommandContext) async throws {
        let today = context.today
        func text(_ field: String, _ value: String) throws -> String {
            if case .string(let s) = try GoalFields.value(field, value, today: today) { return s }
            return value
        }
        guard case .number(let targetValue) = try GoalFields.value("target_value", target, today: today) else { return }
        let draft = GoalDraft(
            domain: Domain(rawValue: try text("domain", domain))!, metricKey: try text("metric_key", metric), label: try text("label", label),
            targetValue: targetValue, comparison: GoalComparison(rawValue: try text("comparison", comparison))!,
            deadline: try text("deadline", deadline))
        let mirror = try context.mirror()
        _ = try mirrorCall { try mirror.enqueue(.createGoal(draft)) }
        var out = "Added goal \(draft.id) \"\(draft.label)\"; \(OutboxText.waiting(try mirrorCall { try mirror.outboxCounts() })).\n"
        if MetricCatalogue.metric(draft.metricKey) == nil {
            out += "note: this client does not know the metric '\(draft.metricKey)'; the server decides (docs/scoring.md lists them).\n"
        }
        context.write(out)
    }
}

/// `goal set ID field=value …`.
public struct GoalSetCommand: ShellCommand {
    public static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Change fields of an active goal: label, target, comparison, deadline, domain, metric.",
        discussion: "For example: goal set 3f2a target=95 label=\"SLA above 95%\". Only the fields you change are sent, so another change to another field (by a manager, or on another device) is kept.")

    @Argument(help: "The goal's id or a unique prefix of it.") var id: String
    @Argument(help: "field=value pairs.") var assignments: [String] = []

    public init() {}

    public func execute(in context: CommandContext) async throws {
        guard !assignments.isEmpty else { throw CLIError(.usage, "say what to change, e.g. goal set \(id) target=95") }
        let changes = try GoalFields.parse(assignments, today: context.today)
        let mirror = try context.mirror()
        let goal = try GoalFields.find(id, in: mirror)
        guard goal.status == .active else { throw CLIError(.failure, "goal \(goal.id) is \(goal.status.rawValue); only active goals can be edited") }
        let seen = goal.editableValues
        let changed = changes.filter { key, value in !GoalFields.same(seen[key], value) }
        guard !changed.isEmpty else {
            context.write("Nothing to change: goal \(goal.id) already has those values.\n")
            return
        }
        let baseVersion = try mirrorCall { try mirror.serverGoal(goal.id)?.version } ?? 0
        _ = try mirrorCall {
            try mirror.enqueue(.updateGoal(goalID: goal.id, baseVersion: baseVersion, base: seen.filter { changed[$0.key] != nil }, changes: changed))
        }
        let fields = changed.keys.sorted().map { "\($0) \(GoalFields.display(seen[$0])) → \(GoalFields.display(changed[$0]))" }
        context.write("Changed goal \(goal.id): \(fields.joined(separator: ", ")); \(OutboxText.waiting(try mirrorCall { try mirror.outboxCounts() })).\n")
    }
}

/// `goal cancel ID`.
public struct GoalCancelCommand: ShellCommand {
    public static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel an active goal.")

    @Argument(help: "The goal's id or a unique prefix of it.") var id: String

    public init() {}

    public func execute(in context: CommandContext) async throws {
        let mirror = try context.mirror()
        let goal = try GoalFields.find(id, in: mirror)
        guard goal.status == .active else { throw CLIError(.failure, "goal \(goal.id) is \(goal.status.rawValue); only active goals can be canceled") }
        let baseVersion = try mirrorCall { try mirror.serverGoal(goal.id)?.version } ?? 0
        _ = try mirrorCall { try mirror.enqueue(.cancelGoal(goalID: goal.id, baseVersion: baseVersion)) }
        context.write("Canceled goal \(goal.id) \"\(goal.label)\"; \(OutboxText.waiting(try mirrorCall { try mirror.outboxCounts() })).\n")
    }
}

/// `goal resolve ID --mine|--theirs|--set field=value`.
public struct GoalResolveCommand: ShellCommand {
    public static let configuration = CommandConfiguration(
        commandName: "resolve", abstract: "Settle a conflict on a goal: keep yours, keep the server's, or set a new value.",
        discussion: """
            --mine sends your edit again on top of the server's current goal; --theirs drops your edit; \
            --set field=value sends your edit with that field replaced (repeat --set for several fields). \
            `conflicts` shows what each side changed.
            """)

    @Argument(help: "The goal's id or a unique prefix of it.") var id: String
    @Flag(help: "Keep your edit.") var mine = false
    @Flag(help: "Keep the server's goal and drop your edit.") var theirs = false
    @Option(name: .customLong("set"), help: ArgumentHelp("A new value for a field (repeatable).", valueName: "field=value")) var assignments: [String] = []

    public init() {}

    public func validate() throws {
        let chosen = (mine ? 1 : 0) + (theirs ? 1 : 0) + (assignments.isEmpty ? 0 : 1)
        guard chosen == 1 else { throw ValidationError("choose one of --mine, --theirs or --set field=value") }
    }

    public func execute(in context: CommandContext) async throws {
        let mirror = try context.mirror()
        let goalID = try resolveID(mirror)
        let resolution: ConflictResolution =
            mine ? .mine : theirs ? .theirs : .set(try GoalFields.parse(assignments, today: context.today))
        let entry = try mirrorCall { try mirror.resolveConflict(goalID: goalID, resolution) }
        if entry == nil {
            context.write("Kept the server's goal \(goalID); your edit was dropped.\n")
        } else {
            context.write("Your edit of goal \(goalID) goes again on top of the server's; \(OutboxText.waiting(try mirrorCall { try mirror.outboxCounts() })).\n")
        }
    }

    /// The conflicted goal's id from `id` or a unique prefix of it.
    func resolveID(_ mirror: Mirror) throws -> String {
        let ids = Set(try mirrorCall { try mirror.outbox() }.filter { $0.state == .conflict }.map(\.entityID))
        switch MirrorLookup.match(Array(ids), id, id: { $0 }) {
        case .found(let goalID): return goalID
        case .none: throw CLIError(.failure, "goal '\(id)' has no conflict to resolve; `conflicts` lists them")
        case .ambiguous(let matches): throw CLIError(.failure, "'\(id)' matches several conflicted goals: \(matches.joined(separator: ", "))")
        }
    }
}

extension GoalFields {
    /// Equal as goal values (numbers by value).
    static func same(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
        if case .number(let x)? = a, case .number(let y)? = b { return x == y }
        return a == b
    }
}
