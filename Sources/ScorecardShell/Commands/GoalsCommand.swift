import ArgumentParser
import Foundation
import ScorecardCache
import ScorecardCore

/// `goals`: progress toward each goal's target.
public struct GoalsCommand: ShellCommand {
    public static let configuration = CommandConfiguration(
        commandName: "goals", abstract: "Your goals: progress toward the target, deadline and status.")

    @Flag(help: "Also show achieved, missed and canceled goals.") var all = false
    @Option(help: "table, csv or json.") var format: OutputFormat?

    public init() {}

    public static let completion = CompletionSpec(options: CompletionSpec.formatOption.merging(["--all": .none]) { a, _ in a })

    public func execute(in context: CommandContext) async throws {
        let mirror = try context.mirror()
        let goals = try mirrorCall { try mirror.goals() }.filter { all || $0.status == .active }
        let pending = try mirrorCall { try mirror.pendingEdits() }
        context.write(GoalsView.render(goals, pending: pending, today: context.today, format: context.format(format), style: context.style))
    }
}

/// The goals page.
public enum GoalsView {
    public static func render(_ goals: [Goal], pending: [String: PendingEdit], today: CivilDate, format: OutputFormat, style: Style) -> String {
        switch format {
        case .json: return String(decoding: (try? WireJSON.encode(goals)) ?? Data(), as: UTF8.self) + "\n"
        case .csv:
            var out = "id,domain,metric_key,label,current_value,comparison,target_value,deadline,status,progress\n"
            for g in goals {
                out += CSV.row([
                    g.id, g.domain.rawValue, g.metricKey, g.label, g.currentValue.map { Text.decimal($0, 2) } ?? "", g.comparison.rawValue,
                    Text.decimal(g.targetValue, 2), g.deadline, g.status.rawValue, progress(g).map { Text.decimal($0 * 100, 0) } ?? "",
                ])
            }
            return out
        case .table:
            guard !goals.isEmpty else { return "No goals.\n" }
            var out = ""
            for g in goals {
                let status = statusText(g, pending[g.id], style)
                let title = style.paint("●", paint(g)) + " " + style.paint(g.label, .bold)
                let room = style.width - Text.width(status) - 1
                out += Text.pad(Text.width(title) > room ? style.paint("●", paint(g)) + " " + Text.cut(g.label, room - 2) : title, room) + " " + status + "\n"
                out += Text.flow([g.id, g.domain.rawValue, g.metricKey].map { style.paint($0, .dim) }, indent: "  ", width: style.width)
                let figures = figuresText(g)
                let due = style.paint(dueText(g, today: today), g.status == .active && isOverdue(g, today) ? .red : .dim)
                let oneLine = style.width - 2 - 1 - Text.width(figures) - 2 - Text.width(due) >= 10
                let barWidth = min(40, max(4, style.width - 3 - Text.width(figures) - (oneLine ? 2 + Text.width(due) : 0)))
                let bar = progress(g).map { style.paint(Charts.bar($0, width: barWidth, track: "░"), paint(g)) } ?? String(repeating: "·", count: barWidth)
                out += "  " + bar + " " + figures + (oneLine ? "  " + due + "\n" : "\n  " + due + "\n")
            }
            return out
        }
    }

    /// 0…1 toward the target: current/target for `gte`; target/current for `lte`; nil without a value.
    public static func progress(_ g: Goal) -> Double? {
        guard let current = g.currentValue else { return nil }
        if g.comparison.isMet(current, target: g.targetValue) { return 1 }
        switch g.comparison {
        case .gte: return g.targetValue > 0 ? max(0, current / g.targetValue) : 0
        case .lte: return current > 0 ? max(0, g.targetValue / current) : 0
        }
    }

    static func figuresText(_ g: Goal) -> String {
        let unit = MetricCatalogue.metric(g.metricKey).map { unitSuffix($0.unit) } ?? ""
        let current = g.currentValue.map { Text.decimal($0, 1) } ?? "–"
        return "\(current) / \(g.comparison == .lte ? "≤" : "≥") \(Text.decimal(g.targetValue, 1))\(unit)"
    }

    static func unitSuffix(_ unit: String) -> String {
        ["percent": "%", "minutes": " min", "chars": " chars", "points": " pts"][unit] ?? ""
    }

    static func isOverdue(_ g: Goal, _ today: CivilDate) -> Bool { CivilDate(g.deadline).map { $0 < today } ?? false }

    static func dueText(_ g: Goal, today: CivilDate) -> String {
        guard let deadline = CivilDate(g.deadline) else { return "due \(g.deadline)" }
        let days = deadline.daysSinceEpoch - today.daysSinceEpoch
        guard g.status == .active else { return "due \(g.deadline)" }
        switch days {
        case 0: return "due \(g.deadline) (today)"
        case 1: return "due \(g.deadline) (tomorrow)"
        case 2...: return "due \(g.deadline) (in \(days) days)"
        case -1: return "due \(g.deadline) (yesterday)"
        default: return "due \(g.deadline) (\(-days) days ago)"
        }
    }

    static func paint(_ g: Goal) -> Style.Paint {
        switch g.status {
        case .achieved: return .green
        case .missed: return .red
        case .canceled: return .dim
        case .active: return .cyan
        }
    }

    static func statusText(_ g: Goal, _ edit: PendingEdit?, _ style: Style) -> String {
        var text = style.paint(g.status.rawValue, paint(g))
        if let edit {
            let mark = edit.state == "pending" ? "pending" : edit.state
            text += " " + style.paint("[\(mark)]", edit.state == "pending" ? .yellow : .red)
        }
        return text
    }
}
