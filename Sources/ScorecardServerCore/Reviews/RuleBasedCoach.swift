import ScorecardCore

/// Writes reviews from the metrics alone, with no LLM: the fallback when no model is configured,
/// and a baseline to judge model reviews against.
///
/// Deterministic: the same input gives byte-identical output. Every sentence cites numbers from
/// the snapshot, and callouts cite only the samples it was given.
///
/// * Strengths: the metrics that earned the largest share of their points (at least 75%).
/// * Improvements: the metrics with the smallest share (below 90%), each with a target: the
///   seed's "good" level or the team average, whichever is better.
/// * Recommendations: the metrics that cost the composite the most points; `high` when one costs
///   3 composite points or more, `medium` from 1, else `low`.
/// * Callouts: one per sample whose facts (`sla_met`, `escalated`, `resolved`, `has_notes`,
///   `resolution_minutes`, `first_response_minutes`, `delay_minutes`) say something.
public struct RuleBasedCoach: Coach {
    /// The model name stored with its reviews.
    public static let model = "rule-based"
    /// A metric is a strength from this share of its maximum points.
    static let strengthShare = 0.75
    /// A metric is worth improving below this share of its maximum points.
    static let improvementShare = 0.9
    static let maxStrengths = 3
    static let maxImprovements = 3
    static let maxRecommendations = 4
    static let maxCallouts = 6

    public init() {}

    public func review(_ input: ReviewInput) async throws -> CoachOutput {
        CoachOutput(content: write(input), model: Self.model, tokensIn: 0, tokensOut: 0)
    }

    /// The review content, computed synchronously.
    public func write(_ input: ReviewInput) -> ReviewContent {
        let metrics = MetricResult.all(in: input.snapshot, teamAverages: input.teamAverages)
        let weakest = metrics.filter { $0.share < Self.improvementShare }.sorted(by: Self.worstFirst)
        return ReviewContent(
            summary: summary(input.snapshot, metrics: metrics),
            strengths: strengths(metrics),
            improvements: weakest.prefix(Self.maxImprovements).map(improvement),
            recommendations: recommendations(weakest),
            callouts: callouts(input))
    }

    // MARK: Summary

    func summary(_ snapshot: Snapshot, metrics: [MetricResult]) -> String {
        let period = "\(snapshot.period) (\(snapshot.periodStart) to \(snapshot.periodEnd))"
        let domains = snapshot.domains
        guard !domains.isEmpty else {
            return "No activity was scored for \(period), so this review has no metrics to draw on. "
                + "Once tickets, conversations, tasks or work orders are recorded, the next review will cite them."
        }
        let composite = ReviewFormat.number(snapshot.compositeScore)
        var sentences: [String] = []
        if domains.count == 1 {
            let only = domains[0]
            sentences.append(
                "Composite score \(composite) for \(period), all from \(ReviewFormat.domain(only.domain)) (\(ReviewFormat.number(only.rawScore))/100)."
            )
        } else {
            let weights = Dictionary(uniqueKeysWithValues: domains.map { ($0.domain, MetricResult.effectiveWeight(of: $0, in: snapshot)) })
            let ranked = domains.sorted {
                if $0.rawScore != $1.rawScore { return $0.rawScore > $1.rawScore }
                if weights[$0.domain]! != weights[$1.domain]! { return weights[$0.domain]! > weights[$1.domain]! }
                return $0.domain < $1.domain
            }
            let best = ranked.first!, worst = ranked.last!
            sentences.append("Composite score \(composite) for \(period) across \(domains.count) domains.")
            sentences.append(
                "Strongest domain: \(ReviewFormat.domain(best.domain)) (\(ReviewFormat.number(best.rawScore))); "
                    + "weakest: \(ReviewFormat.domain(worst.domain)) (\(ReviewFormat.number(worst.rawScore))).")
        }
        let costliest = metrics.filter { $0.share < Self.improvementShare }.max {
            $0.compositeGap != $1.compositeGap ? $0.compositeGap < $1.compositeGap : $0.order > $1.order
        }
        if let gap = costliest {
            sentences.append(
                "The largest gap is \(gap.midSentenceLabel) at \(ReviewFormat.value(gap.value, unit: gap.info.unit)), with \(gap.pointsPhrase), about \(ReviewFormat.number(gap.compositeGap)) composite points short of full marks."
            )
        } else if !metrics.isEmpty {
            sentences.append("Every scored metric earned at least \(Int(Self.improvementShare * 100))% of its points.")
        }
        return sentences.joined(separator: " ")
    }

    // MARK: Strengths and improvements

    func strengths(_ metrics: [MetricResult]) -> [String] {
        let ranked = metrics.sorted(by: Self.bestFirst)
        let strong = ranked.filter { $0.share >= Self.strengthShare }.prefix(Self.maxStrengths)
        if strong.isEmpty, let best = ranked.first {
            return ["Best result this week: \(best.labelled), \(best.pointsPhrase)\(teamPhrase(best))."]
        }
        return strong.map { "\($0.labelled) earned \($0.pointsPhrase)\(teamPhrase($0))." }
    }

    func improvement(_ m: MetricResult) -> String {
        var text = "\(m.labelled) → reach \(ReviewFormat.value(m.target, unit: m.info.unit))"
        if let team = m.teamAverage { text += " (team average \(ReviewFormat.value(team, unit: m.info.unit)))" }
        return text + ": \(m.pointsPhrase) now."
    }

    func teamPhrase(_ m: MetricResult) -> String {
        guard let team = m.teamAverage else { return "" }
        let average = ReviewFormat.value(team, unit: m.info.unit)
        switch m.beatsTeam {
        case true?: return ", better than the team average of \(average)"
        case false?: return ", against a team average of \(average)"
        case nil: return ", level with the team average"
        }
    }

    // MARK: Recommendations

    func recommendations(_ weakest: [MetricResult]) -> [Recommendation] {
        let costliest = weakest.sorted {
            $0.compositeGap != $1.compositeGap ? $0.compositeGap > $1.compositeGap : Self.worstFirst($0, $1)
        }
        return costliest.prefix(Self.maxRecommendations).map { m in
            let priority = m.compositeGap >= 3 ? "high" : m.compositeGap >= 1 ? "medium" : "low"
            let target = ReviewFormat.value(m.target, unit: m.info.unit)
            let action =
                "\(m.advice.action) Target: \(m.midSentenceLabel) \(target), now \(ReviewFormat.value(m.value, unit: m.info.unit))."
            let domain = ReviewFormat.domain(m.domain)
            let impact: String
            if let gain = m.targetGain {
                impact =
                    "+\(ReviewFormat.number(gain)) points in \(domain) (about +\(ReviewFormat.number(gain * m.weight / 100)) on the composite) at \(target)."
            } else {
                impact =
                    "Up to \(ReviewFormat.number(m.info.maxPoints - m.points)) points in \(domain) are open on this metric (about +\(ReviewFormat.number(m.compositeGap)) on the composite)."
            }
            return Recommendation(priority: priority, category: m.advice.category, action: action, impact: impact)
        }
    }

    // MARK: Ordering

    static func bestFirst(_ a: MetricResult, _ b: MetricResult) -> Bool {
        if a.share != b.share { return a.share > b.share }
        let (ca, cb) = (a.info.maxPoints * a.weight, b.info.maxPoints * b.weight)
        return ca != cb ? ca > cb : a.order < b.order
    }

    static func worstFirst(_ a: MetricResult, _ b: MetricResult) -> Bool {
        if a.share != b.share { return a.share < b.share }
        return a.compositeGap != b.compositeGap ? a.compositeGap > b.compositeGap : a.order < b.order
    }
}
