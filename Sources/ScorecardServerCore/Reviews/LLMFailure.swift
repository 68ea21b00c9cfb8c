/// Why one attempt to get a review from the LLM failed. Reasons name the status, the deadline or
/// the field at fault, never the prompt.
enum LLMFailure: Error, Equatable, Sendable {
    /// A non-2xx answer, with the gateway's own short message when it sent one.
    case status(Int, message: String?)
    /// No answer within the per-attempt deadline, in seconds.
    case timeout(Double)
    /// No connection, or it broke: the host and port, and what went wrong.
    case unreachable(String)
    /// The body is not a chat completion at all.
    case notCompletion(String)
    /// The model's content is not JSON.
    case invalidJSON(String)
    /// The model's content is not JSON because it stopped early (`finish_reason` `length`): at
    /// `max_tokens`, or short of it when the model's context was full.
    case cutOff(String, maxTokens: Int, completionTokens: Int?, promptTokens: Int?)
    /// JSON, but not the review schema.
    case schema(String)
    /// The server refused the request's response format (an unknown or unsupported form).
    case formRefused(ResponseFormat, message: String?)
    /// The prompt (with `max_tokens`) does not fit the model's context; the server's message.
    case contextOverflow(String?)

    /// Worth another attempt with the same request: time-outs, connection errors, 408, 429, 5xx and
    /// unusable answers. Not an answer cut off for want of tokens (the same budget would cut it
    /// again), a refused response format, or a prompt too long for the model.
    var isTransient: Bool {
        switch self {
        case .status(let code, _): code == 408 || code == 429 || code >= 500
        case .timeout, .unreachable, .notCompletion, .invalidJSON, .schema: true
        case .cutOff, .formRefused, .contextOverflow: false
        }
    }

    /// What to change when the prompt does not fit the model's context.
    static let contextAdvice =
        "lower review_sample_max_chars or the review_sample_* counts, or vllm_max_tokens, or give the model server a larger context (llama.cpp: --n_ctx, vLLM: --max-model-len)"

    var reason: String { reason(times: nil) }

    /// The reason, with `times` (`three`) after the status or time-out when it happened repeatedly.
    func reason(times: String?) -> String {
        let repeated = times.map { " \($0) times" } ?? ""
        switch self {
        case .status(let code, let message):
            var text = "LLM answered \(code)\(repeated)"
            if let message { text += ": \(message)" }
            switch code {
            case 401, 403: text += " (check the key vllm_api_key_env or vllm_api_key_file names)"
            case 404: text += " (check vllm_base_url and vllm_model)"
            default: break
            }
            return text
        case .timeout(let seconds): return "LLM timed out after \(ReviewFormat.number(seconds))s\(repeated)"
        case .unreachable(let what): return "could not reach the LLM at \(what)"
        case .notCompletion(let why): return "LLM response is not a chat completion: \(why)"
        case .invalidJSON(let why): return "LLM answer is not valid JSON: \(why)"
        case .cutOff(let why, let maxTokens, let completion?, let prompt) where completion < maxTokens:
            let promptPart = prompt.map { " (\($0) tokens)" } ?? ""
            return "LLM answer is not valid JSON: \(why); it was cut off after \(completion) tokens, short of max_tokens \(maxTokens): "
                + "the prompt\(promptPart) and the answer filled the model's context; \(Self.contextAdvice)"
        case .cutOff(let why, let maxTokens, _, _):
            return "LLM answer is not valid JSON: \(why); it was cut off at max_tokens \(maxTokens), raise vllm_max_tokens"
        case .schema(let why): return "LLM answer does not follow the review schema: \(why)"
        case .formRefused(let form, let message):
            return "LLM refused response_format \(form.rawValue)\(message.map { ": \($0)" } ?? ""); set vllm_response_format to auto or another form"
        case .contextOverflow(let message):
            return "the review prompt does not fit the model's context\(message.map { " (\($0))" } ?? ""); \(Self.contextAdvice)"
        }
    }

    /// One reason for a run of failed attempts: `LLM answered 500 three times: …`,
    /// `LLM timed out after 2s three times`, or the last reason with the earlier ones.
    static func summary(_ failures: [LLMFailure]) -> String {
        if failures.count > 1, failures.allSatisfy({ if case .formRefused = $0 { true } else { false } }), case .formRefused(_, let message)? = failures.last {
            let forms = failures.compactMap { if case .formRefused(let form, _) = $0 { form.rawValue } else { nil } }
            return "LLM refused every response format (\(forms.joined(separator: ", ")))\(message.map { ", last: \($0)" } ?? ""); "
                + "check that vllm_base_url is an OpenAI-compatible chat-completions API"
        }
        guard let last = failures.last else { return "LLM review failed" }
        if failures.count == 1 { return last.reason }
        let times = count(failures.count)
        var earlier: [String] = []
        for failure in failures.dropLast() where failure.reason != last.reason && !earlier.contains(failure.reason) {
            earlier.append(failure.reason)
        }
        if earlier.isEmpty {
            switch last {
            case .status, .timeout: return last.reason(times: times)
            default: return "\(last.reason) (\(times) attempts)"
            }
        }
        return "\(last.reason) (\(times) attempts; earlier: \(earlier.joined(separator: "; ")))"
    }

    /// `two`, `three`… up to ten, digits after.
    static func count(_ n: Int) -> String {
        let words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
        return words.indices.contains(n) ? words[n] : String(n)
    }
}
