import ScorecardCore

/// Changes a setting with the validation of its ``SettingSpec``: the admin API and the settings page.
public enum SettingsService {
    /// Validates and stores `value` for `spec` (`.null` resets it to the default); returns the setting as now shown.
    public static func set(_ spec: SettingSpec, to value: JSONValue, by personID: String, store: any ServerStore) async throws -> SettingView {
        if let problem = spec.problem(with: value) { throw StoreError(.invalid, problem) }
        try await store.setSetting(key: spec.key, value: value, by: personID)
        return SettingView(spec: spec, settings: try await store.settings())
    }
}
