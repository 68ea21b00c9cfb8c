/// An ISO 8601 week, `YYYY-Www`: Monday to Sunday, week 1 holds the year's first Thursday.
///
/// Scoring periods are ISO weeks in UTC.
public struct ISOWeek: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The week's Monday.
    public let monday: CivilDate

    /// The week that contains `date`.
    public init(containing date: CivilDate) {
        monday = date.adding(days: 1 - date.isoWeekday)
    }

    /// Parses `YYYY-Www` (week 01…53, and only weeks the year has).
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]),
            parts[1].count == 3, parts[1].first == "W", let week = Int(parts[1].dropFirst()), week >= 1, week <= 53
        else { return nil }
        guard let jan4 = CivilDate(year: year, month: 1, day: 4) else { return nil }
        let candidate = ISOWeek(containing: jan4).monday.adding(days: 7 * (week - 1))
        self.monday = candidate
        guard self.year == year else { return nil }  // week 53 of a 52-week year
    }

    /// The week's Sunday.
    public var sunday: CivilDate { monday.adding(days: 6) }
    /// The ISO year (the year of the week's Thursday).
    public var year: Int { monday.adding(days: 3).components.year }
    /// The week number, 1…53.
    public var week: Int {
        let thursday = monday.adding(days: 3)
        let jan1 = CivilDate(year: thursday.components.year, month: 1, day: 1)!
        return (thursday.daysSinceEpoch - jan1.daysSinceEpoch) / 7 + 1
    }

    /// The week before.
    public var previous: ISOWeek { ISOWeek(containing: monday.adding(days: -7)) }
    /// The week after.
    public var next: ISOWeek { ISOWeek(containing: monday.adding(days: 7)) }

    public var description: String { "\(year)-W\(CivilDate.pad(week, 2))" }

    public static func < (a: ISOWeek, b: ISOWeek) -> Bool { a.monday < b.monday }
}
