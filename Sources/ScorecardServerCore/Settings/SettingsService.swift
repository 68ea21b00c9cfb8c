import Foundation
import ScorecardCore

/// Changes a setting with the validation of its ``SettingSpec``, and audits it: the admin API,
/// the settings page and `scorecard-server settings set`.
public enum SettingsService {
    /// The setting called `key`: `notFound` when there is none, ``SettingRefusal`` when it was retired
    /// (the LLM key, which is no longer stored).
    public static func spec(named key: String) throws -> SettingSpec {
        if let advice = SettingSpec.retired[key] { throw SettingRefusal(key: key, message: advice) }
        guard let spec = SettingSpec.named(key) else { throw StoreError(.notFound, "no setting '\(key)'") }
        return spec
    }

    /// Validates and stores `value` for `spec` (`.null` resets it to the default) with one audit
    /// entry by `actor` in the same transaction; returns the setting as now shown.
    public static func set(_ spec: SettingSpec, to value: JSONValue, by actor: AuditActor, store: any ServerStore) async throws -> SettingView {
        if let problem = spec.problem(with: value) { throw StoreError(.invalid, problem) }
        let before = try await store.settings()
        if case .string(let path) = value, spec.key == "vllm_api_key_file", let problem = LLMKey.fileProblem(path) {
            throw StoreError(.invalid, problem)
        }
        if value != .null, let other = ["vllm_api_key_env": "vllm_api_key_file", "vllm_api_key_file": "vllm_api_key_env"][spec.key],
            before.stored[other] != nil
        {
            throw StoreError(.invalid, "\(other) is set; the key comes from one place: set \(other) to null first")
        }
        let detail: String
        if value == .null {
            detail = "reset to the default (was \(shown(before.value(spec.key))))"
        } else {
            detail = "\(shown(value)) (was \(shown(before.value(spec.key))))"
        }
        let audit = AuditEntry(actor, value == .null ? "setting.reset" : "setting.changed", subject: spec.key, detail: detail)
        try await store.setSetting(key: spec.key, value: value, by: actor.personID, audit: audit)
        return SettingView(spec: spec, settings: try await store.settings())
    }

    /// A value for an audit entry: JSON, cut at 200 characters. (No setting holds a secret: the
    /// LLM key is named by reference, and the reference is what is shown.)
    static func shown(_ value: JSONValue) -> String {
        let text = String(decoding: (try? WireJSON.encode(value)) ?? Data(), as: UTF8.self)
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }
}

/// A setting that can no longer be written (the LLM API key): the API answers 400 with the advice.
public struct SettingRefusal: Error, Sendable, CustomStringConvertible {
    public var key: String
    public var message: String

    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }

    public var description: String { message }
}
