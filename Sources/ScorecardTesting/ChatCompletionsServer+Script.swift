import Foundation
import Hummingbird
import ScorecardCore
import Synchronization

extension ChatCompletionsServer {
    /// The script, the recorded requests and the stop flag, shared with the route handler.
    final class ScriptBox: Sendable {
        struct State {
            var script: [Behaviour]
            var received: [Received] = []
            var stopped = false
        }

        let state: Mutex<State>

        init(_ script: [Behaviour]) { state = Mutex(State(script: script)) }

        /// Records a request and takes the behaviour for it; the last one repeats.
        func record(_ request: Received) -> Behaviour? {
            state.withLock { state in
                state.received.append(request)
                return state.script.count > 1 ? state.script.removeFirst() : state.script.first
            }
        }

        var stopped: Bool { state.withLock { $0.stopped } }

        func respond(_ behaviour: Behaviour?, to request: Received) async -> Response {
            switch behaviour {
            case nil:
                return Self.json(.internalServerError, Self.errorBody("no behaviour scripted", code: 500))
            case .review(let content, let model, let promptTokens, let completionTokens)?:
                let encoder = JSONEncoder()
                encoder.outputFormatting = .sortedKeys
                let text = String(decoding: (try? encoder.encode(content)) ?? Data(), as: UTF8.self)
                return Self.json(.ok, Self.completion(text, model: model, finishReason: "stop", usage: (promptTokens, completionTokens)))
            case .content(let text, let finishReason, let completionTokens)?:
                let tokens = completionTokens ?? (finishReason == "length" ? request.chat?.maxTokens ?? 10 : 10)
                return Self.json(.ok, Self.completion(text, model: "test-model", finishReason: finishReason, usage: (100, tokens)))
            case .body(let text)?:
                return Self.json(.ok, Data(text.utf8))
            case .delay(let duration, let then)?:
                let deadline = ContinuousClock.now + duration
                while ContinuousClock.now < deadline, !stopped {
                    try? await Task.sleep(for: .milliseconds(10))
                }
                if stopped { return Self.json(.serviceUnavailable, Self.errorBody("stopping", code: 503)) }
                return await respond(then, to: request)
            case .status(let code)?:
                let status = HTTPResponse.Status(code: code)
                return Self.json(status, Self.errorBody("scripted failure", code: code))
            case .refuse(let forms, let then)?:
                guard let form = request.chat?.responseFormat?.form, forms.contains(form) else { return await respond(then, to: request) }
                // llama-cpp-python 0.3.36's words for a response_format its pydantic model does not know.
                let message =
                    "1 validation error:\n  {'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), 'msg': \"Input should be "
                    + "'text' or 'json_object'\", 'input': '\(form)', 'ctx': {'expected': \"'text' or 'json_object'\"}}\n"
                return Self.json(.internalServerError, Self.errorBody(message, code: 500))
            case .contextOverflow(let nCtx, let promptTokens)?:
                let message =
                    "This model's maximum context length is \(nCtx) tokens. However, you requested \(promptTokens) tokens "
                    + "(\(promptTokens) in the messages, 0 in the completion). Please reduce the length of the messages or completion."
                return Self.json(.badRequest, Self.errorBody(message, code: 400))
            }
        }

        static func json(_ status: HTTPResponse.Status, _ body: Data) -> Response {
            Response(
                status: status, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }

        static func completion(_ content: String, model: String, finishReason: String, usage: (Int, Int)) -> Data {
            let object: [String: Any] = [
                "id": "chatcmpl-test", "object": "chat.completion", "created": 1_763_280_000, "model": model,
                "choices": [["index": 0, "message": ["role": "assistant", "content": content], "finish_reason": finishReason]],
                "usage": ["prompt_tokens": usage.0, "completion_tokens": usage.1, "total_tokens": usage.0 + usage.1],
            ]
            return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        }

        static func errorBody(_ message: String, code: Int) -> Data {
            let object: [String: Any] = ["error": ["message": message, "type": "server_error", "code": code]]
            return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        }
    }
}
