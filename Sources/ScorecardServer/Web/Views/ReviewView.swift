import ScorecardCore

/// Seed 002's review_detail.html: summary, strengths, improvements, recommendations by
/// priority, callouts, and the acknowledgement.
struct ReviewView {
    struct Recommendation {
        var priority: String
        var priorityClass: String
        var category: String
        var action: String
        var impact: String
    }

    struct Callout {
        var type: String
        var typeLabel: String
        var reference: String
        var observation: String
    }

    var id: String
    var personName: String
    var personHref: String
    var backLabel: String
    var period: String
    var score: String
    var scoreClass: String
    var summary: String
    var strengths: [String]
    var improvements: [String]
    var recommendations: [Recommendation]
    var positive: [Callout]
    var concerns: [Callout]
    var hasCallouts: Bool
    var acknowledged: Bool
    var acknowledgedAt: String
    var canAck: Bool
    var ackAction: String
    var csrf: String
    var model: String
    var created: String
    var notice: String?

    static func make(review: Review, person: Person?, isSelf: Bool, threshold: Double, session: WebSession, notice: String?) -> ReviewView {
        let recs = review.recommendations.enumerated().sorted { ($0.element.priorityRank, $0.offset) < ($1.element.priorityRank, $1.offset) }.map { $0.element }
        let callouts = review.callouts.map {
            Callout(type: $0.type, typeLabel: $0.type == "positive" ? "Positive" : "Concern", reference: $0.reference, observation: $0.observation)
        }
        let week = CivilDate(review.periodStart).map { ISOWeek(containing: $0) }
        return ReviewView(
            id: review.id, personName: person?.name ?? review.personID,
            personHref: isSelf ? "/agent/my-performance" : "/admin/performance/agents/\(PageRedirect.escape(review.personID))",
            backLabel: isSelf ? "My scorecard" : (person?.name ?? review.personID),
            period: week.map(Format.week) ?? "\(review.periodStart) – \(review.periodEnd)", score: Format.score(review.compositeScore),
            scoreClass: Format.scoreClass(review.compositeScore, threshold: threshold), summary: review.summary,
            strengths: review.strengths, improvements: review.improvements,
            recommendations: recs.map {
                Recommendation(
                    priority: $0.priority, priorityClass: ["high": "bad", "medium": "warn", "low": "info"][$0.priority] ?? "",
                    category: $0.category.replacingOccurrences(of: "_", with: " "), action: $0.action, impact: $0.impact)
            },
            positive: callouts.filter { $0.type == "positive" }, concerns: callouts.filter { $0.type != "positive" },
            hasCallouts: !callouts.isEmpty, acknowledged: review.isAcknowledged, acknowledgedAt: Format.timestamp(review.acknowledgedAt),
            canAck: isSelf && review.personID == session.person.id && !review.isAcknowledged,
            ackAction: "/agent/my-performance/reviews/\(PageRedirect.escape(review.id))/ack", csrf: session.csrf,
            model: review.model, created: Format.timestamp(review.createdAt), notice: notice)
    }
}
