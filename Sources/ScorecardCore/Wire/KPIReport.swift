/// Call counts for a range (API.md `calls`).
public struct CallCounts: Codable, Hashable, Sendable {
    public var total = 0
    public var inbound = 0
    public var outbound = 0
    public var answered = 0
    public var missed = 0

    public init() {}

    mutating func count(_ call: Call) {
        total += 1
        switch call.direction {
        case .inbound: inbound += 1
        case .outbound: outbound += 1
        }
        switch call.status {
        case .answered: answered += 1
        case .missed: missed += 1
        case .other: break
        }
    }
}

/// Time utilisation summed over the day summaries of a range.
public struct TimeUtilization: Codable, Hashable, Sendable {
    public var loginSeconds = 0
    public var busySeconds = 0
    public var idleSeconds = 0
    public var pauseSeconds = 0
    public var wrapupSeconds = 0
    public var dialSeconds = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case loginSeconds = "login_seconds"
        case busySeconds = "busy_seconds"
        case idleSeconds = "idle_seconds"
        case pauseSeconds = "pause_seconds"
        case wrapupSeconds = "wrapup_seconds"
        case dialSeconds = "dial_seconds"
    }
}

/// One day of the `daily` series.
public struct DailyCounts: Codable, Hashable, Sendable {
    public var date: CivilDate
    public var total = 0
    public var inbound = 0
    public var outbound = 0
    public var answered = 0
    public var missed = 0

    public init(date: CivilDate) { self.date = date }
}

/// `GET /api/v1/performance/kpis` answer; the client computes the same value from its mirror.
public struct KPIReport: Codable, Hashable, Sendable {
    public var personID: String
    public var from: CivilDate
    public var to: CivilDate
    public var calls: CallCounts
    public var avgTalkSeconds: Int
    public var avgHandlingSeconds: Int
    public var appointmentsBooked: Int
    public var conversionRate: Double
    public var timeUtilization: TimeUtilization
    public var dispositions: [String: Int]
    public var daily: [DailyCounts]
    /// Whether every call and day summary of the range was counted: always on the server; in a
    /// new mirror whose history is still syncing, `false` for a range before its window (and the
    /// figures are then not shown).
    public var complete: Bool?

    enum CodingKeys: String, CodingKey {
        case from, to, calls, dispositions, daily, complete
        case personID = "person_id"
        case avgTalkSeconds = "avg_talk_seconds"
        case avgHandlingSeconds = "avg_handling_seconds"
        case appointmentsBooked = "appointments_booked"
        case conversionRate = "conversion_rate"
        case timeUtilization = "time_utilization"
    }
}
