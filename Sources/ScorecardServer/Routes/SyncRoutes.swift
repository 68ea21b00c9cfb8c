import Hummingbird
import ScorecardCore

extension Routes {
    /// `limit` when the client sends none, and the most it may ask for.
    static let defaultPullLimit = 1000
    static let maxPullLimit = 5000

    mutating func addSyncRoutes() {
        let services = services
        on(.get, "/api/v1/sync/pull") { request, _ in
            let person = try await services.authenticate(request)
            let since = try request.query("since") { Int64($0).flatMap { $0 >= 0 ? $0 : nil } } ?? 0
            let limit = try request.query("limit") { Int($0).flatMap { (1...Routes.maxPullLimit).contains($0) ? $0 : nil } }
                ?? Routes.defaultPullLimit
            let resync = try request.query("resync") { ["1": true, "true": true, "0": false, "false": false][$0] } ?? false
            let page = try await services.store.pull(personID: person.id, since: since, limit: limit, resync: resync)
            services.metrics.recordPull(rows: page.changes.count)
            var response = Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: page.json())))
            if page.hasMore { response.headers[.feedHead] = String(page.head) }  // for progress and ETA
            return response
        }
    }
}
