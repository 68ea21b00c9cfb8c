extension Call {
    /// Writes the call as JSON with sorted keys (the same bytes `WireJSON` produces).
    public func write(to w: inout JSONWriter) {
        w.raw("{\"call_type\":")
        w.string(callType)
        w.raw(",\"direction\":")
        w.string(direction.rawValue)
        w.raw(",\"disposition\":")
        w.string(disposition)
        w.raw(",\"handling_seconds\":")
        w.int(handlingSeconds)
        w.raw(",\"id\":")
        w.string(id)
        w.raw(",\"person_id\":")
        w.string(personID)
        w.raw(",\"started_at\":")
        w.string(startedAt)
        w.raw(",\"status\":")
        w.string(status.rawValue)
        w.raw(",\"talk_seconds\":")
        w.int(talkSeconds)
        w.raw(",\"version\":")
        w.int(version)
        w.raw("}")
    }
}

extension DaySummary {
    /// Writes the summary as JSON with sorted keys.
    public func write(to w: inout JSONWriter) {
        w.raw("{\"aht_seconds\":")
        w.int(ahtSeconds)
        w.raw(",\"busy_seconds\":")
        w.int(busySeconds)
        w.raw(",\"date\":")
        w.string(date.description)
        w.raw(",\"dial_seconds\":")
        w.int(dialSeconds)
        w.raw(",\"idle_seconds\":")
        w.int(idleSeconds)
        w.raw(",\"login_seconds\":")
        w.int(loginSeconds)
        w.raw(",\"pause_seconds\":")
        w.int(pauseSeconds)
        w.raw(",\"person_id\":")
        w.string(personID)
        w.raw(",\"version\":")
        w.int(version)
        w.raw(",\"wrapup_seconds\":")
        w.int(wrapupSeconds)
        w.raw("}")
    }
}

extension Call {
    /// The `columns` of a `rows` pull page for calls: the Call's fields but `id` (the change's id)
    /// and `person_id` (the caller), sorted like the object form.
    public static let rowColumns = [
        "call_type", "direction", "disposition", "handling_seconds", "started_at", "status", "talk_seconds", "version",
    ]

    /// Writes the call's values in ``rowColumns`` order.
    public func writeRow(to w: inout JSONWriter) {
        w.raw("[")
        w.string(callType)
        w.raw(",")
        w.string(direction.rawValue)
        w.raw(",")
        w.string(disposition)
        w.raw(",")
        w.int(handlingSeconds)
        w.raw(",")
        w.string(startedAt)
        w.raw(",")
        w.string(status.rawValue)
        w.raw(",")
        w.int(talkSeconds)
        w.raw(",")
        w.int(version)
        w.raw("]")
    }
}

extension DaySummary {
    /// The `columns` of a `rows` pull page for day summaries: the fields but `date` (the change's
    /// id) and `person_id` (the caller), sorted like the object form.
    public static let rowColumns = [
        "aht_seconds", "busy_seconds", "dial_seconds", "idle_seconds", "login_seconds", "pause_seconds", "version", "wrapup_seconds",
    ]

    /// Writes the summary's values in ``rowColumns`` order.
    public func writeRow(to w: inout JSONWriter) {
        w.raw("[")
        w.int(ahtSeconds)
        w.raw(",")
        w.int(busySeconds)
        w.raw(",")
        w.int(dialSeconds)
        w.raw(",")
        w.int(idleSeconds)
        w.raw(",")
        w.int(loginSeconds)
        w.raw(",")
        w.int(pauseSeconds)
        w.raw(",")
        w.int(version)
        w.raw(",")
        w.int(wrapupSeconds)
        w.raw("]")
    }
}
