/// The six scoring domains of seed 002.
public enum Domain: String, Codable, Sendable, CaseIterable, Comparable {
    /// Tickets: SLA, resolution time, escalation, CSAT.
    case support
    /// Tasks: completion, on-time delivery, effort accuracy, blocked rate.
    case operations
    /// Work orders: completion, schedule adherence, duration accuracy, documentation.
    case fieldService = "field_service"
    /// Conversations: first response, resolution time, volume, channel coverage.
    case communication
    /// Leads and quotes: win rate, pipeline, quote acceptance, activity.
    case sales
    /// Records touched: contact and organisation completeness, tagging, notes.
    case dataQuality = "data_quality"

    public static func < (a: Domain, b: Domain) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

