import Foundation

/// A period word or date range as the CLI and shell accept it:
/// `today`, `yesterday`, `week` (Monday of this ISO week to today), `month` (the 1st to today),
/// `YYYY-MM-DD`, or `FROM..TO` (inclusive). Days are UTC.
public struct DateRange: Sendable, Equatable, CustomStringConvertible {
    public var from: CivilDate
    public var to: CivilDate

    public init(from: CivilDate, to: CivilDate) {
        self.from = from
        self.to = to
    }

    /// The words `parse` understands besides dates.
    public static let words = ["today", "yesterday", "week", "month"]

    /// Parses `text` relative to `today`; nil when it is none of the accepted forms or FROM > TO.
    public static func parse(_ text: String, today: CivilDate) -> DateRange? {
        switch text.lowercased() {
        case "today": return DateRange(from: today, to: today)
        case "yesterday": return DateRange(from: today.adding(days: -1), to: today.adding(days: -1))
        case "week": return DateRange(from: today.adding(days: 1 - today.isoWeekday), to: today)
        case "month": return DateRange(from: today.adding(days: 1 - today.components.day), to: today)
        default: break
        }
        if let day = CivilDate(text) { return DateRange(from: day, to: day) }
        let parts = text.components(separatedBy: "..")
        guard parts.count == 2, let from = CivilDate(parts[0]), let to = CivilDate(parts[1]), from <= to else { return nil }
        return DateRange(from: from, to: to)
    }

    /// Today in UTC.
    public static func today() -> CivilDate {
        CivilDate(daysSinceEpoch: Int(Timestamp.epochSeconds(Timestamp.now()) ?? 0) / 86_400)
    }

    /// Every day of the range.
    public var days: [CivilDate] { (0...(to.daysSinceEpoch - from.daysSinceEpoch)).map { from.adding(days: $0) } }

    public var description: String { from == to ? from.description : "\(from)..\(to)" }
}
