import ArgumentParser
import Foundation
import Logging
import ScorecardCore
import ScorecardServer
import ScorecardTesting

/// Seconds and tokens per review written by a real small model (SmolLM2-135M-Instruct under
/// llama-cpp-python's server, from the venv `.ci/llm-venv` builds) for each response format: the
/// measurement behind `vllm_max_tokens`'s default and the figures in docs/performance.md.
struct LLMReviewsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "llm-reviews",
        abstract: "Seconds and tokens per review by SmolLM2-135M under llama-cpp-python, per response format (needs bash .ci/llm-venv).")
    @Option(help: "Reviews per response format.") var reviews = 8
    @Option(help: "Response formats, comma-separated.") var formats = "json_schema,auto,json_object_schema,json_object"
    @Option(help: "max_tokens of each request.") var maxTokens = LLMSettings.defaultMaxTokens
    @Option(help: "Deadline of one request, seconds.") var timeout = 300.0
    @Option(help: "Threads of the model server.") var threads = 1
    @Option(help: "A directory to write the model's answers that failed to (the inputs are made up).") var failures: String?
    @Flag(help: "Print the first valid review of each form.") var show = false

    func run() async throws {
        let llama = try await LlamaServer.start(threads: threads)
        defer { llama.stop() }
        let proxy = try await RecordingProxy.start(upstream: llama.baseURL)
        print("llama-cpp-python server, \(URL(fileURLWithPath: llama.model).lastPathComponent), n_ctx \(LlamaServer.contextTokens), \(threads) threads")
        print("form                 valid  s/review p50   max   tokens in p50  tokens out p50   max")
        var quiet = Logger(label: "bench")
        quiet.logLevel = .critical
        for name in formats.split(separator: ",") {
            guard let form = ResponseFormat(rawValue: String(name)) else { throw ValidationError("unknown response format \(name)") }
            let settings = LLMSettings(
                baseURL: proxy.baseURL, model: llama.modelID, timeoutSeconds: timeout, maxRetries: 0, maxTokens: maxTokens, responseFormat: form)
            let coach = OpenAICompatibleCoach(settings: settings, logger: quiet, formMemory: ResponseFormatMemory())
            var times: [Double] = []
            var tokensIn: [Double] = []
            var tokensOut: [Double] = []
            var valid = 0
            var reasons: [String: Int] = [:]
            for n in 0..<reviews {
                let before = proxy.exchanges.count
                let start = ContinuousClock.now
                do {
                    let output = try await coach.review(Self.input(n))
                    valid += 1
                    if show, valid == 1 {
                        let encoder = JSONEncoder()
                        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                        print(String(decoding: try encoder.encode(output.content), as: UTF8.self))
                    }
                } catch let error as CoachError {
                    reasons[String(error.reason.prefix(110)), default: 0] += 1
                    if let dir = failures, let last = proxy.exchanges.last {
                        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                        try last.response.write(to: URL(fileURLWithPath: "\(dir)/\(form.rawValue)-\(n).json"))
                    }
                }
                times.append(seconds(ContinuousClock.now - start))
                for exchange in proxy.exchanges.dropFirst(before) {
                    if let t = exchange.promptTokens { tokensIn.append(Double(t)) }
                    if let t = exchange.completionTokens { tokensOut.append(Double(t)) }
                }
            }
            print(
                "\(form.rawValue.padding(toLength: 20, withPad: " ", startingAt: 0)) \(valid)/\(reviews)   "
                    + "\(fmt(median(times), 1).leftPad(9)) \(fmt(times.max() ?? 0, 1).leftPad(6))   "
                    + "\(fmt(median(tokensIn)).leftPad(13))  \(fmt(median(tokensOut)).leftPad(14)) \(fmt(tokensOut.max() ?? 0).leftPad(5))")
            for (reason, count) in reasons.sorted(by: { $0.value > $1.value }) { print("    \(count)× \(reason)") }
        }
        await proxy.stop()
    }

    /// The review input of person `n`: three domains with figures that vary by person, and six
    /// samples whose texts hold personal data for the redactor.
    static func input(_ n: Int) -> ReviewInput {
        let shift = Double(n % 5) * 4
        func domain(_ d: Domain, raw: Double, weight: Double, _ metrics: [(String, Double, Double)]) -> (DomainScore, Double) {
            var values: [String: Double] = [:]
            for m in metrics {
                values[m.0] = m.1
                values[m.0 + "_points"] = m.2
            }
            return (DomainScore(domain: d, rawScore: raw, weightedScore: (raw * weight).rounded() / 100, metrics: values), weight)
        }
        let domains = [
            domain(
                .support, raw: 46 + shift, weight: 40,
                [("sla_compliance_rate", 62 + shift, 24.8), ("avg_resolution_minutes", 110 - shift, 0), ("escalation_rate", 18, 12), ("csat_avg", 3.9, 7.8)]),
            domain(
                .communication, raw: 58 + shift, weight: 40,
                [("avg_first_response_minutes", 22, 12), ("avg_conversation_resolution_minutes", 55, 5), ("conversations_resolved", 21, 21), ("channel_coverage", 60, 20)]),
            domain(
                .fieldService, raw: 64, weight: 20,
                [("work_order_completion_rate", 90, 27), ("avg_schedule_delay_minutes", 19, 15), ("duration_accuracy", 70, 14), ("documentation_rate", 40, 8)]),
        ]
        let week = ISOWeek("2026-W47")!
        let composite = domains.reduce(0) { $0 + $1.0.weightedScore }
        let snapshot = Snapshot(
            personID: "agent-\(n)", period: week, compositeScore: composite,
            domainScores: Dictionary(uniqueKeysWithValues: domains.map { ($0.0.domain.rawValue, $0.0.rawScore) }),
            weights: Dictionary(uniqueKeysWithValues: domains.map { ($0.0.domain.rawValue, $0.1) }), teamID: "team-a", teamType: "support",
            salesActivityRatio: nil, domains: domains.map(\.0), createdAt: "2026-11-23T02:00:00Z", updatedAt: "2026-11-23T02:00:00Z", version: 1)
        let id = 1040 + n * 10
        let samples = [
            ActivitySample(
                kind: "ticket", reference: "Ticket T-\(id)",
                text: "Customer jane.doe@example.com (call +44 20 7946 0958) says invoice INV-2026-0042 was charged twice; refunded after escalation.",
                facts: ["sla_met": "false", "escalated": "true", "resolution_minutes": "\(95 + n)"]),
            ActivitySample(
                kind: "ticket", reference: "Ticket T-\(id + 1)", text: "Password reset for account 12345678; resolved in 30 minutes.",
                facts: ["sla_met": "true", "resolution_minutes": "30", "escalated": "false"]),
            ActivitySample(
                kind: "ticket", reference: "Ticket T-\(id + 2)", text: "Delivery delayed; customer asked for a callback which was made the next day.",
                facts: ["sla_met": "false", "resolution_minutes": "240", "escalated": "false"]),
            ActivitySample(kind: "conversation", reference: "Conversation C-\(id)", text: "Asked about opening hours over chat.", facts: ["resolved": "true"]),
            ActivitySample(
                kind: "conversation", reference: "Conversation C-\(id + 1)", text: "Complaint about a late engineer visit, answered after 2 hours.",
                facts: ["resolved": "false", "first_response_minutes": "120"]),
            ActivitySample(
                kind: "work_order", reference: "Work order WO-\(id)", text: "Replaced router at 221B Baker Street; no notes left on the job.",
                facts: ["delay_minutes": "25", "has_notes": "false"]),
        ]
        return ReviewInput(
            personID: "agent-\(n)", personName: "Alex Example", snapshot: snapshot,
            teamAverages: ["sla_compliance_rate": 85, "avg_resolution_minutes": 60, "avg_first_response_minutes": 15, "conversations_resolved": 25],
            samples: samples, sampleMaxChars: 600)
    }
}
