import Foundation
import ScorecardCore

/// One recent item a review may cite as evidence (seed 002: sampled tickets, conversations and
/// work orders). `text` is the raw summary as ingested: a coach redacts and caps it before use.
public struct ActivitySample: Sendable, Hashable {
    /// `ticket`, `conversation` or `work_order`.
    public var kind: String
    /// How the review cites it, e.g. `Ticket T-1042`.
    public var reference: String
    /// The item's summary as ingested (may hold personal data).
    public var text: String
    /// Outcome facts the rule-based coach reasons from, e.g. `sla_met: "false"`, `resolution_minutes: "95"`.
    public var facts: [String: String]

    public init(kind: String, reference: String, text: String, facts: [String: String]) {
        self.kind = kind
        self.reference = reference
        self.text = text
        self.facts = facts
    }
}

/// Everything a coach is given about one person and week.
public struct ReviewInput: Sendable {
    public var personID: String
    public var personName: String
    /// The scored week; `snapshot` holds its composite, weights and per-domain metrics.
    public var snapshot: Snapshot
    /// The team's mean of each metric key this week, when the person is in a team with data.
    public var teamAverages: [String: Double]
    /// Recent items, newest first, at most seed 002's sample counts per kind.
    public var samples: [ActivitySample]
    /// The most characters of a sample's text a prompt may carry after redaction
    /// (`review_sample_max_chars`).
    public var sampleMaxChars: Int

    public init(personID: String, personName: String, snapshot: Snapshot, teamAverages: [String: Double], samples: [ActivitySample], sampleMaxChars: Int) {
        self.personID = personID
        self.personName = personName
        self.snapshot = snapshot
        self.teamAverages = teamAverages
        self.samples = samples
        self.sampleMaxChars = sampleMaxChars
    }
}

/// A coach's answer: the review text plus what it cost.
public struct CoachOutput: Sendable, Hashable {
    public var content: ReviewContent
    /// `rule-based`, or the model id the LLM reported.
    public var model: String
    public var tokensIn: Int
    public var tokensOut: Int

    public init(content: ReviewContent, model: String, tokensIn: Int, tokensOut: Int) {
        self.content = content
        self.model = model
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
    }
}

/// Why a coach could not write a review; recorded on the failed run, never shown the prompt.
public struct CoachError: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// Writes coaching reviews: the rule-based coach, or an OpenAI-compatible LLM.
public protocol Coach: Sendable {
    /// Writes one review; throws ``CoachError`` after its own retries are spent.
    func review(_ input: ReviewInput) async throws -> CoachOutput
}

/// The LLM settings of seed 002 (`vllm_*`), read from the server's settings.
public struct LLMSettings: Sendable, Hashable {
    /// OpenAI-compatible base URL, e.g. `http://vllm:8000/v1`; requests go to `<base>/chat/completions`.
    public var baseURL: String
    public var model: String
    public var apiKey: String?
    public var timeoutSeconds: Double
    public var maxRetries: Int
    public var maxTokens: Int
    /// How the request carries the review's JSON schema (`vllm_response_format`).
    public var responseFormat: ResponseFormat

    public init(
        baseURL: String, model: String, apiKey: String? = nil, timeoutSeconds: Double = 30, maxRetries: Int = 2,
        maxTokens: Int = LLMSettings.defaultMaxTokens, responseFormat: ResponseFormat = .auto
    ) {
        self.baseURL = baseURL
        self.model = model
        self.apiKey = apiKey
        self.timeoutSeconds = timeoutSeconds
        self.maxRetries = maxRetries
        self.maxTokens = maxTokens
        self.responseFormat = responseFormat
    }

    /// `vllm_max_tokens`'s default: room for the longest answer ``ReviewSchema`` allows (about
    /// 1,000 tokens); measured reviews take far less (docs/performance.md).
    public static let defaultMaxTokens = 1024
}
