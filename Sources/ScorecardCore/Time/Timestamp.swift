import Foundation

/// ISO 8601 UTC timestamps as the wire carries them: `YYYY-MM-DDTHH:MM:SSZ`.
///
/// Kept as canonical strings on the hot paths: they sort in time order, so SQL range
/// queries work on them directly, and the first ten characters are the UTC day.
public enum Timestamp {
    /// Formats seconds since 1970 as `YYYY-MM-DDTHH:MM:SSZ`.
    public static func format(epochSeconds: Int) -> String {
        let days = epochSeconds >= 0 ? epochSeconds / 86_400 : (epochSeconds - 86_399) / 86_400
        let rest = epochSeconds - days * 86_400
        return CivilDate(daysSinceEpoch: days).description + "T" + HMS.clock(rest) + "Z"
    }

    /// Formats a `Date` (to the whole second).
    public static func format(_ date: Date) -> String {
        format(epochSeconds: Int(date.timeIntervalSince1970.rounded(.down)))
    }

    /// The current time.
    public static func now() -> String { format(Date()) }

    /// Parses `YYYY-MM-DDTHH:MM:SSZ` (fractional seconds are accepted and dropped) to seconds since 1970.
    public static func epochSeconds(_ text: some StringProtocol) -> Int? {
        let u = Array(text.utf8)
        guard u.count >= 20, u[10] == UInt8(ascii: "T"), u.last == UInt8(ascii: "Z"),
            let day = CivilDate(String(decoding: u[0..<10], as: UTF8.self)),
            let clock = HMS.seconds(String(decoding: u[11..<19], as: UTF8.self)), clock < 86_400
        else { return nil }
        if u.count > 20 {
            guard u[19] == UInt8(ascii: "."), u[20..<(u.count - 1)].allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        }
        return day.daysSinceEpoch * 86_400 + clock
    }
}

/// Durations as the dialer writes them, `HH:MM:SS` (hours may exceed 24).
public enum HMS {
    /// Parses `H:MM:SS` / `HH:MM:SS` / `HHH:MM:SS` to seconds; `nil` when malformed.
    public static func seconds(_ text: some StringProtocol) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3,
            let h = Int(parts[0]), let m = Int(parts[1]), let s = Int(parts[2]),
            parts[1].count == 2, parts[2].count == 2,
            h >= 0, (0..<60).contains(m), (0..<60).contains(s)
        else { return nil }
        // Hours are unbounded in the text: too many to count in seconds is malformed, not a trap.
        let (hourSeconds, o1) = h.multipliedReportingOverflow(by: 3600)
        let (total, o2) = hourSeconds.addingReportingOverflow(m * 60 + s)
        guard !o1, !o2 else { return nil }
        return total
    }

    /// Formats seconds as `HH:MM:SS`.
    public static func clock(_ seconds: Int) -> String {
        let s = max(0, seconds)
        return CivilDate.pad(s / 3600, 2) + ":" + CivilDate.pad(s / 60 % 60, 2) + ":" + CivilDate.pad(s % 60, 2)
    }
}
