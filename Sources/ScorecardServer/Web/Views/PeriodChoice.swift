import ScorecardCore

/// The period selector of the team pages: the latest scored week (default), this week, last
/// week, last month, or a chosen ISO week (`period=custom&week=2026-W46`, or `period=2026-W46`).
struct PeriodChoice {
    /// One `<option>`.
    struct Option {
        var value: String
        var label: String
        var selected: Bool
    }

    /// The period asked for; nil means the latest scored week.
    var period: ReportPeriod?
    /// The selected option's value.
    var selected: String
    /// The chosen week, for the week input.
    var week: String

    /// Reads `period` and `week` query values relative to `today`; nil for values it cannot read.
    static func parse(period: String?, week: String?, today: CivilDate) -> PeriodChoice? {
        let thisWeek = ISOWeek(containing: today)
        switch period ?? "" {
        case "":
            // A week typed without changing the select still counts.
            if let week, let chosen = ISOWeek(week) { return PeriodChoice(period: .week(chosen), selected: "custom", week: chosen.description) }
            return PeriodChoice(period: nil, selected: "", week: "")
        case "this-week": return PeriodChoice(period: .week(thisWeek), selected: "this-week", week: "")
        case "last-week": return PeriodChoice(period: .week(thisWeek.previous), selected: "last-week", week: "")
        case "last-month": return PeriodChoice(period: ReportPeriod.month(of: today).previous, selected: "last-month", week: "")
        case "custom":
            guard let week, let chosen = ISOWeek(week) else { return week?.isEmpty ?? true ? PeriodChoice(period: nil, selected: "", week: "") : nil }
            return PeriodChoice(period: .week(chosen), selected: "custom", week: chosen.description)
        case let text:
            guard let parsed = ReportPeriod(text) else { return nil }
            if case .week(let w) = parsed { return PeriodChoice(period: parsed, selected: "custom", week: w.description) }
            return PeriodChoice(period: parsed, selected: "custom", week: "")
        }
    }

    var options: [Option] {
        [("", "Latest scored week"), ("this-week", "This week"), ("last-week", "Last week"), ("last-month", "Last month"), ("custom", "Chosen week")]
            .map { Option(value: $0.0, label: $0.1, selected: $0.0 == selected) }
    }

    /// The query that reproduces this choice (`period=…&week=…`), for links.
    var query: String {
        switch selected {
        case "": return ""
        case "custom": return period.map { "period=\($0)" } ?? ""
        default: return "period=\(selected)"
        }
    }
}
