/// Whether the agent took the call or placed it.
public enum CallDirection: String, Codable, Sendable {
    case inbound, outbound
}

/// The outcome of a call as the KPIs count it.
public enum CallStatus: String, Codable, Sendable, CaseIterable {
    case answered, missed, other
}

/// One call (API.md `Call`), mapped from the dialer's call detail record.
public struct Call: Codable, Hashable, Sendable {
    /// The dialer's `CallID`.
    public var id: String
    /// The dialer's `AgentID`.
    public var personID: String
    /// `YYYY-MM-DDTHH:MM:SSZ`.
    public var startedAt: String
    public var direction: CallDirection
    /// The dialer's raw `Type` (`InBound`, `Manual`, `Progressive`, …).
    public var callType: String
    public var status: CallStatus
    public var talkSeconds: Int
    public var handlingSeconds: Int
    public var disposition: String?
    /// Server version, 1 on first ingest, +1 on every change.
    public var version: Int

    public init(
        id: String, personID: String, startedAt: String, direction: CallDirection, callType: String,
        status: CallStatus, talkSeconds: Int, handlingSeconds: Int, disposition: String?, version: Int = 1
    ) {
        self.id = id
        self.personID = personID
        self.startedAt = startedAt
        self.direction = direction
        self.callType = callType
        self.status = status
        self.talkSeconds = talkSeconds
        self.handlingSeconds = handlingSeconds
        self.disposition = disposition
        self.version = version
    }

    /// The UTC day the call started on.
    public var day: Substring { startedAt.prefix(10) }

    /// True when everything but `version` is equal: re-ingesting such a record changes nothing.
    public func sameContent(as other: Call) -> Bool {
        var a = self
        a.version = other.version
        return a == other
    }

    enum CodingKeys: String, CodingKey {
        case id, direction, status, disposition, version
        case personID = "person_id"
        case startedAt = "started_at"
        case callType = "call_type"
        case talkSeconds = "talk_seconds"
        case handlingSeconds = "handling_seconds"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(personID, forKey: .personID)
        try c.encode(startedAt, forKey: .startedAt)
        try c.encode(direction, forKey: .direction)
        try c.encode(callType, forKey: .callType)
        try c.encode(status, forKey: .status)
        try c.encode(talkSeconds, forKey: .talkSeconds)
        try c.encode(handlingSeconds, forKey: .handlingSeconds)
        try c.encode(disposition, forKey: .disposition)  // explicit null
        try c.encode(version, forKey: .version)
    }
}
