import ScorecardCore
import Synchronization

/// How a review request asks the server to keep the answer to the review's JSON schema
/// (the `vllm_response_format` setting).
public enum ResponseFormat: String, Sendable, Hashable, CaseIterable {
    /// Try ``jsonSchema``, then ``jsonObjectSchema``, then ``jsonObject``, moving on when the server
    /// refuses a form, and remember what worked (``ResponseFormatMemory``).
    case auto
    /// OpenAI's and vLLM's structured outputs: `{"type": "json_schema", "json_schema": {…, "strict": true}}`.
    case jsonSchema = "json_schema"
    /// llama-cpp-python's constrained JSON mode: `{"type": "json_object", "schema": …}`.
    case jsonObjectSchema = "json_object_schema"
    /// Plain JSON mode, no schema: `{"type": "json_object"}`.
    case jsonObject = "json_object"

    /// The forms `auto` tries, in order.
    public static let fallbackOrder: [ResponseFormat] = [.jsonSchema, .jsonObjectSchema, .jsonObject]

    /// The forms to try for this setting, starting from `remembered` when `auto` found one before.
    func candidates(remembered: ResponseFormat?) -> [ResponseFormat] {
        guard self == .auto else { return [self] }
        guard let remembered, let start = Self.fallbackOrder.firstIndex(of: remembered) else { return Self.fallbackOrder }
        return Array(Self.fallbackOrder[start...])
    }

    /// The request's `response_format` for this form and the review's schema.
    ///
    /// `json_schema` is sent with `strict: true`, and without the string length limits that
    /// OpenAI's strict mode refuses (`maxLength`, `minLength`); the other limits (enums, item
    /// counts, required fields) stay. `json_object_schema` carries the whole schema.
    func wire(schema: ReviewSchema) -> OrderedJSON {
        switch self {
        case .auto, .jsonSchema:
            return ["type": "json_schema", "json_schema": ["name": "coaching_review", "strict": true, "schema": schema.json(stringLengths: false)]]
        case .jsonObjectSchema:
            return ["type": "json_object", "schema": schema.json(stringLengths: true)]
        case .jsonObject:
            return ["type": "json_object"]
        }
    }
}

/// Which response format worked, per set of LLM settings (and so per base URL), for `auto`:
/// the next review starts with it instead of probing again. A change to any setting is a new key,
/// so the probing starts over.
public final class ResponseFormatMemory: Sendable {
    private let known = Mutex<[LLMSettings: ResponseFormat]>([:])

    public init() {}

    /// The one memory the server's coaches share.
    public static let shared = ResponseFormatMemory()

    /// The form that last worked with `settings`, if any.
    public func form(for settings: LLMSettings) -> ResponseFormat? { known.withLock { $0[settings] } }

    func remember(_ form: ResponseFormat, for settings: LLMSettings) {
        known.withLock { known in
            // Settings that are no longer in use would pile up otherwise; a handful is plenty.
            if known[settings] == nil, known.count >= 32 { known.removeAll() }
            known[settings] = form
        }
    }
}
