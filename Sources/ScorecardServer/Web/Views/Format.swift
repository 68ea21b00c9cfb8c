import Foundation
import ScorecardCore

/// How figures read on the pages (one place, so every page writes a number the same way).
enum Format {
    /// Two decimals at most, no trailing zeros: `72.5`, `80`; a dash for nil.
    static func score(_ value: Double?) -> String { value.map { $0.formatted2 } ?? "—" }

    /// One decimal with a percent sign: `87.5%`; a dash for nil.
    static func percent(_ value: Double?) -> String {
        guard let value else { return "—" }
        return SVG.number(value, places: 1) + "%"
    }

    /// A signed change: `+2.75`, `−1.7`, `0`.
    static func change(_ value: Double?) -> String {
        guard let value else { return "—" }
        if value > 0 { return "+" + value.formatted2 }
        if value < 0 { return "−" + (-value).formatted2 }
        return "0"
    }

    /// The CSS class of a change: up, down or none.
    static func changeClass(_ value: Double?) -> String {
        guard let value, value != 0 else { return "" }
        return value > 0 ? "delta-up" : "delta-down"
    }

    /// The colour class of a composite against the flagged threshold: below it `low`, less
    /// than 10 points above it `mid`, else `high`.
    static func scoreClass(_ value: Double?, threshold: Double) -> String {
        guard let value else { return "" }
        if value < threshold { return "low" }
        return value < threshold + 10 ? "mid" : "high"
    }

    /// The words for a score class, so colour is never the only signal.
    static func scoreWords(_ value: Double?, threshold: Double) -> String {
        switch scoreClass(value, threshold: threshold) {
        case "low": return "Needs coaching"
        case "mid": return "Watch"
        case "high": return "On track"
        default: return "Not scored"
        }
    }

    /// `1,234`.
    static func count(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + String(out.reversed())
    }

    /// Seconds as `H:MM:SS` (hours unbounded).
    static func duration(_ seconds: Int) -> String {
        let s = max(0, seconds)
        return "\(s / 3600):" + CivilDate.pad(s / 60 % 60, 2) + ":" + CivilDate.pad(s % 60, 2)
    }

    /// Seconds as `4m 28s`, or `1h 05m` from an hour.
    static func shortDuration(_ seconds: Int) -> String {
        let s = max(0, seconds)
        if s >= 3600 { return "\(s / 3600)h " + CivilDate.pad(s / 60 % 60, 2) + "m" }
        return "\(s / 60)m " + CivilDate.pad(s % 60, 2) + "s"
    }

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `16 Nov 2026`.
    static func day(_ date: CivilDate) -> String {
        let c = date.components
        return "\(c.day) \(monthNames[c.month - 1]) \(c.year)"
    }

    /// `Mon 16` for a day axis.
    static func weekday(_ date: CivilDate) -> String {
        ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][date.isoWeekday - 1] + " \(date.components.day)"
    }

    /// `2026-W46 · 9–15 Nov 2026`.
    static func week(_ week: ISOWeek) -> String {
        let a = week.monday.components, b = week.sunday.components
        let range = a.month == b.month
            ? "\(a.day)–\(b.day) \(monthNames[b.month - 1]) \(b.year)"
            : "\(a.day) \(monthNames[a.month - 1]) – \(b.day) \(monthNames[b.month - 1]) \(b.year)"
        return "\(week) · \(range)"
    }

    /// A report period in words: a week as ``week(_:)``, a month as `November 2026 (W45–W48)`.
    static func period(_ period: ReportPeriod) -> String {
        switch period {
        case .week(let w): return week(w)
        case .month(let year, let month):
            let names = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
            let weeks = period.weeks
            let span = weeks.isEmpty ? "" : " (W\(CivilDate.pad(weeks.first!.week, 2))–W\(CivilDate.pad(weeks.last!.week, 2)))"
            return "\(names[month - 1]) \(year)\(span)"
        }
    }

    /// `2026-11-16T09:02:11Z` as `16 Nov 2026, 09:02 UTC`.
    static func timestamp(_ text: String?) -> String {
        guard let text, let seconds = Timestamp.epochSeconds(text) else { return "—" }
        let day = CivilDate(daysSinceEpoch: seconds / 86_400)
        let clock = HMS.clock(seconds % 86_400)
        return "\(Format.day(day)), \(clock.prefix(5)) UTC"
    }

    /// A domain's name for people: `Field service`.
    static func domain(_ domain: Domain) -> String {
        switch domain {
        case .support: return "Support"
        case .operations: return "Operations"
        case .fieldService: return "Field service"
        case .communication: return "Communication"
        case .sales: return "Sales"
        case .dataQuality: return "Data quality"
        }
    }

    /// A metric key in words: `avg_first_response_minutes` → `Avg first response minutes`.
    static func metric(_ key: String) -> String {
        let words = key.split(separator: "_").map { word -> String in
            switch word {
            case "sla": return "SLA"
            case "csat": return "CSAT"
            case "avg": return "avg"
            default: return String(word)
            }
        }.joined(separator: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    /// A metric value with its unit.
    static func metricValue(_ value: Double, unit: String) -> String {
        switch unit {
        case "percent": return percent(value)
        case "minutes": return SVG.number(value, places: 1) + " min"
        case "rating": return SVG.number(value, places: 2) + " / 5"
        case "chars": return SVG.number(value, places: 0) + " chars"
        case "currency": return count(Int(value.rounded()))
        case "count": return SVG.number(value, places: 1)
        default: return SVG.number(value, places: 2)
        }
    }
}
