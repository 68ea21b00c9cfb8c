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

        func respond(_ behaviour: Behaviour?) async -> Response {
            switch behaviour {
            case nil:
                return Self.json(.internalServerError, Self.errorBody("no behaviour scripted", code: 500))
            case .review(let content, let model, let promptTokens, let completionTokens)?:
                let encoder = JSONEncoder()
                encoder.outputFormatting = .sortedKeys
                let text = String(decoding: (try? encoder.encode(content)) ?? Data(), as: UTF8.self)
                return Self.json(.ok, Self.completion(text, model: model, finishReason: "stop", usage: (promptTokens, completionTokens)))
            case .content(let text, let finishReason)?:
                return Self.json(.ok, Self.completion(text, model: "test-model", finishReason: finishReason, usage: (100, 10)))
            case .body(let text)?:
                return Self.json(.ok, Data(text.utf8))
            case .delay(let duration, let then)?:
                let deadline = ContinuousClock.now + duration
                while ContinuousClock.now < deadline, !stopped {
                    try? await Task.sleep(for: .milliseconds(10))
                }
                if stopped { return Self.json(.serviceUnavailable, Self.errorBody("stopping", code: 503)) }
                return await respond(then)
            case .status(let code)?:
                let status = HTTPResponse.Status(code: code)
                return Self.json(status, Self.errorBody("scripted failure", code: code))
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
