import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP request as the sync engine sends it.
public struct TransportRequest: Sendable {
    public var method: String
    public var url: URL
    public var headers: [String: String]
    public var body: Data?
    /// The whole exchange must finish within this time.
    public var deadline: Duration

    public init(method: String, url: URL, headers: [String: String] = [:], body: Data? = nil, deadline: Duration = .seconds(30)) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.deadline = deadline
    }
}

/// One HTTP response.
public struct TransportResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A header, case-insensitively.
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.key.lowercased() == lower }?.value
    }
}

/// A network failure, classified for the retry rules.
public struct TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The server cannot be reached at all (refused, DNS, unreachable): stop, report offline.
        case offline
        /// The exchange broke part-way (reset, timeout, truncated body): retry.
        case transient
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}

/// Sends HTTP requests. The real one is ``URLSessionTransport``; the protocol keeps the engine testable.
public protocol HTTPTransport: Sendable {
    func send(_ request: TransportRequest) async throws -> TransportResponse
}

/// HTTP over URLSession (FoundationNetworking, libcurl on Linux), with an overall deadline per
/// request enforced by a task group, because URLSession ignores its resource timeout on Linux.
public final class URLSessionTransport: HTTPTransport {
    private let session: URLSession

    public init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 60
        // Lean requests (a no-op sync is one small exchange): a header set to "" goes out empty,
        // replacing libcurl's longer defaults (`Accept-Encoding: deflate, gzip, br, zstd`, …).
        configuration.httpAdditionalHeaders = [
            "User-Agent": "scorecard", "Accept": "", "Accept-Language": "", "Accept-Encoding": "", "Connection": "",
        ]
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        configuration.httpCookieAcceptPolicy = .never
        session = URLSession(configuration: configuration)
    }

    deinit { session.invalidateAndCancel() }

    public func send(_ request: TransportRequest) async throws -> TransportResponse {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        urlRequest.httpBody = request.body
        urlRequest.timeoutInterval = Double(request.deadline.components.seconds) + 1
        for (k, v) in request.headers { urlRequest.setValue(v, forHTTPHeaderField: k) }
        let session = self.session
        let finalRequest = urlRequest
        return try await withThrowingTaskGroup(of: TransportResponse.self) { group in
            group.addTask {
                do {
                    let (data, response) = try await URLSessionTransport.data(session, finalRequest)
                    guard let http = response as? HTTPURLResponse else { throw TransportError(.transient, "not an HTTP response") }
                    var headers: [String: String] = [:]
                    for (k, v) in http.allHeaderFields { headers["\(k)"] = "\(v)" }
                    if let expected = headers.first(where: { $0.key.lowercased() == "content-length" }).flatMap({ Int($0.value) }),
                        headers.first(where: { $0.key.lowercased() == "content-encoding" }) == nil, expected != data.count
                    {
                        throw TransportError(.transient, "truncated response: \(data.count) of \(expected) bytes")
                    }
                    return TransportResponse(status: http.statusCode, headers: headers, body: data)
                } catch let error as URLError {
                    throw URLSessionTransport.classify(error)
                }
            }
            group.addTask {
                try await Task.sleep(for: request.deadline)
                throw TransportError(.transient, "no complete answer within \(request.deadline)")
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    /// `session.data(for:)`, but safe to cancel. FoundationNetworking's own `data(for:)` cancels
    /// its URLSession task from the cancellation handler, which runs under the Swift task's status
    /// lock and waits for the session's queue; when that queue is at the same instant resuming the
    /// request (which needs the same lock), both wait forever. The chaos campaign hit it: a page
    /// that failed to apply (a full disk) cancelled the next page's fetch as it completed, and
    /// `scorecard sync` hung. Here the URLSession task is cancelled from another thread.
    static func data(_ session: URLSession, _ request: URLRequest) async throws -> (Data, URLResponse) {
        let handle = CancellableTask()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<(Data, URLResponse), any Error>) in
                let task = session.dataTask(with: request) { data, response, error in
                    if let error {
                        continuation.resume(throwing: error)
                    } else if let response {
                        continuation.resume(returning: (data ?? Data(), response))
                    } else {
                        continuation.resume(throwing: URLError(.badServerResponse))
                    }
                }
                handle.start(task)
            }
        } onCancel: {
            handle.cancel()
        }
    }

    /// Maps URLSession's errors to offline or transient.
    static func classify(_ error: URLError) -> TransportError {
        switch error.code {
        case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed, .notConnectedToInternet, .internationalRoamingOff,
            .dataNotAllowed, .callIsActive:
            return TransportError(.offline, "the server cannot be reached (\(error.localizedDescription))")
        default:
            return TransportError(.transient, "the connection failed (\(error.code.rawValue): \(error.localizedDescription))")
        }
    }
}

/// A URLSession task that may be cancelled before or after it starts; the cancel is always sent
/// from a dispatch queue, never from the thread that asked for it (see ``URLSessionTransport``).
private final class CancellableTask: @unchecked Sendable {
    private let lock = NSLock()
    private var task: URLSessionDataTask?
    private var cancelled = false

    func start(_ task: URLSessionDataTask) {
        lock.lock()
        self.task = task
        let cancelled = self.cancelled
        lock.unlock()
        task.resume()
        if cancelled { DispatchQueue.global().async { task.cancel() } }
    }

    func cancel() {
        lock.lock()
        cancelled = true
        let task = self.task
        lock.unlock()
        if let task { DispatchQueue.global().async { task.cancel() } }
    }
}
