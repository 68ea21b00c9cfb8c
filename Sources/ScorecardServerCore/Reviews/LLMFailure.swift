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
    /// The model's content is not JSON; `cutOff` when it stopped at `max_tokens`.
    case invalidJSON(String, cutOffAt: Int?)
    /// JSON, but not the review schema.
    case schema(String)

    /// Worth another attempt: time-outs, connection errors, 408, 429, 5xx and unusable answers.
    var isTransient: Bool {
        switch self {
        case .status(let code, _): code == 408 || code == 429 || code >= 500
        case .timeout, .unreachable, .notCompletion, .invalidJSON, .schema: true
        }
    }

    var reason: String { reason(times: nil) }

    /// The reason, with `times` (`three`) after the status or time-out when it happened repeatedly.
    func reason(times: String?) -> String {
        let repeated = times.map { " \($0) times" } ?? ""
        switch self {
        case .status(let code, let message):
            var text = "LLM answered \(code)\(repeated)"
            if let message { text += ": \(message)" }
            switch code {
            case 401, 403: text += " (check vllm_api_key)"
            case 404: text += " (check vllm_base_url and vllm_model)"
            default: break
            }
            return text
        case .timeout(let seconds): return "LLM timed out after \(ReviewFormat.number(seconds))s\(repeated)"
        case .unreachable(let what): return "could not reach the LLM at \(what)"
        case .notCompletion(let why): return "LLM response is not a chat completion: \(why)"
        case .invalidJSON(let why, let cutOff?):
            return "LLM answer is not valid JSON: \(why); it was cut off at max_tokens \(cutOff), raise vllm_max_tokens"
        case .invalidJSON(let why, nil): return "LLM answer is not valid JSON: \(why)"
        case .schema(let why): return "LLM answer does not follow the review schema: \(why)"
        }
    }

    /// One reason for a run of failed attempts: `LLM answered 500 three times: …`,
    /// `LLM timed out after 2s three times`, or the last reason with the earlier ones.
    static func summary(_ failures: [LLMFailure]) -> String {
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
