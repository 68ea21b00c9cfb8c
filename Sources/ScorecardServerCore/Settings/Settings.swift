import Foundation
import ScorecardCore

/// The server's settings resolved once for a job or request: stored values over defaults.
public struct Settings: Sendable {
    /// Stored values by key (only the keys that were set).
    public var stored: [String: JSONValue]

    public init(stored: [String: JSONValue] = [:]) { self.stored = stored }

    /// The effective value of `key`: the stored one, else the default.
    public func value(_ key: String) -> JSONValue {
        stored[key] ?? SettingSpec.named(key)?.defaultValue ?? .null
    }

    public func bool(_ key: String) -> Bool {
        if case .bool(let b) = value(key) { return b }
        return false
    }

    public func int(_ key: String) -> Int {
        if case .number(let n) = value(key) { return Int(n) }
        return 0
    }

    public func double(_ key: String) -> Double {
        if case .number(let n) = value(key) { return n }
        return 0
    }

    public func string(_ key: String) -> String? {
        if case .string(let s) = value(key) { return s }
        return nil
    }

    /// A weights setting as `{domain: weight}`, nil when unset.
    public func weights(_ key: String) -> [Domain: Double]? { Settings.weights(value(key)) }

    /// A weights value (`{domain: percent}`) as a table; nil when it is not an object.
    public static func weights(_ value: JSONValue?) -> [Domain: Double]? {
        guard case .object(let object)? = value else { return nil }
        var result: [Domain: Double] = [:]
        for (name, weight) in object {
            if let domain = Domain(rawValue: name), case .number(let w) = weight { result[domain] = w }
        }
        return result
    }

    /// The channels available for channel coverage.
    public var channels: [String] {
        guard case .array(let items) = value("communication_channels") else { return [] }
        return items.compactMap { if case .string(let s) = $0 { return s } else { return nil } }
    }

    /// The LLM settings, when the provider is OpenAI-compatible and base URL and model are set;
    /// without the API key, which ``LLMKey/resolve(_:environment:)`` reads from where the settings say.
    public var llm: LLMSettings? {
        guard let provider = string("llm_provider"), provider == "openai-compatible" || provider == "vllm",
            let base = string("vllm_base_url"), let model = string("vllm_model")
        else { return nil }
        return LLMSettings(
            baseURL: base, model: model, apiKey: nil, timeoutSeconds: double("vllm_timeout_seconds"),
            maxRetries: int("vllm_max_retries"), maxTokens: int("vllm_max_tokens"),
            responseFormat: string("vllm_response_format").flatMap(ResponseFormat.init(rawValue:)) ?? .auto)
    }

    /// True when the provider asks for an LLM.
    public var wantsLLM: Bool { ["openai-compatible", "vllm"].contains(string("llm_provider") ?? "") }
}

/// A setting as the admin API and CLI show it.
public struct SettingView: Codable, Sendable, Equatable {
    public var key: String
    /// The effective value (no setting holds a secret: the LLM key is named by reference).
    public var value: JSONValue
    public var defaultValue: JSONValue
    /// True when a value is stored (not the default).
    public var isSet: Bool
    public var description: String

    enum CodingKeys: String, CodingKey {
        case key, value, description
        case defaultValue = "default"
        case isSet = "is_set"
    }

    public init(spec: SettingSpec, settings: Settings) {
        key = spec.key
        let value = settings.value(spec.key)
        self.value = value
        defaultValue = spec.defaultValue
        isSet = settings.stored[spec.key] != nil
        description = spec.summary
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(key, forKey: .key)
        try c.encode(value, forKey: .value)
        try c.encode(defaultValue, forKey: .defaultValue)
        try c.encode(isSet, forKey: .isSet)
        try c.encode(description, forKey: .description)
    }
}
