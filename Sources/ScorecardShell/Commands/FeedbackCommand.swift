import ArgumentParser
import Foundation
import ScorecardCore

/// `feedback`: feedback entries about your work (seed 001), newest first.
public struct FeedbackCommand: ShellCommand {
    public static let configuration = CommandConfiguration(
        commandName: "feedback", abstract: "Feedback about your work, newest first.")

    @Option(help: "At most this many entries.") var limit = 20
    @Option(help: "Only this type: correction, enhancement, approval or innovation.") var type: String?
    @Option(help: "table, csv or json.") var format: OutputFormat?

    public init() {}

    public static let completion = CompletionSpec(
        options: CompletionSpec.formatOption.merging(["--limit": .free, "--type": .words(FeedbackType.allCases.map(\.rawValue))]) { a, _ in a })

    public func execute(in context: CommandContext) async throws {
        guard limit > 0 else { throw CLIError(.usage, "--limit must be positive") }
        var kind: FeedbackType?
        if let type {
            guard let t = FeedbackType(rawValue: type) else { throw CLIError(.usage, "--type must be correction, enhancement, approval or innovation") }
            kind = t
        }
        let mirror = try context.mirror()
        let entries = try mirrorCall { try mirror.feedback() }.filter { kind == nil || $0.feedbackType == kind }.prefix(limit)
        context.write(FeedbackView.render(Array(entries), format: context.format(format), style: context.style))
    }
}

/// The feedback list.
public enum FeedbackView {
    public static func render(_ entries: [FeedbackEntry], format: OutputFormat, style: Style) -> String {
        switch format {
        case .json: return String(decoding: (try? WireJSON.encode(entries)) ?? Data(), as: UTF8.self) + "\n"
        case .csv:
            var out = "id,occurred_at,feedback_type,rating,project_id,feedback\n"
            for e in entries {
                out += CSV.row([e.id, e.occurredAt, e.feedbackType.rawValue, e.rating.map(String.init) ?? "", e.projectID ?? "", e.feedback])
            }
            return out
        case .table:
            guard !entries.isEmpty else { return "No feedback yet.\n" }
            var out = ""
            for e in entries {
                let paint: Style.Paint = e.feedbackType == .correction ? .yellow : e.feedbackType == .approval ? .green : .cyan
                let stars = e.rating.map { String(repeating: "★", count: max(0, min(5, $0))) + String(repeating: "☆", count: max(0, 5 - min(5, $0))) } ?? "     "
                let head = String(e.occurredAt.prefix(10)) + "  " + style.paint(Text.pad(e.feedbackType.rawValue, 11), paint) + "  " + stars + "  "
                let room = style.width - Text.width(head)
                if room < 20 {
                    out += head.trimmingCharacters(in: .whitespaces) + "\n"
                    out += style.truncate ? "  " + Text.cut(e.feedback, style.width - 2) + "\n" : Text.hanging(e.feedback, first: "  ", rest: "  ", width: style.width)
                } else if style.truncate {
                    out += head + Text.cut(e.feedback, room) + "\n"
                } else {
                    let indent = String(repeating: " ", count: Text.width(head))
                    out += Text.hanging(e.feedback, first: head, rest: indent, width: style.width)
                }
            }
            return out
        }
    }
}
