import ScorecardCore

/// The period of a team report: one ISO week (`2026-W46`) or one month (`2026-11`).
///
/// A month is the ISO weeks whose Thursday falls in it (the ISO rule that gives every week to
/// exactly one month), so monthly figures are built from the same weekly snapshots.
public enum ReportPeriod: Sendable, Hashable, CustomStringConvertible {
    case week(ISOWeek)
    case month(year: Int, month: Int)

    /// Parses `YYYY-Www` or `YYYY-MM`.
    public init?(_ text: some StringProtocol) {
        if let week = ISOWeek(text) {
            self = .week(week)
            return
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]), let month = Int(parts[1]),
            CivilDate(year: year, month: month, day: 1) != nil
        else { return nil }
        self = .month(year: year, month: month)
    }

    /// The month holding `date`.
    public static func month(of date: CivilDate) -> ReportPeriod {
        let c = date.components
        return .month(year: c.year, month: c.month)
    }

    /// The ISO weeks of the period, oldest first.
    public var weeks: [ISOWeek] {
        switch self {
        case .week(let week): return [week]
        case .month(let year, let month):
            let first = CivilDate(year: year, month: month, day: 1)!
            var week = ISOWeek(containing: first)
            if week.monday.adding(days: 3).components.month != month { week = week.next }
            var result: [ISOWeek] = []
            while week.monday.adding(days: 3).components.month == month && week.monday.adding(days: 3).components.year == year {
                result.append(week)
                week = week.next
            }
            return result
        }
    }

    /// The period before: the previous week, or the previous month.
    public var previous: ReportPeriod {
        switch self {
        case .week(let week): return .week(week.previous)
        case .month(let year, let month): return month == 1 ? .month(year: year - 1, month: 12) : .month(year: year, month: month - 1)
        }
    }

    /// `2026-W46` or `2026-11`.
    public var description: String {
        switch self {
        case .week(let week): return week.description
        case .month(let year, let month): return "\(year)-\(CivilDate.pad(month, 2))"
        }
    }
}
