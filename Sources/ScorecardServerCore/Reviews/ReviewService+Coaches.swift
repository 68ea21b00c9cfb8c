import ScorecardCore

extension ReviewService {
    /// The coach the settings ask for: the OpenAI-compatible client when `llm_provider` is
    /// `openai-compatible` (or `vllm`) and base URL and model are set, else the rule-based coach.
    /// The API key is read from where `vllm_api_key_env` or `vllm_api_key_file` says, for each
    /// review; a key that cannot be read fails the review with the reason (``LLMKey``).
    public static let defaultCoach: CoachFactory = { settings in
        if var llm = settings.llm {
            llm.apiKey = try LLMKey.resolve(settings)
            return OpenAICompatibleCoach(settings: llm)
        }
        return RuleBasedCoach()
    }
}
