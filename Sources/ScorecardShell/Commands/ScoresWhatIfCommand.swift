import ArgumentParser
import Foundation
import ScorecardCore

/// `scores what-if METRIC=VALUE …`: the latest week's domain scores and composite with some metric
/// values replaced, offline, with the server's formulas and the week's stored baselines and weights.
public struct ScoresWhatIfCommand: ShellCommand {
    public static let configuration = CommandConfiguration(
        commandName: "what-if",
        abstract: "The latest week's scores with some metric values replaced, e.g. what-if sla_compliance_rate=95.",
        discussion: """
            Recomputed offline from the latest synced snapshot with the formulas the server scores with, holding the \
            week's stored team baselines and effective weights fixed (a real re-score may move them a little). \
            Percentages are given in percent, as `scores --format json` shows them. Only metrics of the week's \
            scored domains can be set; Tab completes the metric keys (docs/scoring.md lists them).
            """)

    @Argument(help: ArgumentHelp("Metric values to try, e.g. sla_compliance_rate=95 escalation_rate=5.", valueName: "metric=value"))
    var assignments: [String] = []
    @OptionGroup var output: ScoresFormat

    public init() {}

    public func execute(in context: CommandContext) async throws {
        let parsed: [WhatIf.Assignment]
        do {
            parsed = try WhatIf.parse(assignments)
        } catch {
            throw CLIError(.usage, error.message)
        }
        let mirror = try context.mirror()
        guard let latest = try mirrorCall({ try mirror.latestSnapshot() }) else {
            throw CLIError(.failure, "no scores in the mirror yet; a what-if starts from the latest week's, which appear after the server scores a week and you sync")
        }
        let whatIf: WhatIf
        do {
            whatIf = try WhatIf(snapshot: latest, assignments: parsed)
        } catch {
            throw CLIError(error.isUsage ? .usage : .failure, error.message)
        }
        context.write(WhatIfView.render(whatIf, snapshot: latest, format: context.format(output.format), style: context.style))
    }
}

/// The `scores what-if` page.
public enum WhatIfView {
    /// `--format json`: `{"composite_before", "composite_after", "domains": [{"domain", "before", "after"}], "period", "metrics": […]}`.
    struct JSONShape: Encodable {
        var period: String
        var compositeBefore: Double
        var compositeAfter: Double
        var domains: [DomainRow]
        var metrics: [MetricRow]

        struct DomainRow: Encodable {
            var domain: String
            var before: Double
            var after: Double
        }

        struct MetricRow: Encodable {
            var metric: WhatIf.Metric
            enum CodingKeys: String, CodingKey {
                case key = "metric", domain
                case valueBefore = "value_before", valueAfter = "value_after"
                case pointsBefore = "points_before", pointsAfter = "points_after", maxPoints = "max_points"
            }
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(metric.key, forKey: .key)
                try c.encode(metric.domain.rawValue, forKey: .domain)
                try c.encode(metric.valueBefore, forKey: .valueBefore)  // null when the week had no value
                try c.encode(metric.valueAfter, forKey: .valueAfter)
                try c.encode(metric.pointsBefore, forKey: .pointsBefore)
                try c.encode(metric.pointsAfter, forKey: .pointsAfter)
                try c.encode(metric.maxPoints, forKey: .maxPoints)
            }
        }

        enum CodingKeys: String, CodingKey {
            case period, domains, metrics
            case compositeBefore = "composite_before", compositeAfter = "composite_after"
        }
    }

    public static func render(_ w: WhatIf, snapshot: Snapshot, format: OutputFormat, style: Style) -> String {
        switch format {
        case .json:
            let shape = JSONShape(
                period: w.period, compositeBefore: w.compositeBefore, compositeAfter: w.compositeAfter,
                domains: w.domains.map { .init(domain: $0.domain.rawValue, before: $0.before, after: $0.after) },
                metrics: w.metrics.map { .init(metric: $0) })
            return String(decoding: (try? WireJSON.encode(shape)) ?? Data(), as: UTF8.self) + "\n"
        case .csv:
            var out = "kind,key,before,after\n"
            for m in w.metrics {
                out += CSV.row(["value", m.key, m.valueBefore.map { Text.decimal($0, 2) } ?? "", Text.decimal(m.valueAfter, 2)])
                out += CSV.row(["points", m.key, Text.decimal(m.pointsBefore, 2), Text.decimal(m.pointsAfter, 2)])
            }
            for d in w.domains { out += CSV.row(["domain", d.domain.rawValue, Text.decimal(d.before, 2), Text.decimal(d.after, 2)]) }
            return out + CSV.row(["composite", "composite_score", Text.decimal(w.compositeBefore, 2), Text.decimal(w.compositeAfter, 2)])
        case .table:
            var out = Text.flow(
                [style.heading("What-if · \(w.period)"), style.paint("(\(snapshot.periodStart) .. \(snapshot.periodEnd))", .dim)], separator: " ",
                width: style.width)
            out += "\n" + metrics(w.metrics, style: style) + "\n" + domains(w, style: style)
            let note = "Team baselines and weights held as stored for \(w.period); see docs/scoring.md, What-if."
            return out + Text.wrap(note, width: style.width).map { style.paint($0, .dim) + "\n" }.joined()
        }
    }

    /// Each replaced metric: value and points, before → after, of its maximum.
    static func metrics(_ metrics: [WhatIf.Metric], style: Style) -> String {
        let nameWidth = max(6, metrics.map { $0.key.count }.max() ?? 6)
        let rows = metrics.map { m in
            (m.key, "\(m.valueBefore.map(number) ?? "none") → \(number(m.valueAfter))",
             "\(number(m.pointsBefore)) → \(style.paint(number(m.pointsAfter), .bold, paint(m.pointsAfter - m.pointsBefore))) of \(number(m.maxPoints))")
        }
        let valueWidth = max(5, rows.map { Text.width($0.1) }.max() ?? 5)
        guard nameWidth + 2 + valueWidth + 2 + 20 <= style.width else {
            return rows.map { $0.0 + "\n" + Text.flow(["value " + $0.1, "points " + $0.2], separator: "  ", indent: "  ", width: style.width) }.joined()
        }
        var out = Text.pad("Metric", nameWidth) + "  " + Text.pad("Value", valueWidth) + "  Points\n"
        for (name, value, points) in rows { out += Text.pad(name, nameWidth) + "  " + Text.pad(value, valueWidth) + "  " + points + "\n" }
        return out
    }

    /// Every scored domain of the week, then the composite: before, after, change, and the weight
    /// when the width allows (46 columns).
    static func domains(_ w: WhatIf, style: Style) -> String {
        let nameWidth = 13, showWeight = style.width >= 46
        func row(_ name: String, _ before: Double, _ after: Double, _ weight: Double?) -> String {
            let change = after - before
            return Text.pad(name, nameWidth) + Text.padLeft(Text.decimal(before, 2), 8) + Text.padLeft(Text.decimal(after, 2), 8)
                + style.paint(Text.padLeft((change > 0 ? "+" : "") + Text.decimal(change, 2), 8), paint(change))
                + (showWeight ? weight.map { Text.padLeft(Text.decimal($0, 0) + "%", 8) } ?? "" : "")
        }
        var out = Text.pad("Domain", nameWidth) + Text.padLeft("Before", 8) + Text.padLeft("After", 8) + Text.padLeft("Change", 8)
        out += (showWeight ? Text.padLeft("Weight", 8) : "") + "\n"
        for d in w.domains { out += row(d.domain.rawValue, d.before, d.after, d.weight) + "\n" }
        return out + style.heading(row("Composite", w.compositeBefore, w.compositeAfter, nil)) + "\n"
    }

    /// Green for a gain, red for a loss, dim for none.
    static func paint(_ change: Double) -> Style.Paint { change > 0.004 ? .green : change < -0.004 ? .red : .dim }

    /// Two decimals at most, trailing zeros dropped (`75`, `12.5`, `4.25`).
    static func number(_ x: Double) -> String {
        var s = Text.decimal(x, 2)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s == "-0" ? "0" : s
    }
}
