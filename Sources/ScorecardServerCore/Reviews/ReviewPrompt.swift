import ScorecardCore

/// The two prompts of seed 002's "Prompt Structure": the system prompt sets the coaching persona
/// and the JSON output schema; the user prompt carries the week's numbers and the samples.
///
/// Data minimisation: the person's name and id are left out, sample texts go through
/// ``Redactor/excerpt(_:maxChars:)`` (never raw), and sample facts and references are redacted too.
public enum ReviewPrompt {
    /// The system prompt.
    public static let system = """
        You are an experienced, supportive performance coach for customer support, operations and field \
        service staff. You write a short weekly coaching review from the scorecard figures and activity \
        samples you are given.

        Reply with one JSON object and nothing else, following this schema:
        {
          "summary": "2-3 sentence overall assessment",
          "strengths": ["evidence-based strength..."],
          "improvements": ["specific area with metric + target..."],
          "recommendations": [
            {"priority": "high", "category": "response_time", "action": "...", "impact": "..."}
          ],
          "callouts": [
            {"type": "positive|concern", "reference": "Ticket #1234", "observation": "..."}
          ]
        }

        Rules:
        - Base every statement on the figures and samples given. Never invent numbers, items or events.
        - Each strength cites the metric value behind it; each improvement names the metric, its current \
        value and a concrete target (use the team average when it is given).
        - priority is exactly one of "high", "medium", "low"; high goes to the gaps that cost the most \
        points in the most heavily weighted domains. category is a short snake_case word such as \
        response_time, sla, escalations, documentation, schedule_adherence.
        - impact says what reaching the target is worth, in points where you can.
        - callouts: type is exactly "positive" or "concern"; reference is copied exactly from the samples \
        list; no callouts when there are no samples.
        - [email], [phone], [token], [account], [address] and [payment] mark text removed for privacy: \
        do not guess it or mention it.
        - Speak to the person as "you"; be specific, constructive and brief.
        """

    /// The user prompt: period, composite, domain table, metric details with team averages, and
    /// the samples as redacted excerpts of at most `input.sampleMaxChars` characters.
    public static func user(_ input: ReviewInput) -> String {
        let snapshot = input.snapshot
        var lines: [String] = []
        lines.append("Review period: \(snapshot.period) (\(snapshot.periodStart) to \(snapshot.periodEnd))")
        if let teamType = snapshot.teamType { lines.append("Team type: \(teamType)") }
        lines.append("Composite score: \(ReviewFormat.number(snapshot.compositeScore)) / 100")
        lines.append("")
        lines.append("Domain scores (raw score 0-100 | weight % | weighted points):")
        if snapshot.domains.isEmpty { lines.append("- none: no activity was scored this week") }
        for score in snapshot.domains {
            let weight = MetricResult.effectiveWeight(of: score, in: snapshot)
            lines.append(
                "- \(score.domain.rawValue): \(ReviewFormat.number(score.rawScore)) | \(ReviewFormat.number(weight))% | \(ReviewFormat.number(score.weightedScore))"
            )
        }
        lines.append("")
        lines.append("Metric details (value | points earned of max | team average):")
        var described: Set<String> = []
        for score in snapshot.domains {
            for info in MetricCatalogue.metrics(of: score.domain) {
                guard let value = score.metrics[info.key] else { continue }
                described.insert(info.key)
                var line = "- \(score.domain.rawValue) / \(info.key) (\(MetricAdvice.of(info).label)"
                line += info.lowerIsBetter ? ", lower is better): " : "): "
                line += ReviewFormat.value(value, unit: info.unit)
                if let points = score.metrics[info.key + "_points"] {
                    line += " | \(ReviewFormat.number(points)) of \(ReviewFormat.number(info.maxPoints)) points"
                }
                if let team = input.teamAverages[info.key] { line += " | team average \(ReviewFormat.value(team, unit: info.unit))" }
                lines.append(line)
            }
        }
        let otherAverages = input.teamAverages.keys.filter { !described.contains($0) }.sorted()
        if !otherAverages.isEmpty {
            lines.append("")
            lines.append("Other team averages:")
            for key in otherAverages {
                let unit = MetricCatalogue.metric(key)?.unit ?? ""
                lines.append("- \(key): \(ReviewFormat.value(input.teamAverages[key]!, unit: unit))")
            }
        }
        lines.append("")
        lines.append("Activity samples (redacted excerpts, at most \(input.sampleMaxChars) characters each):")
        if input.samples.isEmpty { lines.append("- none") }
        for (n, sample) in input.samples.enumerated() {
            var line = "\(n + 1). [\(Redactor.redact(sample.kind))] \(Redactor.redact(sample.reference))"
            if !sample.facts.isEmpty {
                let facts = sample.facts.keys.sorted().map { "\(Redactor.redact($0))=\(Redactor.redact(sample.facts[$0]!))" }
                line += " | facts: " + facts.joined(separator: ", ")
            }
            lines.append(line)
            lines.append("   Excerpt: \"\(Redactor.excerpt(sample.text, maxChars: input.sampleMaxChars))\"")
        }
        lines.append("")
        lines.append("Write the review as one JSON object following the schema.")
        return lines.joined(separator: "\n")
    }
}
