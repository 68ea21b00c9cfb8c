import ArgumentParser
import Foundation
import ScorecardCore

/// `scores`: the latest week's domain scores and the 12-week trend.
public struct ScoresCommand: ShellCommand {
    public static let configuration = CommandConfiguration(
        commandName: "scores",
        abstract: "Your weekly scores: the latest week's domains with weights, and a 12-week trend.",
        discussion: """
            Scores are ISO weeks (Monday to Sunday, UTC), computed by the server and synced into the mirror.
            The peer comparison (percentile, team average, team histogram) is the one stored with the
            latest synced snapshot when the server scored the week: offline, and the same the API answers.
            `scores what-if METRIC=VALUE …` recomputes the latest week with some metric values replaced.
            """,
        subcommands: [ScoresWhatIfCommand.self])

    @Option(help: "Weeks in the trend.") var weeks = 12
    @OptionGroup var output: ScoresFormat

    public init() {}

    /// `what-if`, then metric keys (`sla_compliance_rate=` …) as often as wanted.
    public static let completion = CompletionSpec(
        arguments: [.words(["what-if"]), .metricAssignment], options: CompletionSpec.formatOption.merging(["--weeks": .free]) { a, _ in a },
        repeatsLast: true)

    public func execute(in context: CommandContext) async throws {
        guard (1...104).contains(weeks) else { throw CLIError(.usage, "--weeks must be 1...104") }
        let mirror = try context.mirror()
        let history = try mirrorCall { try mirror.snapshots(weeks: weeks) }
        context.write(ScoresView.render(history, format: context.format(output.format), style: context.style))
    }
}

/// `--format` of `scores` and of `scores what-if`: one option group, so that the value typed after
/// `what-if` (which the parent command parses first) reaches the subcommand too.
public struct ScoresFormat: ParsableArguments {
    @Option(help: "table, csv or json.") var format: OutputFormat?

    public init() {}
}

/// The `scores` page. `history` is oldest first; its last element is the latest week.
public enum ScoresView {
    /// `--format json`: the latest snapshot and the trend.
    struct JSONShape: Encodable {
        var latest: Snapshot?
        var trend: [Point]
        struct Point: Encodable {
            var period: String
            var periodStart: String
            var compositeScore: Double
            enum CodingKeys: String, CodingKey {
                case period
                case periodStart = "period_start"
                case compositeScore = "composite_score"
            }
        }
    }

    public static func render(_ history: [Snapshot], format: OutputFormat, style: Style) -> String {
        switch format {
        case .json:
            let shape = JSONShape(
                latest: history.last, trend: history.map { .init(period: $0.period, periodStart: $0.periodStart, compositeScore: $0.compositeScore) })
            return String(decoding: (try? WireJSON.encode(shape)) ?? Data(), as: UTF8.self) + "\n"
        case .csv:
            var out = "period,period_start,composite_score," + Domain.allCases.map(\.rawValue).joined(separator: ",") + "\n"
            for s in history {
                out += CSV.row([s.period, s.periodStart, Text.decimal(s.compositeScore, 2)] + Domain.allCases.map { d in s.domainScores[d.rawValue].map { Text.decimal($0, 2) } ?? "" })
            }
            return out
        case .table:
            guard let latest = history.last else { return "No scores yet; they appear after the server scores a week and you sync.\n" }
            var out = Text.flow([style.heading("Scores · \(latest.period)"), style.paint("(\(latest.periodStart) .. \(latest.periodEnd))", .dim)], separator: " ", width: style.width)
            out += Text.flow(
                ["Composite " + style.paint(Text.decimal(latest.compositeScore, 1), .bold, paint(latest.compositeScore)) + " / 100",
                 latest.teamType.map { style.paint("\($0) weights", .dim) } ?? ""], width: style.width)
            out += "\n" + domains(latest, style: style) + "\n" + trend(history, style: style)
            if let peer = latest.peer { out += Self.peer(peer, style: style) }
            return out
        }
    }

    /// The latest week's stored peer figures: percentile, team average and size, and the team's
    /// composites as a 10-bucket histogram (a spark per bucket, then the counts); or why hidden.
    static func peer(_ peer: PeerFigures, style: Style) -> String {
        if let reason = peer.reason { return Text.flow([style.paint("Peer comparison hidden: \(reason)", .dim)], width: style.width) }
        var out = Text.flow(
            [peer.percentile.map { "Peer percentile \(Text.decimal($0, 1))" } ?? "", peer.teamAverage.map { "team average \(Text.decimal($0, 1))" } ?? "",
             peer.teamSize.map { "team of \($0)" } ?? ""], width: style.width)
        if let buckets = peer.distribution, !buckets.isEmpty {
            let high = Double(buckets.map(\.count).max() ?? 0)
            let spark = Charts.sparkline(buckets.map { Double($0.count) }, low: 0, high: max(1, high))
            out += Text.flow(
                ["Team composites", "\(buckets.first!.from) " + style.paint(spark, .cyan) + " \(buckets.last!.to)",
                 style.paint("(" + buckets.map { String($0.count) }.joined(separator: " ") + ")", .dim)], separator: "  ", width: style.width)
        }
        return out
    }

    /// Green at 80 and above, yellow from 60, red below.
    static func paint(_ score: Double) -> Style.Paint { score >= 80 ? .green : score >= 60 ? .yellow : .red }

    static func domains(_ s: Snapshot, style: Style) -> String {
        let nameWidth = 13
        let barWidth = min(50, max(4, style.width - nameWidth - 1 - 6 - 1 - 8))
        var out = Text.pad("Domain", nameWidth) + " " + Text.pad("Score", barWidth + 6) + " " + Text.padLeft("Weight", 8) + "\n"
        for d in s.domains.sorted(by: { $0.domain < $1.domain }) {
            let weight = s.weights[d.domain.rawValue].map { Text.decimal($0, 0) + "%" } ?? "-"
            out += Text.pad(d.domain.rawValue, nameWidth) + " " + style.paint(Charts.bar(d.rawScore / 100, width: barWidth, track: "░"), paint(d.rawScore))
                + Text.padLeft(Text.decimal(d.rawScore, 1), 6) + " " + Text.padLeft(weight, 8) + "\n"
        }
        return out
    }

    /// The composite per week as a sparkline; weeks without a snapshot show as `·`.
    static func trend(_ history: [Snapshot], style: Style) -> String {
        guard let first = history.first.flatMap({ ISOWeek($0.period) }), let last = history.last.flatMap({ ISOWeek($0.period) }) else { return "" }
        var byWeek: [String: Double] = [:]
        for s in history { byWeek[s.period] = s.compositeScore }
        var weeks: [ISOWeek] = []
        var w = first
        while w <= last && weeks.count < 104 {
            weeks.append(w)
            w = w.next
        }
        let values = weeks.map { byWeek[$0.description] }
        let scores = history.map(\.compositeScore)
        let change = (scores.last ?? 0) - (scores.first ?? 0)
        let arrow = change > 0.05 ? "↑" : change < -0.05 ? "↓" : "→"
        var out = Text.flow([style.heading("\(weeks.count)-week trend"), style.paint("(\(first) .. \(last))", .dim)], separator: " ", width: style.width)
        out += Text.flow(
            [style.paint(Charts.sparkline(values), .cyan), "low \(Text.decimal(scores.min() ?? 0, 1))", "high \(Text.decimal(scores.max() ?? 0, 1))",
             "\(arrow) \(Text.decimal(change, 1))"], separator: "  ", width: style.width)
        return out
    }
}
