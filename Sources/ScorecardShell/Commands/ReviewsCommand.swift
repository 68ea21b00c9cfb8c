import ArgumentParser
import Foundation
import ScorecardCache
import ScorecardCore

/// `reviews`: the coaching reviews in the mirror, newest first.
public struct ReviewsCommand: ShellCommand {
    public static let configuration = CommandConfiguration(
        commandName: "reviews", abstract: "Your coaching reviews, newest first; `review ID` shows one.")

    @Option(help: "At most this many reviews.") var limit = 20
    @Option(help: "table, csv or json.") var format: OutputFormat?

    public init() {}

    public static let completion = CompletionSpec(options: CompletionSpec.formatOption.merging(["--limit": .free]) { a, _ in a })

    public func execute(in context: CommandContext) async throws {
        guard limit > 0 else { throw CLIError(.usage, "--limit must be positive") }
        let mirror = try context.mirror()
        let reviews = try mirrorCall { try mirror.reviews(limit: limit) }
        let pending = try mirrorCall { try mirror.pendingEdits() }
        context.write(ReviewsView.render(reviews, pending: pending, format: context.format(format), style: context.style))
    }
}

/// The `reviews` list.
public enum ReviewsView {
    public static func render(_ reviews: [Review], pending: [String: PendingEdit], format: OutputFormat, style: Style) -> String {
        switch format {
        case .json: return String(decoding: (try? WireJSON.encode(reviews)) ?? Data(), as: UTF8.self) + "\n"
        case .csv:
            var out = "id,period_start,period_end,composite_score,is_acknowledged,acknowledged_at,summary\n"
            for r in reviews {
                out += CSV.row([r.id, r.periodStart, r.periodEnd, Text.decimal(r.compositeScore, 2), r.isAcknowledged ? "true" : "false", r.acknowledgedAt ?? "", r.summary])
            }
            return out
        case .table:
            guard !reviews.isEmpty else { return "No reviews yet.\n" }
            let idWidth = min(36, reviews.map { $0.id.count }.max() ?? 2)
            let head = Text.pad("ID", idWidth) + "  Week      Score  Ack  "
            guard style.width >= Text.width(head) + 12 else { return stacked(reviews, pending: pending, style: style) }
            var out = style.paint(head + "Summary", .bold) + "\n"
            for r in reviews {
                let ack = Text.pad(ackMark(r, pending[r.id]), 3)
                let line = Text.pad(r.id, idWidth) + "  " + Text.pad(week(r), 8) + "  " + Text.padLeft(Text.decimal(r.compositeScore, 1), 5) + "  "
                out += line + (r.isAcknowledged ? ack : style.paint(ack, .yellow)) + "  "
                out += Text.fit(r.summary, style.width - Text.width(head), style) + "\n"
            }
            return out
        }
    }

    /// Narrow terminals: each review on its own lines.
    static func stacked(_ reviews: [Review], pending: [String: PendingEdit], style: Style) -> String {
        var out = ""
        for r in reviews {
            let ack = ["yes": "acknowledged", "no": style.paint("not acknowledged", .yellow), "…": style.paint("ack pending", .yellow)][ackMark(r, pending[r.id])] ?? ""
            out += style.paint(r.id, .bold) + "\n"
            out += Text.flow([week(r), Text.decimal(r.compositeScore, 1), ack], indent: "  ", width: style.width)
            out += "  " + Text.fit(r.summary, style.width - 2, style) + "\n"
        }
        return out
    }

    static func week(_ r: Review) -> String { CivilDate(r.periodStart).map { ISOWeek(containing: $0).description } ?? r.periodStart }

    /// `yes`, `no`, or `…` while an acknowledgement waits in the outbox.
    static func ackMark(_ r: Review, _ edit: PendingEdit?) -> String {
        if edit?.type == "ack_review" && edit?.state == "pending" { return "…" }
        return r.isAcknowledged ? "yes" : "no"
    }
}
