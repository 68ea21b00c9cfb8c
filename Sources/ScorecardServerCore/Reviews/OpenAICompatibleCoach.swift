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
/// messages, `temperature` 0.2 and a `response_format` carrying the ``ReviewSchema`` in the form
/// `settings.responseFormat` names, plus `Authorization: Bearer` when an API key is set. With
/// ``ResponseFormat/auto`` a refused form is followed at once by the next one (not counted as a
/// retry), and the form that worked is remembered in ``ResponseFormatMemory`` for these settings.
/// Each attempt has its own deadline of `timeoutSeconds`, enforced here because URLSession on
/// Linux ignores its resource timeout. Time-outs, connection errors, 408, 429, 5xx and unusable
/// answers are retried up to `maxRetries` more times after a short linear backoff; other 4xx, an
/// answer cut off for want of tokens and a prompt too long for the model are not. The prompt is
/// never logged nor put in an error.
public struct OpenAICompatibleCoach: Coach {
    public let settings: LLMSettings
    let session: URLSession
    let retryBackoff: Duration
    let logger: Logger
    let formMemory: ResponseFormatMemory

    /// - Parameters:
    ///   - session: the URLSession to use; by default one ephemeral session shared by all coaches.
    ///   - retryBackoff: the wait before the first retry; the n-th retry waits n times as long.
    ///   - logger: gets one warning per failed attempt, with its reason only.
    ///   - formMemory: where `auto` remembers the response format that worked.
    public init(
        settings: LLMSettings, session: URLSession? = nil, retryBackoff: Duration = .milliseconds(250),
        logger: Logger = Logger(label: "scorecard.coach"), formMemory: ResponseFormatMemory = .shared
    ) {
        self.settings = settings
        self.formMemory = formMemory
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
        let schema = ReviewSchema(samples: input.samples)
        let forms = settings.responseFormat.candidates(remembered: formMemory.form(for: settings))
        var formIndex = 0
        var request = try makeRequest(input, form: forms[formIndex], schema: schema)
        var failures: [LLMFailure] = []
        var refusals: [LLMFailure] = []
        var attempt = 0
        while true {
            try Task.checkCancellation()
            let form = forms[formIndex]
            do {
                let (status, body) = try await send(request)
                let output = try ReviewAnswer.parse(status: status, body: body, samples: input.samples, settings: settings, form: form)
                if settings.responseFormat == .auto { formMemory.remember(form, for: settings) }
                return output
            } catch let failure as LLMFailure {
                logger.warning(
                    "LLM review attempt failed",
                    metadata: [
                        "attempt": "\(attempt + 1)", "reason": "\(failure.reason)", "model": "\(settings.model)",
                        "response_format": "\(form.rawValue)",
                    ])
                if case .formRefused = failure {
                    refusals.append(failure)
                    guard formIndex + 1 < forms.count else { throw CoachError(LLMFailure.summary(refusals)) }
                    formIndex += 1
                    request = try makeRequest(input, form: forms[formIndex], schema: schema)
                    continue
                }
                failures.append(failure)
                guard failure.isTransient, attempt < max(0, settings.maxRetries) else { break }
                attempt += 1
                try await Task.sleep(for: retryBackoff * attempt)
            }
        }
        throw CoachError(LLMFailure.summary(failures))
    }

    /// The HTTP request for one review, asking for `form`.
    func makeRequest(_ input: ReviewInput, form: ResponseFormat, schema: ReviewSchema) throws -> URLRequest {
        guard let url = endpoint else {
            throw CoachError("vllm_base_url '\(settings.baseURL)' is not an http(s) URL")
        }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = ChatCompletion.requestBody(
            model: settings.model,
            messages: [.init(role: "system", content: ReviewPrompt.system), .init(role: "user", content: ReviewPrompt.user(input))],
            maxTokens: settings.maxTokens, responseFormat: form.wire(schema: schema))
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
