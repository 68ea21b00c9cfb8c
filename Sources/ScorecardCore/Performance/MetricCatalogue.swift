/// One metric a snapshot records and a goal may target.
public struct MetricInfo: Sendable, Hashable {
    /// The key in `domains[].metrics` and in a goal's `metric_key`.
    public var key: String
    /// The domain it belongs to; nil for `composite_score`, which any goal domain may use.
    public var domain: Domain?
    /// The points it contributes at most to its domain score (0 for figures that are not scored).
    public var maxPoints: Double
    /// `percent`, `minutes`, `count`, `ratio`, `rating`, `chars`, `points` or `currency`.
    public var unit: String
    /// True when a lower value is better (goals on it usually use `lte`).
    public var lowerIsBetter: Bool
    /// One line for help and completion.
    public var summary: String
    /// How its value turns into points (``points(input:baseline:)``); nil for the figures that are
    /// not scored (`composite_score`, `domain_score`).
    public var formula: MetricFormula? = nil
}

/// The metrics of seed 002's six domains, as docs/scoring.md defines them.
public enum MetricCatalogue {
    /// Every metric, in domain order then scoring order.
    public static let all: [MetricInfo] = [
        MetricInfo(key: "composite_score", domain: nil, maxPoints: 0, unit: "points", lowerIsBetter: false, summary: "Weighted composite score, 0-100"),
        MetricInfo(key: "domain_score", domain: nil, maxPoints: 0, unit: "points", lowerIsBetter: false, summary: "The goal domain's raw score, 0-100"),
        // support
        MetricInfo(key: "sla_compliance_rate", domain: .support, maxPoints: 40, unit: "percent", lowerIsBetter: false, summary: "Tickets resolved within SLA, % of tickets resolved", formula: .share),
        MetricInfo(key: "avg_resolution_minutes", domain: .support, maxPoints: 30, unit: "minutes", lowerIsBetter: true, summary: "Mean ticket resolution time", formula: .lowerVsTeam),
        MetricInfo(key: "escalation_rate", domain: .support, maxPoints: 20, unit: "percent", lowerIsBetter: true, summary: "Tickets escalated, % of tickets resolved", formula: .inverseShare),
        MetricInfo(key: "csat_avg", domain: .support, maxPoints: 10, unit: "rating", lowerIsBetter: false, summary: "Mean CSAT rating, 1-5", formula: .rating),
        // operations
        MetricInfo(key: "task_completion_rate", domain: .operations, maxPoints: 35, unit: "percent", lowerIsBetter: false, summary: "Tasks done, % of tasks assigned", formula: .share),
        MetricInfo(key: "on_time_rate", domain: .operations, maxPoints: 30, unit: "percent", lowerIsBetter: false, summary: "Tasks done by their due date, % of tasks done", formula: .share),
        MetricInfo(key: "effort_accuracy", domain: .operations, maxPoints: 20, unit: "percent", lowerIsBetter: false, summary: "100 - |actual - estimate| / estimate effort", formula: .share),
        MetricInfo(key: "blocked_rate", domain: .operations, maxPoints: 15, unit: "percent", lowerIsBetter: true, summary: "Tasks blocked, % of tasks assigned", formula: .inverseShare),
        // field service
        MetricInfo(key: "work_order_completion_rate", domain: .fieldService, maxPoints: 30, unit: "percent", lowerIsBetter: false, summary: "Work orders completed, % assigned", formula: .share),
        MetricInfo(key: "avg_schedule_delay_minutes", domain: .fieldService, maxPoints: 25, unit: "minutes", lowerIsBetter: true, summary: "Mean late start against schedule", formula: .delay),
        MetricInfo(key: "duration_accuracy", domain: .fieldService, maxPoints: 25, unit: "percent", lowerIsBetter: false, summary: "100 - |actual - estimate| / estimate duration", formula: .share),
        MetricInfo(key: "documentation_rate", domain: .fieldService, maxPoints: 20, unit: "percent", lowerIsBetter: false, summary: "Completed work orders with notes, %", formula: .share),
        // communication
        MetricInfo(key: "avg_first_response_minutes", domain: .communication, maxPoints: 30, unit: "minutes", lowerIsBetter: true, summary: "Mean first response time", formula: .lowerVsTeam),
        MetricInfo(key: "avg_conversation_resolution_minutes", domain: .communication, maxPoints: 25, unit: "minutes", lowerIsBetter: true, summary: "Mean conversation resolution time", formula: .lowerVsTeam),
        MetricInfo(key: "conversations_resolved", domain: .communication, maxPoints: 25, unit: "count", lowerIsBetter: false, summary: "Conversations resolved", formula: .volumeVsTeam),
        MetricInfo(key: "channel_coverage", domain: .communication, maxPoints: 20, unit: "percent", lowerIsBetter: false, summary: "Channels used, % of channels available", formula: .share),
        // sales
        MetricInfo(key: "win_rate", domain: .sales, maxPoints: 35, unit: "percent", lowerIsBetter: false, summary: "Leads won, % of leads closed", formula: .share),
        MetricInfo(key: "pipeline_value", domain: .sales, maxPoints: 25, unit: "currency", lowerIsBetter: false, summary: "Value of leads opened", formula: .volumeVsTeam),
        MetricInfo(key: "quote_acceptance_rate", domain: .sales, maxPoints: 25, unit: "percent", lowerIsBetter: false, summary: "Quotes accepted, % of quotes sent", formula: .share),
        MetricInfo(key: "lead_messages", domain: .sales, maxPoints: 15, unit: "count", lowerIsBetter: false, summary: "Messages sent to leads", formula: .volumeVsTeam),
        // data quality
        MetricInfo(key: "contact_completeness", domain: .dataQuality, maxPoints: 40, unit: "percent", lowerIsBetter: false, summary: "Mean completeness of contacts touched", formula: .share),
        MetricInfo(key: "org_completeness", domain: .dataQuality, maxPoints: 25, unit: "percent", lowerIsBetter: false, summary: "Mean completeness of organisations touched", formula: .share),
        MetricInfo(key: "tagging_rate", domain: .dataQuality, maxPoints: 20, unit: "percent", lowerIsBetter: false, summary: "Tickets and conversations tagged, %", formula: .share),
        MetricInfo(key: "avg_note_length", domain: .dataQuality, maxPoints: 15, unit: "chars", lowerIsBetter: false, summary: "Mean note length, full score at 100 characters", formula: .length),
    ]

    /// The metrics a domain score is made of (every metric but `composite_score`, `domain_score`).
    public static var scored: [MetricInfo] { all.filter(\.isScored) }

    /// The metric called `key`.
    public static func metric(_ key: String) -> MetricInfo? { all.first { $0.key == key } }

    /// The scored metrics of one domain, in scoring order.
    public static func metrics(of domain: Domain) -> [MetricInfo] { all.filter { $0.domain == domain } }

    /// Nil when `key` may be a goal's metric in `domain`, else a reason a person can act on.
    public static func goalProblem(metricKey key: String, domain: Domain) -> String? {
        guard let info = metric(key) else {
            return "unknown metric '\(key)'; see docs/scoring.md for the catalogue"
        }
        if let d = info.domain, d != domain {
            return "metric '\(key)' belongs to domain '\(d.rawValue)', not '\(domain.rawValue)'"
        }
        return nil
    }
}
