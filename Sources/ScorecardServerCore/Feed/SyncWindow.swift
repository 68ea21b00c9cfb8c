import ScorecardCore

/// What a new mirror fetches before its history (`GET /api/v1/sync/window`): the person's calls of
/// this ISO week and last, the day summaries of the current month (and of those two weeks), the
/// score snapshots of the last 12 weeks, the reviews (the unacknowledged ones among them) and the
/// goals, each as the feed sends it. `head` is the feed's head read before them: the history pulled afterwards from
/// seq 0 brings every change, so nothing in between is missed (docs/sync.md, "The window first").
public struct SyncWindow: Sendable {
    /// The first day whose calls are all in the window.
    public var callsFrom: CivilDate
    /// The first day whose day summaries are all in the window.
    public var summariesFrom: CivilDate
    /// The feed's head when the window was read.
    public var head: Int64
    /// The window's entities as a page (`next` 0, `has_more` false: it moves no cursor).
    public var page: FeedPage

    /// Weeks of score snapshots in the window (the `scores` trend's default).
    public static let scoreWeeks = 12

    /// Reads the window of `personID` as of `today` (UTC).
    public static func read(store: any ServerStore, personID: String, today: CivilDate) async throws -> SyncWindow {
        let head = try await store.feedHeads(personIDs: [personID])[personID] ?? 0
        let callsFrom = ISOWeek(containing: today).previous.monday
        let (year, month, _) = today.components
        let monthStart = CivilDate(year: year, month: month, day: 1) ?? today
        let summariesFrom = min(monthStart, callsFrom)
        var changes: [FeedChange] = []
        for call in try await store.calls(personID: personID, from: callsFrom, to: today) {
            changes.append(FeedChange(seq: 0, stream: .calls, op: .upsert, id: call.id, entity: .call(call)))
        }
        for summary in try await store.daySummaries(personID: personID, from: summariesFrom, to: today) {
            changes.append(FeedChange(seq: 0, stream: .daySummaries, op: .upsert, id: summary.date.description, entity: .daySummary(summary)))
        }
        // The weekly scores of the `scores` trend (12 weeks), every review (one a week at most:
        // the unacknowledged ones and the rest) and every goal: small, and then `scores`,
        // `reviews` and `goals` are whole as soon as the window is in.
        var week = ISOWeek(containing: today)
        for _ in 0..<SyncWindow.scoreWeeks {
            if let snapshot = try await store.snapshot(personID: personID, period: week.description) {
                changes.append(try document(.snapshots, "\(personID):\(snapshot.period)", snapshot))
            }
            week = week.previous
        }
        for review in try await store.reviews(personID: personID, limit: 60) {
            changes.append(try document(.reviews, review.id, review))
        }
        for goal in try await store.goals(personID: personID) {
            changes.append(try document(.goals, goal.id, goal))
        }
        return SyncWindow(callsFrom: callsFrom, summariesFrom: summariesFrom, head: head, page: FeedPage(changes: changes, next: 0, hasMore: false))
    }

    static func document(_ stream: SyncStream, _ id: String, _ value: some Encodable) throws -> FeedChange {
        FeedChange(seq: 0, stream: stream, op: .upsert, id: id, entity: .document(String(decoding: try WireJSON.encode(value), as: UTF8.self)))
    }
}
