import Foundation
import ScorecardCore

/// Turns an HTTP answer from `/chat/completions` into a checked ``CoachOutput``.
///
/// Checks: a non-empty summary, the four arrays present, priorities `high|medium|low`, callout
/// types `positive|concern`, non-empty actions. Values are trimmed and lower-cased where the schema
/// fixes them, and recommendations are ordered by priority. Callouts whose reference matches no
/// sample are dropped rather than failing the review: a model that invents a ticket must not
/// put it in front of a person.
enum ReviewAnswer {
    static func parse(
        status: Int, body: Data, samples: [ActivitySample], settings: LLMSettings, form: ResponseFormat = .jsonObject
    ) throws(LLMFailure) -> CoachOutput {
        guard (200..<300).contains(status) else { throw refusal(status: status, body: body, form: form) }
        let response: ChatCompletion.Response
        do {
            response = try JSONDecoder().decode(ChatCompletion.Response.self, from: body)
        } catch {
            throw .notCompletion(ChatCompletion.describe(error))
        }
        guard let choice = response.choices.first else { throw .notCompletion("no choices") }
        guard let content = choice.message?.content, !content.allSatisfy(\.isWhitespace) else {
            throw .notCompletion("the first choice has no content")
        }
        let cutOff = choice.finishReason == "length"
        let json = ChatCompletion.escapingControlCharactersInStrings(ChatCompletion.jsonText(content))
        let decoded: ReviewContent
        do {
            decoded = try JSONDecoder().decode(ReviewContent.self, from: Data(json.utf8))
        } catch {
            let why = ChatCompletion.describe(error)
            if why == ChatCompletion.notJSON {
                let why = json.contains("{") ? "malformed or incomplete JSON object" : "no JSON object in the answer"
                if cutOff {
                    throw .cutOff(
                        why, maxTokens: settings.maxTokens, completionTokens: response.usage?.completionTokens,
                        promptTokens: response.usage?.promptTokens)
                }
                throw .invalidJSON(why)
            }
            throw .schema(why)
        }
        let review = try validated(decoded, samples: samples)
        let model = response.model.flatMap { $0.isEmpty ? nil : $0 } ?? settings.model
        return CoachOutput(
            content: review, model: model, tokensIn: max(0, response.usage?.promptTokens ?? 0),
            tokensOut: max(0, response.usage?.completionTokens ?? 0))
    }

    /// What a non-2xx answer means: the prompt did not fit the model's context, the server refused
    /// the response format (llama-cpp-python answers 500 with a pydantic message naming
    /// `response_format`; others 400 or 422), or just a failed status.
    static func refusal(status: Int, body: Data, form: ResponseFormat) -> LLMFailure {
        let message = ChatCompletion.ErrorResponse.message(in: body)
        let raw = (ChatCompletion.ErrorResponse.rawMessage(in: body) ?? String(decoding: body.prefix(4096), as: UTF8.self)).lowercased()
        let context = ["context length", "context window", "context size", "context_length_exceeded", "maximum context", "n_ctx"]
        if (400..<600).contains(status), context.contains(where: raw.contains) { return .contextOverflow(message) }
        let format = ["response_format", "response format", "json_schema"]
        if [400, 422, 500, 501].contains(status), format.contains(where: raw.contains) { return .formRefused(form, message: message) }
        return .status(status, message: message)
    }

    static func validated(_ content: ReviewContent, samples: [ActivitySample]) throws(LLMFailure) -> ReviewContent {
        let summary = trimmed(content.summary)
        guard !summary.isEmpty else { throw .schema("the summary is empty") }
        var recommendations: [Recommendation] = []
        for (n, r) in content.recommendations.enumerated() {
            let priority = trimmed(r.priority).lowercased()
            guard ["high", "medium", "low"].contains(priority) else {
                throw .schema("recommendations[\(n)].priority is '\(r.priority.prefix(20))', not high, medium or low")
            }
            let action = trimmed(r.action)
            guard !action.isEmpty else { throw .schema("recommendations[\(n)].action is empty") }
            recommendations.append(
                Recommendation(priority: priority, category: category(r.category), action: action, impact: trimmed(r.impact)))
        }
        var callouts: [Callout] = []
        for (n, c) in content.callouts.enumerated() {
            let type = trimmed(c.type).lowercased()
            guard type == "positive" || type == "concern" else {
                throw .schema("callouts[\(n)].type is '\(c.type.prefix(20))', not positive or concern")
            }
            let observation = trimmed(c.observation)
            guard let reference = sampleReference(c.reference, in: samples), !observation.isEmpty else { continue }
            callouts.append(Callout(type: type, reference: reference, observation: observation))
        }
        return ReviewContent(
            summary: summary,
            strengths: content.strengths.map(trimmed).filter { !$0.isEmpty },
            improvements: content.improvements.map(trimmed).filter { !$0.isEmpty },
            recommendations: recommendations.enumerated().sorted {
                ($0.element.priorityRank, $0.offset) < ($1.element.priorityRank, $1.offset)
            }.map(\.element),
            callouts: callouts)
    }

    /// The reference of the sample a callout names: the same text up to case, `#` and spacing,
    /// else the sample whose id tokens (those with a digit, such as `T-1042`) all appear in the
    /// citation (`T-1042 (escalated)` for `Ticket T-1042`). Nil when none matches.
    static func sampleReference(_ cited: String, in samples: [ActivitySample]) -> String? {
        func key(_ s: String) -> String {
            s.lowercased().filter { $0 != "#" }.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        func ids(_ s: String) -> Set<Substring> {
            Set(s.lowercased().split { !($0.isLetter || $0.isNumber || $0 == "-") }.filter { $0.contains(where: \.isNumber) })
        }
        let wanted = key(cited)
        if let exact = samples.first(where: { key($0.reference) == wanted || key(Redactor.redact($0.reference)) == wanted }) {
            return exact.reference
        }
        let citedIDs = ids(cited)
        return samples.first { sample in
            let sampleIDs = ids(sample.reference)
            return !sampleIDs.isEmpty && sampleIDs.isSubset(of: citedIDs)
        }?.reference
    }

    /// A snake_case category: `Response Time` → `response_time`; empty → `general`.
    static func category(_ text: String) -> String {
        let words = text.lowercased().split { !($0.isLetter || $0.isNumber) }
        return words.isEmpty ? "general" : words.joined(separator: "_")
    }

    static func trimmed(_ s: String) -> String { s.trimmingCharacters(in: .whitespacesAndNewlines) }
}
