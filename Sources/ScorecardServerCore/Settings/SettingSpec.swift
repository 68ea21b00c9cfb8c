import ScorecardCore

/// One server setting: its key, type, default and one-line description (seed 002's tables).
public struct SettingSpec: Sendable {
    /// How a value is validated.
    public enum Kind: Sendable, Equatable {
        case bool
        case integer(ClosedRange<Int>)
        case decimal(ClosedRange<Double>)
        /// `{domain: percent}`; keys are domain names, values non-negative, at least one positive.
        case weights
        /// A JSON array of non-empty strings.
        case stringList
        /// A string, one of the listed words when the list is not empty.
        case string([String])
        /// The name of an environment variable (letters, digits and `_`, not starting with a digit).
        case environmentVariable
        /// An absolute file path.
        case absolutePath
    }

    public var key: String
    public var kind: Kind
    /// The default; `.null` for settings that are unset by default.
    public var defaultValue: JSONValue
    /// Whether the default is "unset" (null).
    public var nullable: Bool
    public var summary: String

    /// Nil when `value` is valid for this setting, else a reason a person can act on.
    public func problem(with value: JSONValue) -> String? {
        if value == .null { return nil }  // null resets the setting to its default
        switch (kind, value) {
        case (.bool, .bool): return nil
        case (.integer(let range), .number(let n)):
            guard n == n.rounded(), let i = Int(exactly: n), range.contains(i) else {
                return "\(key) must be an integer from \(range.lowerBound) to \(range.upperBound)"
            }
            return nil
        case (.decimal(let range), .number(let n)):
            return range.contains(n) ? nil : "\(key) must be a number from \(range.lowerBound) to \(range.upperBound)"
        case (.weights, .object(let object)):
            var positive = false
            for (name, weight) in object {
                guard Domain(rawValue: name) != nil else {
                    return "\(key): '\(name)' is not a domain (\(Domain.allCases.map(\.rawValue).joined(separator: ", ")))"
                }
                guard case .number(let w) = weight, w.isFinite, w >= 0 else { return "\(key): the weight of \(name) must be a number ≥ 0" }
                if w > 0 { positive = true }
            }
            return positive ? nil : "\(key): at least one weight must be above 0"
        case (.stringList, .array(let items)):
            for item in items {
                guard case .string(let s) = item, !s.isEmpty else { return "\(key) must be a JSON array of non-empty strings" }
            }
            return items.isEmpty ? "\(key) must not be empty" : nil
        case (.string(let words), .string(let s)):
            if words.isEmpty || words.contains(s) { return s.isEmpty ? "\(key) must not be empty" : nil }
            return "\(key) must be one of \(words.joined(separator: ", "))"
        case (.environmentVariable, .string(let s)):
            let valid = s.first.map { !$0.isNumber } == true && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            return valid ? nil : "\(key) must be the name of an environment variable (letters, digits and _), e.g. SCORECARD_LLM_API_KEY"
        case (.absolutePath, .string(let s)):
            return s.hasPrefix("/") ? nil : "\(key) must be an absolute path, e.g. /etc/scorecard/llm-api-key"
        default:
            return "\(key) has the wrong type: \(expected)"
        }
    }

    /// What a value of this kind looks like, for messages.
    public var expected: String {
        switch kind {
        case .bool: return "true or false"
        case .integer(let r): return "an integer from \(r.lowerBound) to \(r.upperBound)"
        case .decimal(let r): return "a number from \(r.lowerBound) to \(r.upperBound)"
        case .weights: return #"a JSON object of domain weights, e.g. {"support":30,"communication":30,...}"#
        case .stringList: return #"a JSON array of strings, e.g. ["email","chat"]"#
        case .string(let words): return words.isEmpty ? "a string" : "one of \(words.joined(separator: ", "))"
        case .environmentVariable: return "an environment variable's name"
        case .absolutePath: return "an absolute file path"
        }
    }
}

extension SettingSpec {
    static func weights(_ pairs: [(Domain, Double)]) -> JSONValue {
        .object(Dictionary(uniqueKeysWithValues: pairs.map { ($0.0.rawValue, JSONValue.number($0.1)) }))
    }

    /// Seed 002's weight table (percent per domain), by team type; `nil` is the default column.
    public static let seedWeights: [TeamType?: JSONValue] = [
        nil: weights([(.support, 20), (.operations, 15), (.fieldService, 15), (.communication, 20), (.sales, 20), (.dataQuality, 10)]),
        .operations: weights([(.support, 15), (.operations, 25), (.fieldService, 20), (.communication, 15), (.sales, 15), (.dataQuality, 10)]),
        .support: weights([(.support, 30), (.operations, 10), (.fieldService, 5), (.communication, 30), (.sales, 15), (.dataQuality, 10)]),
        .fieldService: weights([(.support, 10), (.operations, 15), (.fieldService, 35), (.communication, 10), (.sales, 20), (.dataQuality, 10)]),
    ]

    /// Every setting the server knows, in seed order.
    public static let all: [SettingSpec] = [
        SettingSpec(key: "scoring_enabled", kind: .bool, defaultValue: .bool(true), nullable: false, summary: "Master toggle for score computation"),
        SettingSpec(key: "review_generation_enabled", kind: .bool, defaultValue: .bool(false), nullable: false, summary: "Automatic reviews for flagged people after weekly scoring"),
        SettingSpec(key: "domain_weights", kind: .weights, defaultValue: seedWeights[nil]!, nullable: false, summary: "Default weight % per domain"),
        SettingSpec(key: "domain_weights_operations", kind: .weights, defaultValue: .null, nullable: true, summary: "Weights for operations teams (null: seed 002's operations column)"),
        SettingSpec(key: "domain_weights_support", kind: .weights, defaultValue: .null, nullable: true, summary: "Weights for support teams (null: seed 002's support column)"),
        SettingSpec(key: "domain_weights_field_service", kind: .weights, defaultValue: .null, nullable: true, summary: "Weights for field service teams (null: seed 002's field_service column)"),
        SettingSpec(key: "domain_weights_sales_profile", kind: .weights, defaultValue: .null, nullable: true, summary: "Weights for sales-heavy activity profiles (null: no override)"),
        SettingSpec(key: "sales_profile_min_ratio", kind: .decimal(0...1), defaultValue: .number(0.5), nullable: false, summary: "Min sales activity ratio for the sales profile weights"),
        SettingSpec(key: "flagged_threshold", kind: .integer(0...100), defaultValue: .number(70), nullable: false, summary: "Composite below this flags a person for an automatic review"),
        SettingSpec(key: "peer_comparison_min_team_size", kind: .integer(1...1000), defaultValue: .number(3), nullable: false, summary: "Min team size for peer comparison (privacy)"),
        SettingSpec(key: "review_sample_tickets", kind: .integer(0...20), defaultValue: .number(3), nullable: false, summary: "Tickets sampled for a review"),
        SettingSpec(key: "review_sample_conversations", kind: .integer(0...20), defaultValue: .number(3), nullable: false, summary: "Conversations sampled for a review"),
        SettingSpec(key: "review_sample_work_orders", kind: .integer(0...20), defaultValue: .number(2), nullable: false, summary: "Work orders sampled for a review"),
        SettingSpec(key: "review_sample_max_chars", kind: .integer(0...10000), defaultValue: .number(600), nullable: false, summary: "Max characters per sample after redaction"),
        SettingSpec(key: "max_reviews_per_run", kind: .integer(0...10000), defaultValue: .number(20), nullable: false, summary: "Cap on reviews per flagged run; the rest wait for the next run"),
        SettingSpec(key: "review_manual_daily_limit_per_manager", kind: .integer(0...10000), defaultValue: .number(25), nullable: false, summary: "On-demand reviews one manager may ask for per UTC day"),
        SettingSpec(key: "review_cooldown_hours", kind: .integer(0...8760), defaultValue: .number(24), nullable: false, summary: "Min hours before a person's review for a period is rewritten (admins may force)"),
        SettingSpec(key: "sla_compliance_target", kind: .integer(0...100), defaultValue: .number(90), nullable: false, summary: "SLA compliance % a team should reach each week; weeks below it are marked on the feedback dashboard"),
        SettingSpec(key: "communication_channels", kind: .stringList, defaultValue: .array(["email", "chat", "phone", "sms", "social"].map(JSONValue.string)), nullable: false, summary: "Channels available, the denominator of channel coverage"),
        SettingSpec(key: "llm_provider", kind: .string(["rule-based", "openai-compatible", "vllm"]), defaultValue: .string("rule-based"), nullable: false, summary: "Who writes reviews: rule-based, or openai-compatible (vllm is a synonym)"),
        SettingSpec(key: "vllm_base_url", kind: .string([]), defaultValue: .null, nullable: true, summary: "OpenAI-compatible base URL, e.g. http://vllm:8000/v1"),
        SettingSpec(key: "vllm_model", kind: .string([]), defaultValue: .null, nullable: true, summary: "Model id"),
        SettingSpec(
            key: "vllm_api_key_env", kind: .environmentVariable, defaultValue: .null, nullable: true,
            summary: "The environment variable of the server that holds the API key, when the gateway needs one"),
        SettingSpec(
            key: "vllm_api_key_file", kind: .absolutePath, defaultValue: .null, nullable: true,
            summary: "The file (mode 0600, the server's user's alone) that holds the API key, when the gateway needs one"),
        SettingSpec(key: "vllm_timeout_seconds", kind: .integer(1...600), defaultValue: .number(30), nullable: false, summary: "Timeout per LLM request"),
        SettingSpec(key: "vllm_max_retries", kind: .integer(0...10), defaultValue: .number(2), nullable: false, summary: "Retries for transient LLM failures"),
        SettingSpec(
            key: "vllm_max_tokens", kind: .integer(1...100_000), defaultValue: .number(Double(LLMSettings.defaultMaxTokens)), nullable: false,
            summary: "Max completion tokens"),
        SettingSpec(
            key: "vllm_response_format", kind: .string(ResponseFormat.allCases.map(\.rawValue)), defaultValue: .string("auto"), nullable: false,
            summary: "How the review's JSON schema is sent: json_schema, json_object_schema, json_object, or auto (try each, remember what works)"),
    ]

    /// The setting called `key`.
    public static func named(_ key: String) -> SettingSpec? { all.first { $0.key == key } }

    /// Settings that are no longer kept, with what to do instead.
    public static let retired: [String: String] = [
        "vllm_api_key":
            "the LLM API key is no longer stored in the database: put it in a file readable by the server's user alone (chmod 600) and set vllm_api_key_file to its path, or in an environment variable of the server and set vllm_api_key_env to its name (docs/operations.md)"
    ]
}
