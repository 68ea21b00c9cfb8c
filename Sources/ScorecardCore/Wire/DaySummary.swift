/// One agent's time summary for one UTC day, from the dialer's agent summary report.
public struct DaySummary: Codable, Hashable, Sendable {
    public var personID: String
    public var date: CivilDate
    public var loginSeconds: Int
    public var busySeconds: Int
    public var idleSeconds: Int
    public var pauseSeconds: Int
    public var wrapupSeconds: Int
    public var dialSeconds: Int
    /// The day's average handling time.
    public var ahtSeconds: Int
    public var version: Int

    public init(
        personID: String, date: CivilDate, loginSeconds: Int, busySeconds: Int, idleSeconds: Int,
        pauseSeconds: Int, wrapupSeconds: Int, dialSeconds: Int, ahtSeconds: Int, version: Int = 1
    ) {
        self.personID = personID
        self.date = date
        self.loginSeconds = loginSeconds
        self.busySeconds = busySeconds
        self.idleSeconds = idleSeconds
        self.pauseSeconds = pauseSeconds
        self.wrapupSeconds = wrapupSeconds
        self.dialSeconds = dialSeconds
        self.ahtSeconds = ahtSeconds
        self.version = version
    }

    /// The id of a day summary in its person's change feed: the date.
    public var entityID: String { date.description }

    /// True when everything but `version` is equal.
    public func sameContent(as other: DaySummary) -> Bool {
        var a = self
        a.version = other.version
        return a == other
    }

    enum CodingKeys: String, CodingKey {
        case date, version
        case personID = "person_id"
        case loginSeconds = "login_seconds"
        case busySeconds = "busy_seconds"
        case idleSeconds = "idle_seconds"
        case pauseSeconds = "pause_seconds"
        case wrapupSeconds = "wrapup_seconds"
        case dialSeconds = "dial_seconds"
        case ahtSeconds = "aht_seconds"
    }
}
