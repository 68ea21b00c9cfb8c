import Foundation
import Hummingbird
import Logging
import ScorecardCore
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A small HTTP proxy on a free loopback port in front of an OpenAI-compatible server, recording
/// each `POST /v1/chat/completions` exchange: what the model was sent and what it answered, and how
/// long it took. Tests point `vllm_base_url` at ``baseURL`` and read ``exchanges``.
public final class RecordingProxy: Sendable {
    /// One request and its answer.
    public struct Exchange: Sendable {
        public var request: Data
        public var status: Int
        public var response: Data
        public var seconds: Double

        public var requestText: String { String(decoding: request, as: UTF8.self) }
        /// The request as a chat-completions body.
        public var chat: ChatCompletionsServer.ChatRequestBody? {
            try? JSONDecoder().decode(ChatCompletionsServer.ChatRequestBody.self, from: request)
        }
        /// `usage.completion_tokens` of the answer, if any.
        public var completionTokens: Int? { usage("completion_tokens") }
        /// `usage.prompt_tokens` of the answer, if any.
        public var promptTokens: Int? { usage("prompt_tokens") }

        func usage(_ key: String) -> Int? {
            guard case .object(let body)? = try? JSONDecoder().decode(JSONValue.self, from: response), case .object(let usage)? = body["usage"],
                case .number(let n)? = usage[key]
            else { return nil }
            return Int(n)
        }
    }

    public let port: Int
    private let recorder: Recorder
    private let task: Task<Void, any Error>

    /// `http://127.0.0.1:PORT/v1`.
    public var baseURL: String { "http://127.0.0.1:\(port)/v1" }
    /// The exchanges so far, oldest first.
    public var exchanges: [Exchange] { recorder.recorded.withLock { $0 } }

    private init(port: Int, recorder: Recorder, task: Task<Void, any Error>) {
        self.port = port
        self.recorder = recorder
        self.task = task
    }

    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 600
        return URLSession(configuration: configuration)
    }()

    /// Starts a proxy to `upstream` (a base URL such as `http://127.0.0.1:8000/v1`).
    public static func start(upstream: String) async throws -> RecordingProxy {
        let router = Router()
        let recorder = Recorder(upstream: upstream)
        router.post("v1/chat/completions") { request, _ -> Response in
            let body = Data(try await request.body.collect(upTo: 16 << 20).readableBytesView)
            return try await recorder.forward(body)
        }
        let (port, task) = try await LoopbackApp.start(router, name: "the recording proxy")
        return RecordingProxy(port: port, recorder: recorder, task: task)
    }

    /// Stops the proxy.
    public func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}

/// The upstream and the exchanges, shared with the route handler.
private final class Recorder: Sendable {
    let upstream: String
    let recorded = Mutex<[RecordingProxy.Exchange]>([])

    init(upstream: String) { self.upstream = upstream }

    func forward(_ body: Data) async throws -> Response {
        var request = URLRequest(url: URL(string: upstream + "/chat/completions")!)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let start = ContinuousClock.now
        let (data, response) = try await RecordingProxy.session.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 502
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        recorded.withLock { $0.append(RecordingProxy.Exchange(request: body, status: status, response: data, seconds: seconds)) }
        return Response(
            status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
