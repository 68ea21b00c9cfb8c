import Foundation
import ScorecardCore

/// The settings page: seed 002's settings with their values, each editable with the same
/// validation as the admin API. No setting holds a secret: the LLM key is named by reference.
struct SettingsView {
    struct Option {
        var value: String
        var label: String
        var selected: Bool
    }

    struct Row {
        var key: String
        var summary: String
        var current: String
        var defaultText: String
        var isSet: Bool
        var isBool: Bool
        var isText: Bool
        var options: [Option]
        var text: String
        var hint: String
        var error: String?
    }

    var rows: [Row]
    var csrf: String
    var notice: String?
    var refusal: String?

    /// `refusal` is shown above the settings (a retired setting, such as the LLM key, posted anyway).
    static func make(
        settings: Settings, session: WebSession, notice: String?, failed: (key: String, value: String, message: String)? = nil, refusal: String? = nil
    ) -> SettingsView {
        let rows = SettingSpec.all.map { spec -> Row in
            let view = SettingView(spec: spec, settings: settings)
            let mine = failed?.key == spec.key
            let isBool = spec.kind == .bool
            let currentBool = view.value == .bool(true)
            return Row(
                key: spec.key, summary: spec.summary,
                current: SettingsView.text(view.value),
                defaultText: SettingsView.text(spec.defaultValue), isSet: view.isSet, isBool: isBool, isText: !isBool,
                options: isBool ? [Option(value: "true", label: "On", selected: currentBool), Option(value: "false", label: "Off", selected: !currentBool)] : [],
                text: mine ? failed!.value : (view.value == .null ? "" : SettingsView.text(view.value)),
                hint: spec.expected, error: mine ? failed!.message : nil)
        }
        return SettingsView(rows: rows, csrf: session.csrf, notice: notice, refusal: refusal)
    }

    /// A value as the form shows and reads it: strings bare, everything else as JSON.
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .null: return "(unset)"
        case .string(let s): return s
        case .number(let n): return SVG.number(n, places: 6)
        case .bool(let b): return b ? "true" : "false"
        default: return String(decoding: (try? WireJSON.encode(value)) ?? Data(), as: UTF8.self)
        }
    }

    /// Reads a submitted value for `spec`: booleans and numbers from their text, strings bare,
    /// weights and lists as JSON. Nil when the text is not even of the right shape.
    static func parse(_ text: String, for spec: SettingSpec) -> JSONValue? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        switch spec.kind {
        case .bool: return trimmed == "true" ? .bool(true) : (trimmed == "false" ? .bool(false) : nil)
        case .integer, .decimal: return Double(trimmed).map(JSONValue.number)
        case .string, .environmentVariable, .absolutePath: return .string(trimmed)
        case .weights, .stringList: return try? WireJSON.decode(JSONValue.self, from: Data(trimmed.utf8))
        }
    }
}
