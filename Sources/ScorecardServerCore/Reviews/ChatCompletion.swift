import Foundation
import ScorecardCore

/// The OpenAI-compatible `/chat/completions` wire format, as far as the coach uses it.
enum ChatCompletion {
    struct Message: Codable, Sendable {
        var role: String
        var content: String?
    }

    /// The body of one request: `model`, `messages`, `max_tokens`, `temperature` 0.2 and the
    /// response format, keys in that order.
    static func requestBody(model: String, messages: [Message], maxTokens: Int, responseFormat: OrderedJSON) -> Data {
        let body: OrderedJSON = [
            "model": .value(.string(model)),
            "messages": .array(messages.map { ["role": .value(.string($0.role)), "content": .value($0.content.map(JSONValue.string) ?? .null)] }),
            "max_tokens": .value(.number(Double(maxTokens))),
            "temperature": .value(.number(0.2)),
            "response_format": responseFormat,
        ]
        return body.data
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

    /// The error body most gateways send: `{"error": {"message": …}}`, `{"message": …}`, `{"detail": …}`
    /// or FastAPI's `{"detail": [{"loc": […], "msg": …}]}`.
    struct ErrorResponse: Decodable {
        struct Inner: Decodable { var message: String? }
        var error: Inner?
        var message: String?
        var detail: JSONValue?

        /// The whole message of an error body, unredacted: for recognising what the server said,
        /// never for showing.
        static func rawMessage(in body: Data) -> String? {
            guard let decoded = try? JSONDecoder().decode(ErrorResponse.self, from: body) else { return nil }
            if let text = decoded.error?.message ?? decoded.message, !text.isEmpty { return text }
            switch decoded.detail {
            case .string(let text)?: return text.isEmpty ? nil : text
            case .array(let items)?:
                let parts = items.compactMap { item -> String? in
                    guard case .object(let fields) = item, case .string(let msg)? = fields["msg"] else { return nil }
                    var place = ""
                    if case .array(let loc)? = fields["loc"] {
                        place = loc.map { if case .string(let s) = $0 { s } else if case .number(let n) = $0 { String(Int(n)) } else { "?" } }
                            .joined(separator: ".") + ": "
                    }
                    return place + msg
                }
                return parts.isEmpty ? nil : parts.joined(separator: "; ")
            default: return nil
            }
        }

        /// A short, redacted message from an error body, if it has one.
        static func message(in body: Data) -> String? {
            rawMessage(in: body).map { Redactor.excerpt($0, maxChars: 200) }
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

    /// `json` with raw control characters inside its strings escaped (`\n`, `\t`, `\r`, `\u00XX`).
    /// llama-cpp-python's JSON grammar lets a model put a raw line break inside a string, which
    /// JSON forbids and the decoder refuses; the text means the same with it escaped.
    static func escapingControlCharactersInStrings(_ json: String) -> String {
        var out = String.UnicodeScalarView()
        var inString = false
        var escaped = false
        for scalar in json.unicodeScalars {
            if inString {
                if escaped {
                    escaped = false
                } else if scalar == "\\" {
                    escaped = true
                } else if scalar == "\"" {
                    inString = false
                } else if scalar.value < 0x20 {
                    switch scalar {
                    case "\n": out.append(contentsOf: "\\n".unicodeScalars)
                    case "\t": out.append(contentsOf: "\\t".unicodeScalars)
                    case "\r": out.append(contentsOf: "\\r".unicodeScalars)
                    default: out.append(contentsOf: String(format: "\\u%04x", scalar.value).unicodeScalars)
                    }
                    continue
                }
            } else if scalar == "\"" {
                inString = true
            }
            out.append(scalar)
        }
        return String(out)
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
