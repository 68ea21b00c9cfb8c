import ArgumentParser
import Foundation
import ScorecardCore

/// `feedback`: feedback entries about your work (seed 001), newest first; `--summary`: their rates.
public struct FeedbackCommand: ShellCommand {
    public static let configuration = CommandConfiguration(
        commandName: "feedback", abstract: "Feedback about your work, newest first; --summary for the rates (offline too).",
        discussion: """
            --summary counts the period's entries by type: the correction, enhancement and approval rates (each type's share \
            of the entries, docs/scoring.md) and the innovation count, overall and per project, with the change against the \
            period of the same length just before.
            """)

    @Option(help: "At most this many entries.") var limit = 20
    @Option(help: "Only this type: correction, enhancement, approval or innovation.") var type: String?
    @Option(help: "table, csv or json.") var format: OutputFormat?
    @Flag(help: "The rates instead of the entries.") var summary = false
    @Option(help: "With --summary: today, yesterday, week, month (the default), YYYY-MM-DD or FROM..TO.") var period = "month"
    @Option(help: "With --summary: only this project.") var project: String?

    public init() {}

    public static let completion = CompletionSpec(
        options: CompletionSpec.formatOption.merging([
            "--limit": .free, "--type": .words(FeedbackType.allCases.map(\.rawValue)), "--summary": .none, "--period": .free, "--project": .free,
        ]) { a, _ in a })

    public func execute(in context: CommandContext) async throws {
        if summary {
            let range = try StatsCommand.range(period, today: context.today)
            let all = try mirrorCall { try context.mirror().feedback() }
            let report = FeedbackSummaryReport(all.filter { project == nil || $0.projectID == project }, from: range.from, to: range.to)
            context.write(FeedbackSummaryView.render(report, format: context.format(format), style: context.style))
            return
        }
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

/// `feedback --summary`: the rates over a period, per project, against the period before.
public struct FeedbackSummaryReport: Encodable, Sendable, Equatable {
    /// One project's (or all the entries') figures.
    public struct Part: Encodable, Sendable, Equatable {
        /// The project; nil for entries without one (and for the whole).
        public var projectID: String?
        public var total: Int
        public var rates: FeedbackRates.Rates
        public var innovationCount: Int
        /// Each rate's change in percentage points against the period before (nil where either has no entries).
        public var change: FeedbackRates.Rates

        enum CodingKeys: String, CodingKey {
            case total, rates, change
            case projectID = "project_id"
            case innovationCount = "innovation_count"
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(projectID, forKey: .projectID)
            try c.encode(total, forKey: .total)
            try c.encode(rates, forKey: .rates)
            try c.encode(innovationCount, forKey: .innovationCount)
            try c.encode(change, forKey: .change)
        }
    }

    /// The period before, of the same length.
    public struct Previous: Encodable, Sendable, Equatable {
        public var from: CivilDate
        public var to: CivilDate
        public var total: Int
        public var rates: FeedbackRates.Rates
        public var innovationCount: Int

        enum CodingKeys: String, CodingKey {
            case from, to, total, rates
            case innovationCount = "innovation_count"
        }
    }

    public var from: CivilDate
    public var to: CivilDate
    public var total: Int
    public var rates: FeedbackRates.Rates
    public var innovationCount: Int
    public var change: FeedbackRates.Rates
    public var byProject: [Part]
    public var previous: Previous

    enum CodingKeys: String, CodingKey {
        case from, to, total, rates, change, previous
        case innovationCount = "innovation_count"
        case byProject = "by_project"
    }

    /// The figures of `entries` for the UTC days `from...to` and the same number of days before.
    public init(_ entries: [FeedbackEntry], from: CivilDate, to: CivilDate) {
        let days = to.daysSinceEpoch - from.daysSinceEpoch + 1
        let earlierFrom = from.adding(days: -days)
        func within(_ e: FeedbackEntry, _ a: CivilDate, _ b: CivilDate) -> Bool {
            guard let day = CivilDate(e.occurredAt.prefix(10)) else { return false }
            return day >= a && day <= b
        }
        let now = entries.filter { within($0, from, to) }
        let before = entries.filter { within($0, earlierFrom, from.adding(days: -1)) }
        let all = FeedbackRates(now), earlier = FeedbackRates(before)
        self.from = from
        self.to = to
        total = all.total
        rates = all.rates
        innovationCount = all.innovationCount
        change = all.change(since: earlier)
        previous = Previous(from: earlierFrom, to: from.adding(days: -1), total: earlier.total, rates: earlier.rates, innovationCount: earlier.innovationCount)
        let projects = Set(now.map(\.projectID)).sorted { ($0 ?? "\u{10FFFF}") < ($1 ?? "\u{10FFFF}") }  // no project last
        byProject = projects.map { id in
            let mine = FeedbackRates(now.filter { $0.projectID == id })
            let theirs = FeedbackRates(before.filter { $0.projectID == id })
            return Part(projectID: id, total: mine.total, rates: mine.rates, innovationCount: mine.innovationCount, change: mine.change(since: theirs))
        }
    }
}

/// The rates as a table, CSV or JSON.
public enum FeedbackSummaryView {
    public static func render(_ r: FeedbackSummaryReport, format: OutputFormat, style: Style) -> String {
        func pct(_ v: Double?) -> String { v.map { String(format: "%.1f%%", $0) } ?? "–" }
        func delta(_ v: Double?) -> String { v.map { $0 == 0 ? "±0.0" : String(format: "%+.1f", $0) } ?? "" }
        switch format {
        case .json:
            return String(decoding: (try? WireJSON.encode(r)) ?? Data(), as: UTF8.self) + "\n"
        case .csv:
            var out = "project,entries,correction_rate,enhancement_rate,approval_rate,innovation_count\n"
            out += CSV.row(["", String(r.total), r.rates.correction.map { String($0) } ?? "", r.rates.enhancement.map { String($0) } ?? "", r.rates.approval.map { String($0) } ?? "", String(r.innovationCount)])
            for p in r.byProject {
                out += CSV.row([p.projectID ?? "(none)", String(p.total), p.rates.correction.map { String($0) } ?? "", p.rates.enhancement.map { String($0) } ?? "", p.rates.approval.map { String($0) } ?? "", String(p.innovationCount)])
            }
            return out
        case .table:
            let range = r.from == r.to ? "\(r.from)" : "\(r.from) .. \(r.to)"
            var out = style.heading("Feedback · \(range)") + "\n"
            guard r.total > 0 else {
                return out + "No feedback in this period (\(r.previous.total) in the \(r.previous.from == r.previous.to ? "day" : "period") before).\n"
            }
            let header = ["", "entries", "correction", "enhancement", "approval", "innovation"]
            var rows: [[String]] = [["all", String(r.total), pct(r.rates.correction), pct(r.rates.enhancement), pct(r.rates.approval), String(r.innovationCount)]]
            rows.append(["  vs before", String(r.previous.total), delta(r.change.correction), delta(r.change.enhancement), delta(r.change.approval), String(r.previous.innovationCount)])
            for p in r.byProject where r.byProject.count > 1 || p.projectID != nil {
                rows.append([p.projectID ?? "(no project)", String(p.total), pct(p.rates.correction), pct(p.rates.enhancement), pct(p.rates.approval), String(p.innovationCount)])
            }
            let widths = header.indices.map { i in max(Text.width(header[i]), rows.map { Text.width($0[i]) }.max() ?? 0) }
            func line(_ cells: [String]) -> String {
                cells.indices.map { i in i == 0 ? Text.pad(cells[i], widths[i]) : String(repeating: " ", count: widths[i] - Text.width(cells[i])) + cells[i] }
                    .joined(separator: "  ") + "\n"
            }
            out += style.paint(String(line(header).dropLast()), .dim) + "\n"
            for row in rows { out += line(row) }
            out += style.paint("rates: each type's share of the period's entries; \"vs before\": percentage points against \(r.previous.from) .. \(r.previous.to)", .dim) + "\n"
            return out
        }
    }
}
