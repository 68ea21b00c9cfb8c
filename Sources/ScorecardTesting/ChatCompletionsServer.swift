import Foundation
import Hummingbird
import Logging
import ScorecardCore

/// A real OpenAI-compatible chat-completions server on a free loopback port, for coach tests.
///
/// Each `POST /v1/chat/completions` takes the next behaviour of its script; once the script is
/// down to its last behaviour, that one repeats (so `[.status(500)]` fails forever). Every request
/// is recorded with its headers and body.
///
/// ```swift
/// let llm = try await ChatCompletionsServer.start([.status(500), .review(content)])
/// defer { Task { await llm.stop() } }
/// let coach = OpenAICompatibleCoach(settings: LLMSettings(baseURL: llm.baseURL, model: "m"))
/// ```
public final class ChatCompletionsServer: Sendable {
    /// What the server does with one request.
    public indirect enum Behaviour: Sendable {
        /// 200 with a completion whose content is `content` as JSON, and the given usage.
        case review(ReviewContent, model: String = "test-model", promptTokens: Int = 1200, completionTokens: Int = 400)
        /// 200 with a completion whose content is `text` verbatim (invalid JSON, fenced JSON…).
        /// `completionTokens` nil reports the request's `max_tokens` when `finishReason` is
        /// `length`, else 10.
        case content(String, finishReason: String = "stop", completionTokens: Int? = nil)
        /// 200 with a body that is not a chat completion.
        case body(String)
        /// Waits (cut short by ``stop()``), then behaves as `then`.
        case delay(Duration, then: Behaviour)
        /// This status with an OpenAI-style error body.
        case status(Int)
        /// For a request whose response format is one of `forms` (``ChatRequestBody/ResponseFormat/form``),
        /// what llama-cpp-python's server answers to a form it does not know: 500 with a pydantic
        /// message naming `response_format`. Other requests get `then`.
        case refuse(forms: Set<String>, then: Behaviour)
        /// 400 with the message llama-cpp-python sends when the prompt does not fit `n_ctx`.
        case contextOverflow(nCtx: Int = 2048, promptTokens: Int = 2500)

        /// Content that is not JSON.
        public static let invalidJSON = Behaviour.content("Sure! Here is the review: {summary: great week")
    }

    /// One request as received.
    public struct Received: Sendable {
        /// Header names lower-cased.
        public var headers: [String: String]
        public var body: Data

        public var text: String { String(decoding: body, as: UTF8.self) }
        /// The body decoded as a chat-completions request, nil when it is not one.
        public var chat: ChatRequestBody? { try? JSONDecoder().decode(ChatRequestBody.self, from: body) }
        /// The content of the first message with `role`.
        public func message(_ role: String) -> String? { chat?.messages.first { $0.role == role }?.content }
    }

    /// The fields of a chat-completions request that tests check.
    public struct ChatRequestBody: Decodable, Sendable {
        public struct Message: Decodable, Sendable {
            public var role: String
            public var content: String?
        }
        public struct ResponseFormat: Decodable, Sendable {
            public var type: String
            /// llama-cpp-python's schema, beside `"type": "json_object"`.
            public var schema: JSONValue?
            /// OpenAI's `{"name", "strict", "schema"}`, beside `"type": "json_schema"`.
            public var jsonSchema: JSONValue?

            enum CodingKeys: String, CodingKey {
                case type, schema
                case jsonSchema = "json_schema"
            }

            /// The `vllm_response_format` that produced it: `json_schema`, `json_object_schema`
            /// or `json_object` (or the type as sent).
            public var form: String { type == "json_object" && schema != nil ? "json_object_schema" : type }

            /// The JSON schema it carries, in either form.
            public var reviewSchema: JSONValue? {
                if let schema { return schema }
                if case .object(let fields)? = jsonSchema { return fields["schema"] }
                return nil
            }
        }
        public var model: String
        public var messages: [Message]
        public var maxTokens: Int?
        public var temperature: Double?
        public var responseFormat: ResponseFormat?

        enum CodingKeys: String, CodingKey {
            case model, messages, temperature
            case maxTokens = "max_tokens"
            case responseFormat = "response_format"
        }
    }

    /// The bound port.
    public let port: Int
    let box: ScriptBox
    private let task: Task<Void, any Error>

    /// `http://127.0.0.1:PORT/v1`: the base URL a coach is configured with.
    public var baseURL: String { "http://127.0.0.1:\(port)/v1" }
    /// The requests received so far, oldest first.
    public var requests: [Received] { box.state.withLock { $0.received } }
    public var requestCount: Int { box.state.withLock { $0.received.count } }

    private init(port: Int, box: ScriptBox, task: Task<Void, any Error>) {
        self.port = port
        self.box = box
        self.task = task
    }

    /// Starts a server that answers with `script`, and waits until it listens.
    public static func start(_ script: [Behaviour]) async throws -> ChatCompletionsServer {
        let box = ScriptBox(script)
        let router = Router()
        router.post("v1/chat/completions") { request, _ -> Response in
            let buffer = try await request.body.collect(upTo: 8 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let received = Received(headers: headers, body: Data(buffer.readableBytesView))
            let behaviour = box.record(received)
            return await box.respond(behaviour, to: received)
        }
        let (port, task) = try await LoopbackApp.start(router, name: "the chat-completions server")
        return ChatCompletionsServer(port: port, box: box, task: task)
    }

    /// Stops the server; delays in progress end at once.
    public func stop() async {
        box.state.withLock { $0.stopped = true }
        task.cancel()
        _ = try? await task.value
    }
}
