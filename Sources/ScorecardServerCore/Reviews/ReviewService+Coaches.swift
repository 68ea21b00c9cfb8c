import ScorecardCore

extension ReviewService {
    /// The coach the settings ask for: the OpenAI-compatible client when `llm_provider` is
    /// `openai-compatible` (or `vllm`) and base URL and model are set, else the rule-based coach.
    public static let defaultCoach: CoachFactory = { settings in
        if let llm = settings.llm { return OpenAICompatibleCoach(settings: llm) }
        return RuleBasedCoach()
    }
}
