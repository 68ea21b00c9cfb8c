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
