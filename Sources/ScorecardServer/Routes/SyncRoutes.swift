import Foundation
import Hummingbird
import ScorecardCore

extension Routes {
    /// `limit` when the client sends none, and the most it may ask for.
    static let defaultPullLimit = 1000
    static let maxPullLimit = 5000
    /// The longest a pull may wait for changes (`wait=`, seconds).
    static let maxPullWait = 60
    /// The most mutations one push may carry.
    static let maxPushMutations = 500

    mutating func addSyncRoutes() {
        let services = services
        on(.get, "/api/v1/sync/pull") { request, _ in
            let person = try await services.authenticate(request)
            let since = try request.query("since") { Int64($0).flatMap { $0 >= 0 ? $0 : nil } } ?? 0
            let limit = try request.query("limit") { Int($0).flatMap { (1...Routes.maxPullLimit).contains($0) ? $0 : nil } }
                ?? Routes.defaultPullLimit
            let resync = try request.query("resync") { ["1": true, "true": true, "0": false, "false": false][$0] } ?? false
            let format = try request.query("format") { PullFormat(rawValue: $0) } ?? .json
            let wait = try request.query("wait") { Int($0).flatMap { (0...Routes.maxPullWait).contains($0) ? $0 : nil } } ?? 0
            let mark = try request.query("mark") { FeedMark(hex: $0) }
            // Only these streams: a per-stream repair (`scorecard verify --repair`).
            let streams = try request.query("streams") { text -> Set<SyncStream>? in
                let names = text.split(separator: ",", omittingEmptySubsequences: false).map { SyncStream(rawValue: String($0)) }
                return names.contains(nil) || names.isEmpty ? nil : Set(names.compactMap { $0 })
            }
            // The cursor's mark must be this feed's: a database restored from a backup gave its
            // seqs new marks, and a cursor from the lost history could otherwise go on silently.
            var markAtSince: Int64?
            if since > 0, !resync {
                markAtSince = try await services.store.feedMark(personID: person.id, atOrAfter: since)
                if let mark, let ours = markAtSince, ours != mark.tag {
                    throw StoreError(
                        .cursorExpired, "cursor \(since) is not from this feed's history (the server's database was restored or replaced); run a full resync")
                }
            }
            var page = try await services.store.pullBody(
                personID: person.id, since: since, limit: limit, resync: resync, format: format, streams: streams)
            if wait > 0, !resync, page.count == 0, !page.hasMore, page.head <= since {
                // Caught up: wait for the feed to move (or the wait to end), then answer with what came.
                // A client that goes away mid-wait ends it (Hummingbird watches the connection's
                // inbound side meanwhile), so it holds nothing until its time would have run out.
                // (The handler variant, not `consumeWithCancellationOnInboundClose`: one child task
                // instead of three, about 8 KB less a waiting client.)
                let waiters = services.feedWaiters
                let ticket = waiters.ticket()
                let outcome = try await request.body.consumeWithInboundCloseHandler { _ in
                    await waiters.wait(personID: person.id, since: since, timeout: .seconds(wait), ticket: ticket)
                } onInboundClosed: {
                    waiters.release(ticket)
                }
                if outcome == .moved {
                    page = try await services.store.pullBody(
                        personID: person.id, since: since, limit: limit, resync: false, format: format, streams: streams)
                }
            }
            services.metrics.recordPull(rows: page.count)
            var response = Response(
                status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: page.bytes)))
            if page.hasMore { response.headers[.feedHead] = String(page.head) }  // for progress and ETA
            let nextMark = page.next == since && markAtSince != nil ? markAtSince : try await services.store.feedMark(personID: person.id, atOrAfter: page.next)
            if let nextMark { response.headers[.feedMark] = FeedMark(tag: nextMark).hex }
            return response
        }
        on(.get, "/api/v1/sync/window") { request, _ in
            let person = try await services.authenticate(request)
            let format = try request.query("format") { PullFormat(rawValue: $0) } ?? .json
            let window = try await SyncWindow.read(store: services.store, personID: person.id, today: DateRange.today())
            var response = Response(
                status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: window.page.json(format: format))))
            response.headers[.feedHead] = String(window.head)
            response.headers[.windowCallsFrom] = window.callsFrom.description
            response.headers[.windowSummariesFrom] = window.summariesFrom.description
            return response
        }
        on(.get, "/api/v1/sync/digest") { request, _ in
            // Per stream, the count and digest of the caller's live entities at the feed head it
            // names; `stream=S` lists that stream's (id, version) pairs too (docs/sync.md).
            let person = try await services.authenticate(request)
            let listing = try request.query("stream") { SyncStream(rawValue: $0) }
            return try .json(try await services.store.feedDigest(personID: person.id, listing: listing))
        }
        on(.post, "/api/v1/sync/push") { request, _ in
            let person = try await services.authenticate(request)
            let body = try await request.decode(JSONValue.self, limit: 4 << 20)
            guard case .object(let object) = body, case .array(let items)? = object["mutations"] else {
                throw APIError.invalid("mutations", "send {\"mutations\": [...]}")
            }
            guard items.count <= Routes.maxPushMutations else {
                throw APIError(.contentTooLarge, "payload_too_large", "At most \(Routes.maxPushMutations) mutations per push; send the rest next.")
            }
            var mutations: [PushMutation] = []
            for (index, item) in items.enumerated() {
                guard let mutation = PushMutation(item) else { throw APIError.invalid("mutations[\(index)].id", "is required: the client-made id (1 to 100 characters)") }
                mutations.append(mutation)
            }
            return try .json(["results": try await services.store.push(personID: person.id, mutations: mutations)])
        }
    }
}
