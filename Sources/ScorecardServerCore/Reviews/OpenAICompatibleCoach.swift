import Foundation
import Logging
import ScorecardCore

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Writes reviews with an OpenAI-compatible chat-completions endpoint (vLLM, or any gateway that
/// speaks the protocol), as seed 002's "LLM Provider Integration" describes.
///
/// One review is one `POST <baseURL>/chat/completions` with the ``ReviewPrompt`` system and user
/// messages, `temperature` 0.2 and `response_format` `json_object`, plus `Authorization: Bearer`
/// when an API key is set. Each attempt has its own deadline of `timeoutSeconds`, enforced here
/// because URLSession on Linux ignores its resource timeout. Time-outs, connection errors, 408,
/// 429, 5xx and unusable answers are retried up to `maxRetries` more times after a short linear
/// backoff; other 4xx are not. The prompt is never logged nor put in an error.
public struct OpenAICompatibleCoach: Coach {
    public let settings: LLMSettings
    let session: URLSession
    let retryBackoff: Duration
    let logger: Logger

    /// - Parameters:
    ///   - session: the URLSession to use; by default one ephemeral session shared by all coaches.
    ///   - retryBackoff: the wait before the first retry; the n-th retry waits n times as long.
    ///   - logger: gets one warning per failed attempt, with its reason only.
    public init(
        settings: LLMSettings, session: URLSession? = nil, retryBackoff: Duration = .milliseconds(250),
        logger: Logger = Logger(label: "scorecard.coach")
    ) {
        self.settings = settings
        self.session = session ?? Self.sharedSession
        self.retryBackoff = retryBackoff
        self.logger = logger
    }

    static let sharedSession = URLSession(configuration: .ephemeral)

    /// `<baseURL>/chat/completions`, nil when the base URL is not an http(s) URL.
    public var endpoint: URL? {
        var base = settings.baseURL.trimmingCharacters(in: .whitespaces)
        while base.hasSuffix("/") { base.removeLast() }
        guard let url = URL(string: base + "/chat/completions"), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
            url.host != nil
        else { return nil }
        return url
    }

    public func review(_ input: ReviewInput) async throws -> CoachOutput {
        let request = try makeRequest(input)
        var failures: [LLMFailure] = []
        for attempt in 0...max(0, settings.maxRetries) {
            if attempt > 0 { try await Task.sleep(for: retryBackoff * attempt) }
            try Task.checkCancellation()
            do {
                let (status, body) = try await send(request)
                return try ReviewAnswer.parse(status: status, body: body, samples: input.samples, settings: settings)
            } catch let failure as LLMFailure {
                failures.append(failure)
                logger.warning(
                    "LLM review attempt failed",
                    metadata: ["attempt": "\(attempt + 1)", "reason": "\(failure.reason)", "model": "\(settings.model)"])
                if !failure.isTransient { break }
            }
        }
        throw CoachError(LLMFailure.summary(failures))
    }

    /// The HTTP request for one review.
    func makeRequest(_ input: ReviewInput) throws -> URLRequest {
        guard let url = endpoint else {
            throw CoachError("vllm_base_url '\(settings.baseURL)' is not an http(s) URL")
        }
        let body = ChatCompletion.Request(
            model: settings.model,
            messages: [.init(role: "system", content: ReviewPrompt.system), .init(role: "user", content: ReviewPrompt.user(input))],
            maxTokens: settings.maxTokens)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = try encoder.encode(body)
        request.timeoutInterval = settings.timeoutSeconds + 1
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let key = settings.apiKey, !key.isEmpty { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        return request
    }

    /// One attempt: the status and body, or an ``LLMFailure`` once the deadline passes or the
    /// connection fails. Cancellation of the caller is passed on as `CancellationError`.
    func send(_ request: URLRequest) async throws -> (status: Int, body: Data) {
        let session = self.session
        let seconds = max(0.001, settings.timeoutSeconds)
        do {
            return try await withThrowingTaskGroup(of: (status: Int, body: Data)?.self) { group in
                group.addTask {
                    let (data, response) = try await session.data(for: request)
                    return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
                }
                group.addTask {
                    try await Task.sleep(for: .seconds(seconds))
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let answer = first else { throw LLMFailure.timeout(seconds) }
                return answer
            }
        } catch let failure as LLMFailure {
            throw failure
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw Self.classify(error, url: request.url, timeout: seconds)
        }
    }

    /// A connection error as a failure that names the host and what went wrong.
    static func classify(_ error: any Error, url: URL?, timeout: Double) -> LLMFailure {
        let place = url.map { "\($0.host ?? "?")\($0.port.map { ":\($0)" } ?? "")" } ?? "?"
        guard let urlError = error as? URLError else { return .unreachable("\(place): \(type(of: error))") }
        let what: String
        switch urlError.code {
        case .timedOut: return .timeout(timeout)
        case .cannotConnectToHost: what = "connection refused"
        case .cannotFindHost, .dnsLookupFailed: what = "host not found"
        case .networkConnectionLost: what = "connection lost"
        case .notConnectedToInternet: what = "no network"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate, .serverCertificateNotYetValid:
            what = "TLS failed"
        case .badServerResponse: what = "bad HTTP response"
        default: what = "URL error \(urlError.code.rawValue)"
        }
        return .unreachable("\(place): \(what)")
    }
}
