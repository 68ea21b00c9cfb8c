import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Prometheus
import Synchronization

/// Accepts or generates `X-Request-ID`, tags the logger with it, turns every error into API.md's
/// JSON body, records request metrics per route, and logs one line per request.
struct RequestMiddleware: RouterMiddleware {
    typealias Context = ScorecardContext
    let routes: RouteTable
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let incoming = request.headers[.requestID].flatMap { id in
            id.count <= 128 && id.allSatisfy({ $0.isASCII && !$0.isWhitespace }) && !id.isEmpty ? id : nil
        }
        context.requestID = incoming ?? RequestMiddleware.newRequestID()
        context.logger[metadataKey: "request_id"] = .string(context.requestID)
        let started = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            if WebPaths.isPage(request.uri.path) {
                // A page path the router has no page for: an HTML error, as the pages answer.
                let apiError = APIError.from(error, request: request, routes: routes, logger: context.logger)
                response = WebPage.errorResponse(apiError.status == .notFound ? PageError.notFound() : apiError, logger: context.logger)
                WebPage.secure(&response)
            } else {
                response = APIError.from(error, request: request, routes: routes, logger: context.logger).response()
            }
        }
        // Echo the caller's id; a generated one is returned on errors only (it is in the logs either
        // way), which keeps the frequent no-op pull small.
        if incoming != nil || response.status.code >= 400 { response.headers[.requestID] = context.requestID }
        let route = context.endpointPath ?? "unmatched"
        metrics.record(route: route, method: request.method.rawValue, status: response.status.code, duration: ContinuousClock.now - started)
        context.logger.debug("\(request.method.rawValue) \(request.uri.path) \(response.status.code)")
        return response
    }
}

extension RequestMiddleware {
    /// 16 random hex digits: unique enough to find a request in the logs, short on the wire.
    static func newRequestID() -> String {
        let n = UInt64.random(in: 0...UInt64.max)
        let hex = String(n, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

extension HTTPField.Name {
    static let requestID = HTTPField.Name("X-Request-ID")!
    static let retryAfter = HTTPField.Name("Retry-After")!
    static let feedHead = HTTPField.Name("X-Feed-Head")!
    static let feedMark = HTTPField.Name("X-Feed-Mark")!
    static let windowCallsFrom = HTTPField.Name("X-Window-Calls-From")!
    static let windowSummariesFrom = HTTPField.Name("X-Window-Summaries-From")!
}

/// The server's Prometheus metrics, owned per application so tests can read them.
public final class ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let pullRows: Counter

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        pullRows = registry.makeCounter(
            descriptor: .init(namespace: "scorecard", metricName: "pull_rows", unitName: "total", helpText: "Changes served by /api/v1/sync/pull."))
    }

    func record(route: String, method: String, status: Int, duration: Swift.Duration) {
        registry.makeCounter(
            descriptor: ServerMetrics.requests, labels: [("route", route), ("method", method), ("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: ServerMetrics.latency, labels: [("route", route), ("method", method)],
            buckets: [.milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500), .seconds(2), .seconds(10)]
        ).record(duration)
    }

    static var requests: MetricNameDescriptor { .init(
        namespace: "scorecard", subsystem: "http", metricName: "requests", unitName: "total", helpText: "HTTP requests by route, method and status.") }
    static var latency: MetricNameDescriptor { .init(
        namespace: "scorecard", subsystem: "http", metricName: "request_duration", unitName: "seconds", helpText: "HTTP request latency by route.") }

    func recordPull(rows: Int) { pullRows.increment(by: Int64(rows)) }

    /// The Prometheus text exposition.
    public func render() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}

/// How many requests are in progress, and how many were turned away (`/metrics`).
public final class InFlightLimit: Sendable {
    /// The most requests in progress at once; more answer 503 `overloaded` with `Retry-After`.
    public let limit: Int
    private let counts = Mutex<(inFlight: Int, shed: Int)>((0, 0))

    public init(limit: Int) { self.limit = limit }

    /// Requests in progress now.
    public var current: Int { counts.withLock { $0.inFlight } }
    var shedCount: Int { counts.withLock { $0.shed } }

    /// Takes a place; false (and counted as turned away) when none is left.
    func enter() -> Bool {
        counts.withLock { c in
            guard c.inFlight < limit else {
                c.shed += 1
                return false
            }
            c.inFlight += 1
            return true
        }
    }

    /// Gives a place back.
    func leave() { counts.withLock { $0.inFlight -= 1 } }

    /// The gauges in Prometheus' text format (appended to `/metrics`).
    public func prometheusText() -> String {
        """
        # HELP scorecard_http_in_flight Requests in progress (long-poll waits, /healthz and /metrics not counted).
        # TYPE scorecard_http_in_flight gauge
        scorecard_http_in_flight \(current)
        # HELP scorecard_http_overloaded_total Requests answered 503 overloaded (more than the in-flight limit in progress).
        # TYPE scorecard_http_overloaded_total counter
        scorecard_http_overloaded_total \(shedCount)

        """
    }
}

/// Bounds the requests in progress: past ``InFlightLimit/limit`` a request is answered at once with
/// 503 `overloaded` and `Retry-After: 1` (the client backs off and retries; a browser shows the
/// error page) instead of queueing without bound. `/healthz`, `/metrics` and long-poll waits
/// (`wait=` above 0, which hold no work while they wait) are not counted.
struct InFlightLimitMiddleware: RouterMiddleware {
    typealias Context = ScorecardContext
    let admission: InFlightLimit

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if path == "/healthz" || path == "/metrics"
            || (path == "/api/v1/sync/pull" && (request.uri.queryParameters.get("wait").flatMap { Int($0) } ?? 0) > 0)
        {
            return try await next(request, context)
        }
        guard admission.enter() else {
            throw APIError(
                .serviceUnavailable, "overloaded", "The server has \(admission.limit) requests in progress, its limit; try again in a second.",
                headers: [.retryAfter: "1"])
        }
        defer { admission.leave() }
        return try await next(request, context)
    }
}
