import Foundation
import ScorecardCore

/// The OpenAI-compatible `/chat/completions` wire format, as far as the coach uses it.
enum ChatCompletion {
    struct Message: Codable, Sendable {
        var role: String
        var content: String?
    }

    struct Request: Encodable, Sendable {
        struct ResponseFormat: Encodable, Sendable { var type = "json_object" }
        var model: String
        var messages: [Message]
        var maxTokens: Int
        var temperature = 0.2
        var responseFormat = ResponseFormat()

        enum CodingKeys: String, CodingKey {
            case model, messages, temperature
            case maxTokens = "max_tokens"
            case responseFormat = "response_format"
        }
    }

    struct Response: Decodable {
        struct Choice: Decodable {
            var message: Message?
            var finishReason: String?
            enum CodingKeys: String, CodingKey {
                case message
                case finishReason = "finish_reason"
            }
        }
        struct Usage: Decodable {
            var promptTokens: Int?
            var completionTokens: Int?
            enum CodingKeys: String, CodingKey {
                case promptTokens = "prompt_tokens"
                case completionTokens = "completion_tokens"
            }
        }
        var model: String?
        var choices: [Choice]
        var usage: Usage?
    }

    /// The error body most gateways send: `{"error": {"message": …}}`, `{"message": …}` or `{"detail": …}`.
    struct ErrorResponse: Decodable {
        struct Inner: Decodable { var message: String? }
        var error: Inner?
        var message: String?
        var detail: String?

        /// A short, redacted message from an error body, if it has one.
        static func message(in body: Data) -> String? {
            guard let decoded = try? JSONDecoder().decode(ErrorResponse.self, from: body),
                let text = decoded.error?.message ?? decoded.message ?? decoded.detail, !text.isEmpty
            else { return nil }
            return Redactor.excerpt(text, maxChars: 200)
        }
    }

    /// The JSON inside a model's content: without ```json fences, and from the first `{` to the
    /// last `}` when the model wrapped the object in prose.
    static func jsonText(_ content: String) -> String {
        var text = content.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("```") {
            text = String(text.drop { $0 != "\n" }.dropFirst())
            if text.hasSuffix("```") { text = String(text.dropLast(3)) }
            text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if !text.hasPrefix("{"), let open = text.firstIndex(of: "{"), let close = text.lastIndex(of: "}"), open < close {
            text = String(text[open...close])
        }
        return text
    }

    /// What ``describe(_:)`` says of text that is not JSON at all.
    static let notJSON = "the content is not JSON"

    /// A short account of a decoding error that names the field, never the content.
    static func describe(_ error: any Error) -> String {
        func path(_ keys: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            let all: [any CodingKey] = keys + (last.map { [$0] } ?? [])
            let parts: [String] = all.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }
            return String(parts.joined().drop { (c: Character) in c == "." })
        }
        switch error as? DecodingError {
        case .keyNotFound(let key, let context)?: return "missing field '\(path(context.codingPath, key))'"
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?:
            return context.codingPath.isEmpty
                ? "the answer is not a JSON object" : "field '\(path(context.codingPath))' has the wrong type or is null"
        case .dataCorrupted(let context)?:
            return context.codingPath.isEmpty ? notJSON : "field '\(path(context.codingPath))' is invalid"
        default: return notJSON
        }
    }
}
