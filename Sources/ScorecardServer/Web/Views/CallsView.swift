import ScorecardCore

/// Seed 000's My Performance page: KPI cards, calls per day, dispositions, time utilization.
struct CallsView {
    struct Option {
        var value: String
        var label: String
        var selected: Bool
    }

    struct Card {
        var key: String
        var label: String
        var value: String
        var note: String
    }

    struct DayRow {
        var date: String
        var inbound: Int
        var outbound: Int
        var answered: Int
        var missed: Int
        var total: Int
    }

    struct Slice {
        var label: String
        var count: Int
        var share: String
        var swatch: String
    }

    struct Segment {
        var label: String
        var swatch: String
        var time: String
        var share: String
    }

    var isSelf: Bool
    var title: String
    var personName: String
    var personID: String
    var backHref: String
    var action: String
    var periods: [Option]
    var from: String
    var to: String
    var rangeLabel: String
    var cards: [Card]
    var volume: String
    var days: [DayRow]
    var donut: String
    var slices: [Slice]
    var hasCalls: Bool
    var utilization: String
    var segments: [Segment]
    var loginTime: String
    var hasUtilization: Bool

    static func make(report: KPIReport, person: Person, isSelf: Bool, selected: String, action: String) -> CallsView {
        let calls = report.calls
        let time = report.timeUtilization
        let range = report.from == report.to ? Format.day(report.from) : "\(Format.day(report.from)) – \(Format.day(report.to))"
        let cards = [
            Card(key: "total", label: "Total calls", value: Format.count(calls.total), note: "in \(Format.count(calls.inbound)) · out \(Format.count(calls.outbound))"),
            Card(key: "answered", label: "Answered", value: Format.count(calls.answered),
                 note: calls.total == 0 ? "missed \(calls.missed)" : "\(Format.percent(Double(calls.answered) / Double(calls.total) * 100)) · missed \(Format.count(calls.missed))"),
            Card(key: "appointments", label: "Appointments booked", value: Format.count(report.appointmentsBooked), note: "calls with an appointment disposition"),
            Card(key: "aht", label: "Avg handle time", value: Format.shortDuration(report.avgHandlingSeconds), note: "talk \(Format.shortDuration(report.avgTalkSeconds))"),
            Card(key: "conversion", label: "Conversion rate", value: Format.percent(report.conversionRate), note: "\(report.appointmentsBooked) of \(calls.total) calls"),
            Card(key: "login", label: "Login time", value: Format.duration(time.loginSeconds),
                 note: time.loginSeconds == 0 ? "no agent summary" : "busy \(Format.percent(Double(time.busySeconds) / Double(time.loginSeconds) * 100))"),
        ]
        let slices = DonutChart.fold(report.dispositions)
        let total = slices.reduce(0) { $0 + $1.count }
        let segments: [(String, String, Int)] = [
            ("Busy", "busy", time.busySeconds), ("Idle", "idle", time.idleSeconds), ("Pause", "pause", time.pauseSeconds),
            ("Wrap-up", "wrap", time.wrapupSeconds), ("Dial", "dial", time.dialSeconds),
        ]
        let segmentTotal = segments.reduce(0) { $0 + $1.2 }
        let options = [("today", "Today"), ("yesterday", "Yesterday"), ("week", "This week"), ("month", "This month"), ("custom", "Dates")]
        return CallsView(
            isSelf: isSelf, title: isSelf ? "My Performance" : "Calls · \(person.name)", personName: person.name, personID: person.id,
            backHref: isSelf ? "/agent/my-performance" : "/admin/performance/agents/\(PageRedirect.escape(person.id))", action: action,
            periods: options.map { Option(value: $0.0, label: $0.1, selected: $0.0 == selected) },
            from: report.from.description, to: report.to.description, rangeLabel: range, cards: cards,
            volume: GroupedBars(days: report.daily.map { (report.daily.count > 14 ? String($0.date.description.suffix(5)) : Format.weekday($0.date), $0.inbound, $0.outbound) }).svg,
            days: report.daily.map { DayRow(date: $0.date.description, inbound: $0.inbound, outbound: $0.outbound, answered: $0.answered, missed: $0.missed, total: $0.total) },
            donut: DonutChart(slices: slices).svg,
            slices: slices.enumerated().map { i, s in
                Slice(label: s.label, count: s.count, share: Format.percent(total == 0 ? 0 : Double(s.count) / Double(total) * 100), swatch: "sw-s\(i)")
            },
            hasCalls: calls.total > 0,
            utilization: StackedBar(segments: segments.map { ($0.0, "seg-\($0.1)", Double($0.2)) }, format: { Format.duration(Int($0)) }).svg,
            segments: segments.map { s in
                Segment(label: s.0, swatch: "sw-\(s.1)", time: Format.duration(s.2),
                        share: Format.percent(segmentTotal == 0 ? 0 : Double(s.2) / Double(segmentTotal) * 100))
            },
            loginTime: Format.duration(time.loginSeconds), hasUtilization: segmentTotal > 0)
    }
}
