import Foundation
import ScorecardCache
import ScorecardCore

/// The server's API as the client uses it, over an ``HTTPTransport``.
public struct APIClient: Sendable {
    public let server: URL
    public let token: String?
    public let transport: any HTTPTransport
    /// Deadline for one request.
    public var deadline: Duration = .seconds(30)
    /// The codings asked for on GET requests (`Accept-Encoding`); libcurl inflates them. nil asks
    /// for none (the benchmarks' "compression off").
    public var acceptEncoding: String? = APIClient.configuredAcceptEncoding

    /// zstd first (the server's better ratio for its CPU, docs/performance.md), gzip as well.
    public static let defaultAcceptEncoding = "zstd, gzip"

    /// ``defaultAcceptEncoding``, unless `SCORECARD_ACCEPT_ENCODING` says otherwise: empty or
    /// `identity` asks for none, anything else is sent as it is.
    public static let configuredAcceptEncoding: String? = {
        guard let value = ProcessInfo.processInfo.environment["SCORECARD_ACCEPT_ENCODING"] else { return defaultAcceptEncoding }
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty || trimmed.lowercased() == "identity" ? nil : trimmed
    }()

    public init(server: URL, token: String?, transport: any HTTPTransport = URLSessionTransport()) {
        self.server = server
        self.token = token
        self.transport = transport
    }

    /// Sends a request and maps failures to the sync rules.
    public func send(_ method: String, _ path: String, query: [String: String] = [:], body: Data? = nil) async throws(SyncMachine.Failure) -> TransportResponse {
        var components = URLComponents(url: server.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
        if !query.isEmpty { components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) } }
        var headers: [String: String] = [:]
        if let token { headers["Authorization"] = "Bearer \(token)" }
        if body != nil { headers["Content-Type"] = "application/json" }
        if method == "GET", let acceptEncoding { headers["Accept-Encoding"] = acceptEncoding }
        let response: TransportResponse
        do {
            response = try await transport.send(TransportRequest(method: method, url: components.url!, headers: headers, body: body, deadline: deadline))
        } catch let error as TransportError {
            throw error.kind == .offline ? .offline(error.message) : .transient(error.message, retryAfter: nil)
        } catch {
            throw .transient("\(error)", retryAfter: nil)
        }
        if let failure = APIClient.failure(for: response) { throw failure }
        return response
    }

    /// The failure a non-2xx response means, or nil.
    static func failure(for response: TransportResponse) -> SyncMachine.Failure? {
        let status = response.status
        guard !(200..<300).contains(status) else { return nil }
        let body = try? WireJSON.decode(ErrorBody.self, from: response.body)
        let message = body?.error.message ?? "HTTP \(status)"
        let retryAfter = response.header("Retry-After").flatMap(Double.init)
        switch status {
        case 401: return .unauthorized(message)
        case 410: return .cursorExpired
        case 408, 429, 500...599: return .transient("HTTP \(status): \(message)", retryAfter: retryAfter)
        default: return .rejected("HTTP \(status): \(message)")
        }
    }

    /// Logs in; the caller stores the token.
    public func login(personID: String, password: String) async throws(SyncMachine.Failure) -> LoginResponse {
        let body = try? WireJSON.encode(LoginRequest(personID: personID, password: password))
        let response = try await send("POST", "api/v1/auth/login", body: body)
        do {
            return try WireJSON.decode(LoginResponse.self, from: response.body)
        } catch {
            throw .transient("undecodable login answer: \(error)", retryAfter: nil)
        }
    }

    /// Revokes the token on the server.
    public func logout() async throws(SyncMachine.Failure) {
        _ = try await send("POST", "api/v1/auth/logout")
    }

    /// One pull page, fully received and decoded (a truncated or undecodable body is transient).
    /// `resync` marks the pages of a full resync, which the server serves below its floor. The
    /// compact `rows` form is asked for by default; the parser reads either form, whichever comes.
    /// `mark` is the feed mark stored with `since` (the server answers 410 when it is not its own).
    /// `streams` asks for those streams' changes only (a per-stream repair).
    public func pull(
        since: Int64, limit: Int, resync: Bool = false, format: PullFormat = .rows, mark: String? = nil, streams: Set<String>? = nil
    ) async throws(SyncMachine.Failure) -> (page: MirrorPage, bytes: Int, head: Int64?) {
        try APIClient.decodePage(try await pullResponse(since: since, limit: limit, resync: resync, format: format, mark: mark, streams: streams))
    }

    /// A pull page's response, received but not decoded.
    func pullResponse(
        since: Int64, limit: Int, resync: Bool, format: PullFormat, mark: String?, streams: Set<String>? = nil
    ) async throws(SyncMachine.Failure) -> TransportResponse {
        var query = ["since": String(since), "limit": String(limit)]
        if resync { query["resync"] = "1" }
        if let mark, since > 0, !resync { query["mark"] = mark }
        if let streams, !streams.isEmpty { query["streams"] = streams.sorted().joined(separator: ",") }
        if format != .json { query["format"] = format.rawValue }
        return try await send("GET", "api/v1/sync/pull", query: query)
    }

    /// Decodes a pull page's response.
    static func decodePage(_ response: TransportResponse) throws(SyncMachine.Failure) -> (page: MirrorPage, bytes: Int, head: Int64?) {
        do {
            var page = try MirrorPage.parse(response.body)
            page.mark = response.header("X-Feed-Mark")
            return (page, response.body.count, response.header("X-Feed-Head").flatMap { Int64($0) })
        } catch {
            throw .transient("the page could not be decoded (\(error)); nothing was applied", retryAfter: nil)
        }
    }

    /// `GET /api/v1/sync/digest`: per stream, the count and digest of the live entities at the
    /// feed head it names; with `stream`, that stream's `(id, version)` pairs too.
    public func digest(stream: String? = nil) async throws(SyncMachine.Failure) -> FeedDigest {
        let response = try await send("GET", "api/v1/sync/digest", query: stream.map { ["stream": $0] } ?? [:])
        do {
            return try WireJSON.decode(FeedDigest.self, from: response.body)
        } catch {
            throw .transient("the digest could not be decoded (\(error))", retryAfter: nil)
        }
    }

    /// Pushes outbox mutations (their stored objects, in order) and returns one result each.
    /// An undecodable answer is transient: the same ids go again and get the stored results.
    public func push(_ payloads: [String]) async throws(SyncMachine.Failure) -> [PushResult] {
        let body = Data(("{\"mutations\":[" + payloads.joined(separator: ",") + "]}").utf8)
        let response = try await send("POST", "api/v1/sync/push", body: body)
        do {
            return try WireJSON.decode(PushResponse.self, from: response.body).results
        } catch {
            throw .transient("the push answer could not be decoded (\(error)); the edits go again", retryAfter: nil)
        }
    }
}
