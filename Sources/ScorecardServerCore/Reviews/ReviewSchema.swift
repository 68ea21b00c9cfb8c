import ScorecardCore

/// The JSON schema of a review answer, sent as the request's response format so that servers with
/// constrained decoding (vLLM, llama.cpp, OpenAI) can only produce answers of this shape.
///
/// Callout references are an enum of the sampled items' references as the prompt shows them, so a
/// model held to the schema cannot cite an item it was not given. The length limits keep a runaway
/// answer short: at most about 3,800 characters of text in all (roughly 1,000 tokens). The answer is
/// still checked by ``ReviewAnswer``: the schema helps the model, it is not a trust boundary.
public struct ReviewSchema: Sendable, Hashable {
    /// The references a callout may name (redacted, as in the prompt), in prompt order.
    public var references: [String]

    /// Characters in the summary.
    public static let summaryMaxChars = 400
    /// Items in strengths, improvements and recommendations.
    public static let listMaxItems = 3
    /// Characters in one strength, improvement, action or observation.
    public static let itemMaxChars = 200
    /// Characters in a recommendation's impact.
    public static let impactMaxChars = 120
    /// Characters in a recommendation's category.
    public static let categoryMaxChars = 32
    /// Callouts in one review.
    public static let calloutsMaxItems = 5

    public init(samples: [ActivitySample]) {
        var seen: Set<String> = []
        references = samples.map { Redactor.redact($0.reference) }.filter { seen.insert($0).inserted }
    }

    /// The schema; `stringLengths` false leaves out `minLength` and `maxLength`.
    /// The schema as JSON text, properties in the order the model should write them.
    public func text(stringLengths: Bool) -> String { json(stringLengths: stringLengths).text }

    func json(stringLengths: Bool) -> OrderedJSON {
        func text(_ max: Int, min: Int = 1) -> OrderedJSON {
            guard stringLengths else { return ["type": "string"] }
            return ["type": "string", "minLength": .value(.number(Double(min))), "maxLength": .value(.number(Double(max)))]
        }
        func list(_ item: OrderedJSON, maxItems: Int, minItems: Int = 0) -> OrderedJSON {
            var pairs: [(String, OrderedJSON)] = [("type", "array"), ("items", item)]
            if minItems > 0 { pairs.append(("minItems", .value(.number(Double(minItems))))) }
            pairs.append(("maxItems", .value(.number(Double(maxItems)))))
            return .object(pairs)
        }
        func object(_ properties: [(String, OrderedJSON)]) -> OrderedJSON {
            [
                "type": "object", "properties": .object(properties),
                "required": .array(properties.map { .value(.string($0.0)) }), "additionalProperties": false,
            ]
        }
        let recommendation = object([
            ("priority", ["type": "string", "enum": ["high", "medium", "low"]]),
            ("category", text(Self.categoryMaxChars)),
            ("action", text(Self.itemMaxChars)),
            ("impact", text(Self.impactMaxChars, min: 0)),
        ])
        let reference: OrderedJSON =
            references.isEmpty ? ["type": "string"] : ["type": "string", "enum": .array(references.map { .value(.string($0)) })]
        let callout = object([
            ("type", ["type": "string", "enum": ["positive", "concern"]]),
            ("reference", reference),
            ("observation", text(Self.itemMaxChars)),
        ])
        return object([
            ("summary", text(Self.summaryMaxChars)),
            ("strengths", list(text(Self.itemMaxChars), maxItems: Self.listMaxItems)),
            ("improvements", list(text(Self.itemMaxChars), maxItems: Self.listMaxItems)),
            ("recommendations", list(recommendation, maxItems: Self.listMaxItems, minItems: 1)),
            ("callouts", list(callout, maxItems: min(Self.calloutsMaxItems, references.count))),
        ])
    }
}
