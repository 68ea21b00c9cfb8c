import ArgumentParser
import Foundation
import ScorecardCache
import ScorecardCore

/// `review ID`: one coaching review as seed 002's review page.
public struct ReviewCommand: ShellCommand {
    public static let configuration = CommandConfiguration(
        commandName: "review", abstract: "One coaching review: summary, strengths, improvements, recommendations, callouts.",
        discussion: "ID may be any unique prefix of the review's id; Tab completes ids from the mirror.")

    @Argument(help: "The review's id or a unique prefix of it.") var id: String
    @Option(help: "table, csv or json.") var format: OutputFormat?

    public init() {}

    public static let completion = CompletionSpec(arguments: [.reviewID], options: CompletionSpec.formatOption)

    public func execute(in context: CommandContext) async throws {
        let mirror = try context.mirror()
        switch try mirrorCall({ try mirror.review(id) }) {
        case .found(let review):
            let pending = try mirrorCall { try mirror.pendingEdits() }[review.id]
            context.write(ReviewView.render(review, pending: pending, format: context.format(format), style: context.style))
        case .none:
            throw CLIError(.failure, "no review '\(id)' in the mirror; `reviews` lists them")
        case .ambiguous(let ids):
            throw CLIError(.failure, "'\(id)' matches several reviews: \(ids.joined(separator: ", "))")
        }
    }
}

/// The review page.
public enum ReviewView {
    public static func render(_ r: Review, pending: PendingEdit?, format: OutputFormat, style: Style) -> String {
        switch format {
        case .json: return String(decoding: (try? WireJSON.encode(r)) ?? Data(), as: UTF8.self) + "\n"
        case .csv:
            var out = "section,priority,category,text,detail\n"
            out += CSV.row(["summary", "", "", r.summary, ""])
            for s in r.strengths { out += CSV.row(["strength", "", "", s, ""]) }
            for s in r.improvements { out += CSV.row(["improvement", "", "", s, ""]) }
            for x in sorted(r.recommendations) { out += CSV.row(["recommendation", x.priority, x.category, x.action, x.impact]) }
            for c in r.callouts { out += CSV.row(["callout", c.type, c.reference, c.observation, ""]) }
            return out
        case .table:
            let w = style.width
            let week = CivilDate(r.periodStart).map { ISOWeek(containing: $0).description + " " } ?? ""
            var out = style.heading("Review \(r.id)") + "\n"
            out += Text.flow([style.paint("\(week)(\(r.periodStart) .. \(r.periodEnd))", .dim), style.paint("written \(r.createdAt.prefix(10)) by \(r.model)", .dim)], width: w)
            out += Text.flow(["Composite " + style.paint(Text.decimal(r.compositeScore, 1), .bold), ack(r, pending, style)], width: w)
            out += "\n" + style.heading("Summary") + "\n" + Text.hanging(r.summary, first: "  ", rest: "  ", width: w)
            if !r.strengths.isEmpty {
                out += "\n" + style.heading("Strengths") + "\n"
                for s in r.strengths { out += Text.hanging(s, first: "  " + style.paint("+", .green) + " ", rest: "    ", width: w) }
            }
            if !r.improvements.isEmpty {
                out += "\n" + style.heading("Improvements") + "\n"
                for s in r.improvements { out += Text.hanging(s, first: "  " + style.paint("!", .yellow) + " ", rest: "    ", width: w) }
            }
            if !r.recommendations.isEmpty {
                out += "\n" + style.heading("Recommendations") + "\n"
                for x in sorted(r.recommendations) {
                    let tag = Text.pad(x.priority.uppercased(), 6)
                    let paint: Style.Paint = x.priorityRank == 0 ? .red : x.priorityRank == 1 ? .yellow : .dim
                    out += "  " + style.paint(tag, paint, .bold) + " " + style.paint(x.category, .cyan) + "\n"
                    out += Text.hanging(x.action, first: "         ", rest: "         ", width: w)
                    out += Text.hanging(x.impact, first: "         → ", rest: "           ", width: w)
                }
            }
            if !r.callouts.isEmpty {
                out += "\n" + style.heading("Callouts") + "\n"
                for c in r.callouts {
                    let positive = c.type == "positive"
                    let mark = style.paint(positive ? "+" : "!", positive ? .green : .yellow)
                    out += "  " + mark + " " + style.paint(c.reference, .bold) + "\n"
                    out += Text.hanging(c.observation, first: "    ", rest: "    ", width: w)
                }
            }
            return out
        }
    }

    /// Recommendations by priority (high, medium, low, other), keeping the coach's order within one.
    static func sorted(_ xs: [Recommendation]) -> [Recommendation] {
        xs.enumerated().sorted { ($0.element.priorityRank, $0.offset) < ($1.element.priorityRank, $1.offset) }.map(\.element)
    }

    static func ack(_ r: Review, _ pending: PendingEdit?, _ style: Style) -> String {
        if pending?.type == "ack_review" && pending?.state == "pending" {
            return style.paint("acknowledged here \(r.acknowledgedAt ?? ""), waiting to sync", .yellow)
        }
        if r.isAcknowledged { return style.paint("acknowledged \(r.acknowledgedAt ?? "")", .green) }
        return style.paint("not acknowledged yet", .yellow)
    }
}
