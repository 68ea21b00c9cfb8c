import Foundation
import ScorecardCache
import ScorecardCore

/// A long-poll answer: the page after `since` that the server sent when the feed moved (empty
/// when the wait ended first).
public struct LivePage: Sendable {
    /// The cursor the wait was asked with.
    public var since: Int64
    public var page: MirrorPage
    /// The body's size as received.
    public var bytes: Int
}

/// What applying a live page did: the counts, and each document change with what the mirror
/// held before it (to name it in a notice: new, changed, or the echo of one's own edit).
public struct LiveApply: Sendable {
    /// One document change and the stored document it replaced, if any.
    public struct Change: Sendable {
        public var change: MirrorChange
        public var before: (version: Int, json: String)?

        public init(change: MirrorChange, before: (version: Int, json: String)?) {
            self.change = change
            self.before = before
        }
    }

    public var stats: ApplyStats
    /// Changes to snapshots, reviews, goals and feedback, in feed order.
    public var documents: [Change]
    /// More changes wait on the server (a full sync fetches them).
    public var hasMore: Bool
}

extension APIClient {
    /// The long-poll: the page after `since`, answered as soon as the feed moves past it, or
    /// empty after `wait` seconds (the server takes at most 60). The request's deadline is the
    /// wait plus the usual one.
    public func waitForChanges(since: Int64, wait: Int, limit: Int = 1000, mark: String? = nil) async throws(SyncMachine.Failure) -> LivePage {
        var client = self
        client.deadline = deadline + .seconds(wait)
        var query = ["since": String(since), "limit": String(limit), "format": PullFormat.rows.rawValue, "wait": String(wait)]
        if let mark, since > 0 { query["mark"] = mark }
        let response = try await client.send("GET", "api/v1/sync/pull", query: query)
        let decoded = try APIClient.decodePage(response)
        return LivePage(since: since, page: decoded.page, bytes: decoded.bytes)
    }
}

extension SyncEngine {
    /// Waits (at most `wait` seconds) for the feed to move past the mirror's cursor. nil while a
    /// full resync is under way (live pages apply to the current tables only).
    public func waitForChanges(wait: Int) async throws(SyncMachine.Failure) -> LivePage? {
        let since: Int64
        let mark: String?
        do {
            guard try mirror.resyncCursor() == nil else { return nil }
            since = try mirror.cursor()
            mark = try mirror.feedMark()
        } catch {
            throw .transient("the mirror could not be read (\(error))", retryAfter: nil)
        }
        return try await client.waitForChanges(since: since, wait: wait, limit: pageSize, mark: mark)
    }

    /// Applies a long-poll page, unless the mirror moved on meanwhile (a typed `sync` ran while
    /// the request waited: then nil, and the page is dropped, since that sync brought the same
    /// changes). The caller holds the session's sync lock.
    public func applyLive(_ live: LivePage) throws -> LiveApply? {
        guard try mirror.resyncCursor() == nil, try mirror.cursor() == live.since else { return nil }
        var documents: [LiveApply.Change] = []
        let byStream = Dictionary(grouping: live.page.changes.filter { !["calls", "day_summaries"].contains($0.stream) }, by: \.stream)
        var stored: [String: [String: (version: Int, json: String)]] = [:]
        for (stream, changes) in byStream { stored[stream] = try mirror.storedDocuments(stream: stream, ids: changes.map(\.id)) }
        for change in live.page.changes where byStream[change.stream] != nil {
            documents.append(LiveApply.Change(change: change, before: stored[change.stream]?[change.id]))
        }
        let stats = try mirror.apply(live.page)
        try mirror.recordSync(result: "ok")
        return LiveApply(stats: stats, documents: documents, hasMore: live.page.hasMore)
    }
}

extension APIClient {
    /// A new mirror's recent window (`GET /api/v1/sync/window`, rows form): the page and its bounds.
    public func window() async throws(SyncMachine.Failure) -> (page: MirrorPage, window: MirrorWindow, bytes: Int) {
        let response = try await send("GET", "api/v1/sync/window", query: ["format": PullFormat.rows.rawValue])
        guard let callsFrom = response.header("X-Window-Calls-From").flatMap({ CivilDate($0) }),
            let summariesFrom = response.header("X-Window-Summaries-From").flatMap({ CivilDate($0) }),
            let head = response.header("X-Feed-Head").flatMap({ Int64($0) })
        else { throw .transient("the window's answer lacks its X-Window-* and X-Feed-Head headers", retryAfter: nil) }
        let decoded = try APIClient.decodePage(response)
        return (decoded.page, MirrorWindow(callsFrom: callsFrom, summariesFrom: summariesFrom, head: head), decoded.bytes)
    }
}
