import ArgumentParser
import Foundation
import ScorecardCore

/// `stats [PERIOD]`: the call KPIs of seed 000's page, from the mirror.
public struct StatsCommand: ShellCommand {
    public static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Your call KPIs for a period, from the local mirror (works offline).",
        discussion: """
            PERIOD: today, yesterday, week (Monday to today), month (the 1st to today), YYYY-MM-DD, or FROM..TO. Days are UTC.
            The table shows KPI cards, calls per day (inbound and outbound), dispositions and time utilization.
            --format json prints exactly what the server's KPI endpoint answers for the same range.
            """)

    @Argument(help: "today|yesterday|week|month|YYYY-MM-DD|FROM..TO") var period = "today"
    @Option(help: "table, csv or json (default: the shell's \\format, else table).") var format: OutputFormat?

    public init() {}

    public static let completion = CompletionSpec(arguments: [.period], options: CompletionSpec.formatOption)

    public func execute(in context: CommandContext) async throws {
        let range = try Self.range(period, today: context.today)
        let mirror = try context.mirror()
        // A new mirror whose history is still coming holds this week and last in full: a range
        // that reaches back before them is never shown with partial figures.
        if let progress = try mirrorCall({ try mirror.historyProgress() }), !progress.covers(from: range.from) {
            let span = range.from == range.to ? "\(range.from)" : "\(range.from) .. \(range.to)"
            let ready = progress.callsFrom.map { "; from \($0) on the mirror is complete (`stats week` answers now)" } ?? ""
            if context.format(format) == .json {
                var report = try mirrorCall { try mirror.kpiReport(from: range.from, to: range.to) }
                report.complete = false
                context.write(StatsView.render(report, format: .json, style: context.style))
            }
            throw CLIError(.historySyncing, "history still syncing (\(progress.percent) %): \(span) is not all in the mirror yet\(ready)")
        }
        let report = try mirrorCall { try mirror.kpiReport(from: range.from, to: range.to) }
        context.write(StatsView.render(report, format: context.format(format), style: context.style))
    }

    /// Parses a period argument (exit 2 when it is none of the accepted forms).
    static func range(_ period: String, today: CivilDate) throws -> DateRange {
        guard let range = DateRange.parse(period, today: today) else {
            throw CLIError(.usage, "unknown period '\(period)'; use today, yesterday, week, month, YYYY-MM-DD or FROM..TO")
        }
        guard range.to.daysSinceEpoch - range.from.daysSinceEpoch < 366 else { throw CLIError(.usage, "a period may span at most 366 days") }
        return range
    }
}

/// The `stats` page: KPI cards, call volume per day, dispositions, time utilization.
public enum StatsView {
    public static func render(_ r: KPIReport, format: OutputFormat, style: Style) -> String {
        switch format {
        case .json: return String(decoding: (try? WireJSON.encode(r)) ?? Data(), as: UTF8.self) + "\n"
        case .csv:
            var out = "date,total,inbound,outbound,answered,missed\n"
            for d in r.daily { out += "\(d.date),\(d.total),\(d.inbound),\(d.outbound),\(d.answered),\(d.missed)\n" }
            return out
        case .table:
            let range = r.from == r.to ? "\(r.from)" : "\(r.from) .. \(r.to)"
            var out = style.heading("\(r.personID) · \(range)") + "\n\n"
            out += Card.grid(cards(r), style: style)
            out += "\n" + volume(r, style: style)
            out += "\n" + dispositions(r, style: style)
            out += "\n" + utilization(r.timeUtilization, style: style)
            return out
        }
    }

    static func percent(_ part: Int, of whole: Int) -> String {
        whole == 0 ? "0%" : Text.decimal(Double(part) / Double(whole) * 100, 1) + "%"
    }

    static func cards(_ r: KPIReport) -> [Card] {
        let u = r.timeUtilization
        return [
            Card("Total calls", grouped(r.calls.total), "in \(grouped(r.calls.inbound)) · out \(grouped(r.calls.outbound))"),
            Card("Answered", grouped(r.calls.answered), "\(percent(r.calls.answered, of: r.calls.total)) · missed \(grouped(r.calls.missed))"),
            Card("Appointments", grouped(r.appointmentsBooked), "booked"),
            Card("Avg handle time", HMS.clock(r.avgHandlingSeconds), "talk \(HMS.clock(r.avgTalkSeconds))"),
            Card("Conversion", Text.decimal(r.conversionRate, 1) + "%", "\(grouped(r.appointmentsBooked)) of \(grouped(r.calls.total))"),
            Card("Login time", HMS.clock(u.loginSeconds), "busy \(percent(u.busySeconds, of: u.loginSeconds))"),
        ]
    }

    /// One row per day: an inbound bar then an outbound bar, scaled to the busiest day.
    static func volume(_ r: KPIReport, style: Style) -> String {
        let legend = style.paint("█", .cyan) + " inbound  " + style.paint("▒", .blue) + " outbound"
        var out = style.heading("Call volume") + "  " + legend + "\n"
        let peak = r.daily.map(\.total).max() ?? 0
        let numbers = r.daily.map { "\(grouped($0.inbound)) in  \(grouped($0.outbound)) out" }
        let numbersWidth = numbers.map { Text.width($0) }.max() ?? 0
        let barWidth = max(4, style.width - 10 - 1 - numbersWidth - 1)
        for (day, text) in zip(r.daily, numbers) {
            let weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][day.date.isoWeekday - 1]
            let label = weekday + " " + String(day.date.description.dropFirst(5))
            let bar = Charts.stacked(
                [.init(Double(day.inbound), "█", .cyan), .init(Double(day.outbound), "▒", .blue)], width: barWidth,
                total: Double(max(1, peak)), style: style)
            out += label + " " + Text.pad(bar, barWidth) + " " + Text.padLeft(text, numbersWidth) + "\n"
        }
        if peak == 0 { out += style.paint("no calls in this period", .dim) + "\n" }
        return out
    }

    /// Dispositions, most frequent first, with bars and percentages of all calls.
    static func dispositions(_ r: KPIReport, style: Style) -> String {
        var out = style.heading("Dispositions") + "\n"
        let rows = r.dispositions.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        guard !rows.isEmpty else { return out + style.paint("none", .dim) + "\n" }
        let nameWidth = min(max(8, style.width / 3), rows.map { Text.width($0.key) }.max() ?? 0)
        let countWidth = rows.map { grouped($0.value).count }.max() ?? 1
        let barWidth = min(50, max(4, style.width - nameWidth - countWidth - 10))
        let top = Double(rows.first?.value ?? 1)
        for (name, count) in rows {
            let pct = Text.padLeft(percent(count, of: r.calls.total), 6)
            out += Text.pad(Text.cut(name, nameWidth), nameWidth) + " " + style.paint(Charts.bar(Double(count) / top, width: barWidth), .magenta)
                + " " + Text.padLeft(grouped(count), countWidth) + " " + pct + "\n"
        }
        return out
    }

    /// Busy, idle, pause and wrap-up as one stacked bar with a legend.
    static func utilization(_ u: TimeUtilization, style: Style) -> String {
        var out = style.heading("Time utilization") + style.paint(" · login \(HMS.clock(u.loginSeconds))", .dim) + "\n"
        let parts: [(String, Int, Character, Style.Paint)] = [
            ("busy", u.busySeconds, "█", .green), ("idle", u.idleSeconds, "▓", .yellow),
            ("pause", u.pauseSeconds, "▒", .magenta), ("wrap-up", u.wrapupSeconds, "░", .cyan),
        ]
        let total = parts.reduce(0) { $0 + $1.1 }
        guard total > 0 else { return out + style.paint("no time recorded", .dim) + "\n" }
        out += Charts.stacked(parts.map { .init(Double($0.1), $0.2, $0.3) }, width: style.width, style: style) + "\n"
        var line = ""
        for (name, seconds, glyph, paint) in parts {
            let item = style.paint(String(glyph), paint) + " \(name) \(HMS.clock(seconds)) \(percent(seconds, of: total))"
            if !line.isEmpty, Text.width(line) + 2 + Text.width(item) > style.width {
                out += line + "\n"
                line = ""
            }
            line += (line.isEmpty ? "" : "  ") + item
        }
        return out + line + "\n"
    }
}
