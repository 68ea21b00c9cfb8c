import Foundation
import ScorecardCore
import ScorecardServer
import ScorecardTesting
import Testing

/// Starts a fresh server on `backend`, runs `body`, and stops the server whether `body` returned or threw.
func withServer(
    backend: TestBackend, configure: (inout ServerConfiguration) -> Void = { _ in }, _ body: (TestServer) async throws -> Void
) async throws {
    let server = try await TestServer.start(backend: backend, configure: configure)
    do {
        try await body(server)
    } catch {
        await server.stop()
        throw error
    }
    await server.stop()
}

/// A day range wide enough to hold every call a test makes.
let allTime = (from: CivilDate("2000-01-01")!, to: CivilDate("2099-12-31")!)

extension TestServer {
    /// An admin to ingest with; returns its token.
    func adminToken(_ id: String = "root") async throws -> String {
        try await addPerson(id, role: .admin)
        return try await login(id)
    }

    /// Posts CDR objects and expects 200 with an ingest result.
    func ingestCDRs(_ records: [[String: String?]], token: String, sourceLocation: SourceLocation = #_sourceLocation) async throws
        -> IngestResult
    {
        let response = try await request("POST", "/api/v1/ingest/cdr", token: token, body: try CDRFixture.json(records))
        try #require(response.status == 200, "ingest answered \(response.status): \(response.text)", sourceLocation: sourceLocation)
        return try response.decode(IngestResult.self)
    }

    /// One pull page as JSON values and as typed changes.
    func pull(token: String, since: Int64, limit: Int? = nil, resync: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) async throws
        -> PullPage<FeedEntity>
    {
        var path = "/api/v1/sync/pull?since=\(since)"
        if let limit { path += "&limit=\(limit)" }
        if resync { path += "&resync=1" }
        let response = try await request("GET", path, token: token)
        try #require(response.status == 200, "pull answered \(response.status): \(response.text)", sourceLocation: sourceLocation)
        return try response.decode(PullPage<FeedEntity>.self)
    }

    /// Every change in the caller's feed after `since`, page by page.
    func pullAll(token: String, since: Int64 = 0, limit: Int = 5000) async throws -> [Change<FeedEntity>] {
        var changes: [Change<FeedEntity>] = []
        var cursor = since
        while true {
            let page = try await pull(token: token, since: cursor, limit: limit)
            changes += page.changes
            cursor = page.next
            if !page.hasMore { return changes }
        }
    }
}

extension Change<FeedEntity> {
    /// The call an upsert carries.
    var call: Call? {
        if case .call(let c) = data { return c }
        return nil
    }
}

/// A CDR object with a start time derived from `n` (one per minute from 2026-11-16 08:00).
func cdr(_ id: String, agent: String, n: Int = 0, disposition: String? = "General Enquiry", talk: String = "00:02:00")
    -> [String: String?]
{
    let seconds = 8 * 3600 + n * 60
    let day = CivilDate("2026-11-16")!.adding(days: seconds / 86_400)
    let start = "\(day) \(HMS.clock(seconds % 86_400))"
    return CDRFixture.record(id: id, agent: agent, start: start, talk: talk, disposition: disposition)
}

/// JSON read loosely, for checking the exact wire shape.
extension JSONValue {
    subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    subscript(index: Int) -> JSONValue? {
        if case .array(let a) = self, a.indices.contains(index) { return a[index] }
        return nil
    }

    var int: Int? {
        if case .number(let n) = self, n == n.rounded() { return Int(n) }
        return nil
    }

    var double: Double? {
        if case .number(let n) = self { return n }
        return nil
    }

    var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    var array: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    var object: [String: JSONValue]? {
        if case .object(let o) = self { return o }
        return nil
    }
}

extension TestResponse {
    /// The body as loose JSON.
    var json: JSONValue {
        get throws { try decode(JSONValue.self) }
    }
}
