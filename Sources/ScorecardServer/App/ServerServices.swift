import Foundation
import Hummingbird
import Logging
import ScorecardCore

/// What every route handler shares: the store, the configuration, the login throttle, metrics.
public struct ServerServices: Sendable {
    public let store: any ServerStore
    public let configuration: ServerConfiguration
    public let metrics: ServerMetrics
    /// Writes reviews on demand (and in the scheduler's flagged runs).
    public let reviews: ReviewService
    /// Failed-login throttling, kept in the database.
    public let throttle: LoginThrottle
    /// Goal reads and edits for the API and the pages.
    public let goals: GoalService
    /// The login check the API and the sign-in form share.
    public let login: LoginService
    /// Pull requests waiting for their feed to move (`wait=`); a service of the server's group.
    public let feedWaiters: FeedWaiters
    /// The in-flight limit and its counters.
    public let admission: InFlightLimit

    public init(
        store: any ServerStore, configuration: ServerConfiguration, metrics: ServerMetrics = ServerMetrics(),
        makeCoach: @escaping ReviewService.CoachFactory = ReviewService.defaultCoach, logger: Logger = Logger(label: "scorecard-server")
    ) {
        self.store = store
        self.configuration = configuration
        self.metrics = metrics
        self.reviews = ReviewService(store: store, logger: logger, makeCoach: makeCoach)
        self.throttle = LoginThrottle(store: store, policy: configuration.loginThrottle)
        self.goals = GoalService(store: store)
        self.login = LoginService(store: store, throttle: throttle)
        self.admission = InFlightLimit(limit: max(1, configuration.maxInFlight))
        self.feedWaiters = FeedWaiters(store: store, logger: logger, sweepInterval: configuration.longPollSweep)
    }

    /// The person behind the request's bearer token; 401 otherwise.
    func authenticate(_ request: Request) async throws -> Person {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw APIError.unauthorized()
        }
        let token = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
        guard !token.isEmpty else { throw APIError.unauthorized() }
        switch try await store.lookUpToken(hash: Credentials.tokenHash(token), now: Int(Date().timeIntervalSince1970)) {
        case .valid(let person): return person
        case .expired:
            throw APIError(.unauthorized, "token_expired", "Your session has expired; log in again.", headers: [.wwwAuthenticate: "Bearer"])
        case .unknown:
            throw APIError.unauthorized("The token is not valid (revoked, or never issued); log in again.")
        }
    }

    /// The caller and what they may see.
    func scope(_ request: Request) async throws -> AccessScope {
        try await AccessScope.resolve(for: authenticate(request), in: store)
    }

    /// The caller, who must be an admin.
    func requireAdmin(_ request: Request) async throws -> Person {
        let person = try await authenticate(request)
        guard person.role == .admin else {
            throw APIError(.forbidden, "forbidden", "Only an admin may do this.")
        }
        return person
    }
}

extension Response {
    /// A JSON response with the wire encoder.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try WireJSON.encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension Request {
    /// The body decoded as `T`, collecting at most `limit` bytes (413 beyond).
    func decode<T: Decodable>(_ type: T.Type, limit: Int) async throws -> T {
        let buffer = try await collectDecodedBody(upTo: limit)
        guard buffer.readableBytes > 0 else { throw APIError(.badRequest, "malformed_json", "The request needs a JSON body.") }
        return try WireJSON.decoder().decode(T.self, from: Data(buffer: buffer))
    }

    /// A query parameter parsed with `parse`, or 422 naming it.
    func query<T>(_ name: String, _ parse: (String) -> T?) throws -> T? {
        guard let raw = uri.queryParameters.get(name) else { return nil }
        guard let value = parse(raw) else { throw APIError.invalid(name, "'\(raw)' is not valid") }
        return value
    }
}
