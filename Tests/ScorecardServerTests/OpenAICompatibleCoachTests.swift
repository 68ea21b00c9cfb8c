import Foundation
import Logging
import ScorecardCore
import ScorecardServer
import ScorecardTesting
import Testing

/// The coach against a real local chat-completions server.
@Suite("OpenAI-compatible coach")
struct OpenAICompatibleCoachTests {
    static let answer = ReviewContent(
        summary: "Composite 66.1: field service leads, support trails.",
        strengths: ["Conversations resolved 30, above the team's 25."],
        improvements: ["SLA compliance 72% → reach 90% (team average 85%)."],
        recommendations: [
            Recommendation(priority: "medium", category: "documentation", action: "Add notes to every work order.", impact: "+8 points"),
            Recommendation(priority: "high", category: "sla", action: "Work tickets in deadline order.", impact: "+7.2 points"),
        ],
        callouts: [Callout(type: "concern", reference: "Ticket T-1042", observation: "Missed its SLA.")])

    /// What a failure says to do when the prompt does not fit the model's context.
    static let contextAdvice =
        "lower review_sample_max_chars or the review_sample_* counts, or vllm_max_tokens, or give the model server a larger context (llama.cpp: --n_ctx, vLLM: --max-model-len)"

    /// Attempt failures are logged as warnings; tests keep them off the console.
    static let quiet: Logger = {
        var logger = Logger(label: "coach-tests")
        logger.logLevel = .critical
        return logger
    }()

    /// Starts a server with `script`, runs `body` with a coach pointed at it, and stops the server.
    func withLLM(
        _ script: [ChatCompletionsServer.Behaviour], apiKey: String? = nil, timeout: Double = 2, maxRetries: Int = 2,
        format: ResponseFormat = .auto, memory: ResponseFormatMemory = ResponseFormatMemory(),
        _ body: (OpenAICompatibleCoach, ChatCompletionsServer) async throws -> Void
    ) async throws {
        let server = try await ChatCompletionsServer.start(script)
        let settings = LLMSettings(
            baseURL: server.baseURL + "/", model: "coach-model", apiKey: apiKey, timeoutSeconds: timeout, maxRetries: maxRetries,
            maxTokens: 900, responseFormat: format)
        let coach = OpenAICompatibleCoach(settings: settings, retryBackoff: .milliseconds(20), logger: Self.quiet, formMemory: memory)
        do {
            try await body(coach, server)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    /// The reason of the ``CoachError`` `body` throws.
    func coachError(_ body: () async throws -> Void) async -> String? {
        do {
            try await body()
            return nil
        } catch let error as CoachError {
            return error.reason
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test func validAnswerIsParsedAndCounted() async throws {
        try await withLLM([.review(Self.answer, model: "served-model", promptTokens: 1500, completionTokens: 800)]) { coach, server in
            let output = try await coach.review(ReviewFixtures.threeDomains())
            #expect(output.model == "served-model")
            #expect(output.tokensIn == 1500 && output.tokensOut == 800)
            #expect(output.content.summary == Self.answer.summary)
            // Ordered by priority.
            #expect(output.content.recommendations.map(\.priority) == ["high", "medium"])
            #expect(output.content.callouts == Self.answer.callouts)
            #expect(server.requestCount == 1)

            let chat = try #require(server.requests.first?.chat)
            #expect(chat.model == "coach-model")
            #expect(chat.maxTokens == 900)
            #expect(chat.temperature == 0.2)
            // auto starts with OpenAI's and vLLM's form, strict, without string lengths.
            #expect(chat.responseFormat?.form == "json_schema")
            let format = try #require(server.requests.first.flatMap { try? JSONDecoder().decode(JSONValue.self, from: $0.body) })
            guard case .object(let fields) = format, case .object(let rf)? = fields["response_format"], case .object(let js)? = rf["json_schema"]
            else { Issue.record("no json_schema in \(format)"); return }
            #expect(js["name"] == "coaching_review")
            #expect(js["strict"] == true)
            #expect(!(server.requests.first?.text.contains("maxLength") ?? true))
            #expect(chat.messages.map(\.role) == ["system", "user"])
            #expect(chat.messages[0].content?.contains("\"recommendations\"") == true)
            #expect(server.requests.first?.headers["authorization"] == nil)
        }
    }

    @Test func promptCarriesTheNumbersAndOnlyRedactedCappedExcerpts() async throws {
        try await withLLM([.review(Self.answer)]) { coach, server in
            var input = ReviewFixtures.threeDomains()
            input.sampleMaxChars = 120
            _ = try await coach.review(input)
            let prompt = try #require(server.requests.first?.message("user"))
            let raw = server.requests.first?.text ?? ""
            for secret in [
                "jane.doe@example.com", "7946 0958", "4111 1111", "INV-2026-0042", "12345678", "Baker Street", "Alex Example", "agent-7",
            ] {
                #expect(!raw.contains(secret), "the request holds \(secret)")
            }
            for placeholder in ["[email]", "[phone]", "[payment]", "[account]", "[address]"] {
                #expect(prompt.contains(placeholder), "the prompt lacks \(placeholder)")
            }
            #expect(prompt.contains("Review period: 2026-W47 (2026-11-16 to 2026-11-22)"))
            #expect(prompt.contains("Composite score: 66.1 / 100"))
            #expect(prompt.contains("- support: 56 | 40% | 22.4"))
            #expect(prompt.contains("sla_compliance_rate (SLA compliance): 72% | 28.8 of 40 points | team average 85%"))
            #expect(prompt.contains("Ticket T-1042 | facts: escalated=true, resolution_minutes=95, sla_met=false"))
            let excerpts = prompt.split(separator: "\n").filter { $0.hasPrefix("   Excerpt: ") }
            #expect(excerpts.count == 4)
            for line in excerpts {
                let text = line.dropFirst("   Excerpt: \"".count).dropLast()
                #expect(text.count <= 120, "excerpt of \(text.count) characters")
            }
        }
    }

    @Test func apiKeyIsSentAsBearer() async throws {
        try await withLLM([.review(Self.answer)], apiKey: "sk-test-123") { coach, server in
            _ = try await coach.review(ReviewFixtures.threeDomains())
            #expect(server.requests.first?.headers["authorization"] == "Bearer sk-test-123")
        }
    }

    @Test func invalidJSONIsRetriedThenReported() async throws {
        try await withLLM([ChatCompletionsServer.Behaviour.invalidJSON]) { coach, server in
            let reason = await coachError { _ = try await coach.review(ReviewFixtures.threeDomains()) }
            #expect(reason == "LLM answer is not valid JSON: malformed or incomplete JSON object (three attempts)")
            #expect(server.requestCount == 3)
        }
    }

    @Test func timeoutIsRetriedThenReported() async throws {
        try await withLLM([.delay(.seconds(3), then: .review(Self.answer))], timeout: 0.3, maxRetries: 1) { coach, server in
            let start = ContinuousClock.now
            let reason = await coachError { _ = try await coach.review(ReviewFixtures.threeDomains()) }
            #expect(reason == "LLM timed out after 0.3s two times")
            // Waiting out both 3 s answers would take 6 s; the bound leaves room for a loaded machine.
            #expect(ContinuousClock.now - start < .seconds(5))
            #expect(server.requestCount == 2)
        }
    }

    @Test func slowFirstAnswerThenSuccess() async throws {
        // The first answer comes long after the timeout; the retry answers at once. The timeout leaves
        // room for that second request on a loaded two-core machine (1.5 s once was not enough).
        try await withLLM([.delay(.seconds(8), then: .review(Self.answer)), .review(Self.answer)], timeout: 3) { coach, server in
            let output = try await coach.review(ReviewFixtures.threeDomains())
            #expect(output.content.summary == Self.answer.summary)
            #expect(server.requestCount == 2)
        }
    }

    @Test func serverErrorsAreRetriedUntilAValidAnswer() async throws {
        try await withLLM([.status(500), .status(503), .review(Self.answer)]) { coach, server in
            let output = try await coach.review(ReviewFixtures.threeDomains())
            #expect(output.content.summary == Self.answer.summary)
            #expect(server.requestCount == 3)
        }
    }

    @Test(arguments: [0, 1, 3])
    func serverErrorForeverStopsAfterOnePlusMaxRetries(maxRetries: Int) async throws {
        try await withLLM([.status(500)], maxRetries: maxRetries) { coach, server in
            let reason = await coachError { _ = try await coach.review(ReviewFixtures.threeDomains()) }
            let times = [0: "", 1: " two times", 3: " four times"][maxRetries]!
            let expected = "LLM answered 500\(times): scripted failure"
            #expect(reason == expected)
            #expect(server.requestCount == 1 + maxRetries)
        }
    }

    @Test func tooManyRequestsIsRetried() async throws {
        try await withLLM([.status(429), .review(Self.answer)]) { coach, server in
            _ = try await coach.review(ReviewFixtures.threeDomains())
            #expect(server.requestCount == 2)
        }
    }

    @Test func clientErrorsAreNotRetried() async throws {
        try await withLLM([.status(401)]) { coach, server in
            let reason = await coachError { _ = try await coach.review(ReviewFixtures.threeDomains()) }
            #expect(reason == "LLM answered 401: scripted failure (check the key vllm_api_key_env or vllm_api_key_file names)")
            #expect(server.requestCount == 1)
        }
    }

    @Test func mixedFailuresNameTheLastAndTheEarlier() async throws {
        try await withLLM([.status(502), .body("<html>gateway</html>"), .status(400)]) { coach, server in
            let reason = await coachError { _ = try await coach.review(ReviewFixtures.threeDomains()) }
            #expect(
                reason
                    == "LLM answered 400: scripted failure (three attempts; earlier: LLM answered 502: scripted failure; "
                    + "LLM response is not a chat completion: the content is not JSON)")
            #expect(server.requestCount == 3)
        }
    }

    @Test func fencedJSONIsAcceptedAndInventedReferencesDropped() async throws {
        let json = """
            ```json
            {"summary": " Good week. ", "strengths": [], "improvements": [], "recommendations": [
              {"priority": "HIGH", "category": "Response Time", "action": "Reply faster.", "impact": "+3 points"}],
             "callouts": [
              {"type": "positive", "reference": "ticket #t-1043", "observation": "Fast."},
              {"type": "concern", "reference": "Ticket T-9999", "observation": "Invented."},
              {"type": "concern", "reference": "T-1042 (escalated)", "observation": "Slow."},
              {"type": "concern", "reference": "Ticket T-104", "observation": "Near miss."}]}
            ```
            """
        try await withLLM([.content(json)]) { coach, _ in
            let content = try await coach.review(ReviewFixtures.threeDomains()).content
            #expect(content.summary == "Good week.")
            #expect(
                content.recommendations == [
                    Recommendation(priority: "high", category: "response_time", action: "Reply faster.", impact: "+3 points")
                ])
            #expect(
                content.callouts == [
                    Callout(type: "positive", reference: "Ticket T-1043", observation: "Fast."),
                    Callout(type: "concern", reference: "Ticket T-1042", observation: "Slow."),
                ])
        }
    }

    /// llama-cpp-python's grammar lets a raw line break into a string (seen with SmolLM2-135M).
    @Test func rawLineBreaksInsideStringsAreAccepted() async throws {
        let json = "{\"summary\": \"Line one.\n\nLine two.\tEnd.\", \"strengths\": [], \"improvements\": [],\n \"recommendations\": [], \"callouts\": []}"
        try await withLLM([.content(json)], maxRetries: 0) { coach, _ in
            let content = try await coach.review(ReviewFixtures.threeDomains()).content
            #expect(content.summary == "Line one.\n\nLine two.\tEnd.")
        }
    }

    @Test(arguments: [
        (#"{"summary": "", "strengths": [], "improvements": [], "recommendations": [], "callouts": []}"#, "the summary is empty"),
        (#"{"summary": "x", "strengths": [], "improvements": [], "callouts": []}"#, "missing field 'recommendations'"),
        (
            #"{"summary": "x", "strengths": [], "improvements": [], "recommendations": [{"priority": "urgent", "category": "a", "action": "b", "impact": "c"}], "callouts": []}"#,
            "recommendations[0].priority is 'urgent', not high, medium or low"
        ),
        (
            #"{"summary": "x", "strengths": [], "improvements": [], "recommendations": [], "callouts": [{"type": "neutral", "reference": "Ticket T-1042", "observation": "o"}]}"#,
            "callouts[0].type is 'neutral', not positive or concern"
        ),
    ])
    func schemaViolationsAreRetriedThenReported(content: String, problem: String) async throws {
        try await withLLM([.content(content)], maxRetries: 1) { coach, server in
            let reason = await coachError { _ = try await coach.review(ReviewFixtures.threeDomains()) }
            #expect(reason == "LLM answer does not follow the review schema: \(problem) (two attempts)")
            #expect(server.requestCount == 2)
        }
    }

    @Test func answerCutAtMaxTokensSaysSoAndIsNotRetriedWithTheSameBudget() async throws {
        try await withLLM([.content(#"{"summary": "The week was"#, finishReason: "length")], maxRetries: 2) { coach, server in
            let reason = await coachError { _ = try await coach.review(ReviewFixtures.threeDomains()) }
            #expect(
                reason
                    == "LLM answer is not valid JSON: malformed or incomplete JSON object; it was cut off at max_tokens 900, raise vllm_max_tokens"
            )
            #expect(server.requestCount == 1)
        }
    }

    /// llama-cpp-python shortens `max_tokens` to what is left of `n_ctx` after the prompt, so an
    /// answer can stop at `length` well short of the budget: raising the budget would not help.
    @Test func answerCutShortOfMaxTokensBlamesTheContext() async throws {
        try await withLLM([.content(#"{"summary": "The week was"#, finishReason: "length", completionTokens: 312)]) { coach, server in
            let reason = await coachError { _ = try await coach.review(ReviewFixtures.threeDomains()) }
            #expect(
                reason
                    == "LLM answer is not valid JSON: malformed or incomplete JSON object; it was cut off after 312 tokens, short of max_tokens 900: "
                    + "the prompt (100 tokens) and the answer filled the model's context; " + Self.contextAdvice)
            #expect(server.requestCount == 1)
        }
    }

    @Test func contextOverflowIsNotRetriedAndNamesTheSettings() async throws {
        try await withLLM([.contextOverflow(nCtx: 2048, promptTokens: 2500)]) { coach, server in
            let reason = await coachError { _ = try await coach.review(ReviewFixtures.threeDomains()) }
            #expect(
                reason
                    == "the review prompt does not fit the model's context (This model's maximum context length is 2048 tokens. However, you "
                    + "requested 2500 tokens (2500 in the messages, 0 in the completion). Please reduce the length of the messages or completion.); "
                    + Self.contextAdvice)
            #expect(server.requestCount == 1)
        }
    }

    @Test func autoFallsBackOnARefusedFormAndRemembersItUntilTheSettingsChange() async throws {
        let memory = ResponseFormatMemory()
        try await withLLM([.refuse(forms: ["json_schema"], then: .review(Self.answer))], memory: memory) { coach, server in
            _ = try await coach.review(ReviewFixtures.threeDomains())
            #expect(server.requests.map { $0.chat?.responseFormat?.form } == ["json_schema", "json_object_schema"])
            #expect(memory.form(for: coach.settings) == .jsonObjectSchema)

            // The next review starts with the form that worked: one request.
            _ = try await coach.review(ReviewFixtures.threeDomains())
            #expect(server.requestCount == 3)
            #expect(server.requests.last?.chat?.responseFormat?.form == "json_object_schema")

            // Changed settings probe again.
            var changed = coach.settings
            changed.maxTokens = 901
            let other = OpenAICompatibleCoach(settings: changed, retryBackoff: .milliseconds(20), logger: Self.quiet, formMemory: memory)
            _ = try await other.review(ReviewFixtures.threeDomains())
            #expect(server.requests.suffix(2).map { $0.chat?.responseFormat?.form } == ["json_schema", "json_object_schema"])
        }
    }

    @Test func refusingEveryResponseFormatIsOneClearFailure() async throws {
        let all: Set<String> = ["json_schema", "json_object_schema", "json_object"]
        try await withLLM([.refuse(forms: all, then: .review(Self.answer))]) { coach, server in
            let reason = await coachError { _ = try await coach.review(ReviewFixtures.threeDomains()) }
            #expect(reason?.hasPrefix("LLM refused every response format (json_schema, json_object_schema, json_object), last: ") == true, "\(reason ?? "")")
            #expect(reason?.hasSuffix("; check that vllm_base_url is an OpenAI-compatible chat-completions API") == true)
            #expect(server.requestCount == 3)
        }
    }

    @Test func aRefusedExplicitFormIsNotRetried() async throws {
        try await withLLM([.refuse(forms: ["json_schema"], then: .review(Self.answer))], format: .jsonSchema) { coach, server in
            let reason = await coachError { _ = try await coach.review(ReviewFixtures.threeDomains()) }
            #expect(reason?.hasPrefix("LLM refused response_format json_schema: 1 validation error") == true, "\(reason ?? "")")
            #expect(reason?.hasSuffix("; set vllm_response_format to auto or another form") == true)
            #expect(server.requestCount == 1)
        }
    }

    @Test func explicitFormsAreSentAsAsked() async throws {
        try await withLLM([.review(Self.answer)], format: .jsonObject) { coach, server in
            _ = try await coach.review(ReviewFixtures.threeDomains())
            let format = try #require(server.requests.first?.chat?.responseFormat)
            #expect(format.form == "json_object")
            #expect(format.reviewSchema == nil)
        }
        try await withLLM([.review(Self.answer)], format: .jsonObjectSchema) { coach, server in
            _ = try await coach.review(ReviewFixtures.threeDomains())
            let request = try #require(server.requests.first)
            #expect(request.chat?.responseFormat?.form == "json_object_schema")
            // Properties in the order the model should write them.
            let text = request.text
            let order = ["\"summary\"", "\"strengths\"", "\"improvements\"", "\"recommendations\"", "\"callouts\""].compactMap {
                text.range(of: $0, range: text.range(of: "\"response_format\"")!.upperBound..<text.endIndex)?.lowerBound
            }
            #expect(order.count == 5 && order == order.sorted())
            guard case .object(let schema)? = request.chat?.responseFormat?.reviewSchema, case .object(let properties)? = schema["properties"],
                case .object(let summary)? = properties["summary"], case .object(let callouts)? = properties["callouts"],
                case .object(let callout)? = callouts["items"], case .object(let calloutFields)? = callout["properties"],
                case .object(let reference)? = calloutFields["reference"]
            else {
                Issue.record("unexpected schema")
                return
            }
            #expect(summary["maxLength"] == .number(Double(ReviewSchema.summaryMaxChars)))
            #expect(schema["additionalProperties"] == false)
            // Only the sampled items may be cited, as the prompt shows them.
            let samples = ReviewFixtures.threeDomains().samples
            #expect(reference["enum"] == .array(samples.map { .string(Redactor.redact($0.reference)) }))
            #expect(callouts["maxItems"] == .number(Double(min(ReviewSchema.calloutsMaxItems, samples.count))))
        }
    }

    @Test func cancellingTheCallerStopsAtOnceWithoutRetrying() async throws {
        // The answer would come after 10 s; cancelling must end the call long before that, however
        // slowly a loaded machine got the request to the server.
        try await withLLM([.delay(.seconds(10), then: .review(Self.answer))], timeout: 30) { coach, server in
            let task = Task { try await coach.review(ReviewFixtures.threeDomains()) }
            while server.requestCount == 0 { try await Task.sleep(for: .milliseconds(10)) }
            let cancelled = ContinuousClock.now
            task.cancel()
            await #expect(throws: CancellationError.self) { try await task.value }
            #expect(ContinuousClock.now - cancelled < .seconds(4))
            #expect(server.requestCount == 1)
        }
    }

    @Test func unreachableServerAndBadURLAreReported() async throws {
        let server = try await ChatCompletionsServer.start([.status(500)])
        await server.stop()
        let closed = OpenAICompatibleCoach(
            settings: LLMSettings(baseURL: server.baseURL, model: "m", maxRetries: 1), retryBackoff: .milliseconds(10), logger: Self.quiet)
        let reason = await coachError { _ = try await closed.review(ReviewFixtures.threeDomains()) }
        #expect(reason?.hasPrefix("could not reach the LLM at 127.0.0.1:\(server.port)") == true, "\(reason ?? "")")

        let bad = OpenAICompatibleCoach(settings: LLMSettings(baseURL: "vllm:8000", model: "m"), logger: Self.quiet)
        #expect(
            await coachError { _ = try await bad.review(ReviewFixtures.threeDomains()) }
                == "vllm_base_url 'vllm:8000' is not an http(s) URL")
    }
}
