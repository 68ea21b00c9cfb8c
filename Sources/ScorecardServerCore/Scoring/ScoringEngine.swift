import ScorecardCore

/// Seed 002's scoring, as docs/scoring.md defines it: pure, from facts to scores.
public enum ScoringEngine {
    /// One person's scored week, before it is stored.
    public struct Result: Sendable, Equatable {
        public var personID: String
        public var teamID: String?
        public var teamType: TeamType?
        public var composite: Double
        public var weights: [Domain: Double]
        public var salesActivityRatio: Double
        public var domains: [DomainScore]
        /// The week's peer figures for the person's team (or why they are hidden).
        public var peer: PeerFigures?
        /// The team baselines the formulas used, metric key → team average (empty without a team).
        public var teamBaselines: [String: Double] = [:]
    }

    /// `num / den`, or 0 when `den <= 0` (seed 002's `safe_div`; ``ScoringMath/safeDiv(_:_:)``).
    public static func safeDiv(_ num: Double, _ den: Double) -> Double { ScoringMath.safeDiv(num, den) }

    /// Rounds half away from zero to `places` decimals (``ScoringMath/round(_:_:)``).
    public static func round(_ x: Double, _ places: Int = 2) -> Double { ScoringMath.round(x, places) }

    /// Scores every person in `facts` with `settings`.
    public static func score(_ facts: ScoringFacts, settings: Settings) -> [Result] {
        let baselines = Baselines(facts.people)
        let results = facts.people.compactMap { person -> Result? in
            let domains = Domain.allCases.filter { person.isActive($0) }
            guard !domains.isEmpty else { return nil }
            let ratio = safeDiv(Double(person.salesEvents), Double(person.trackedEvents))
            let table = weightTable(teamType: person.teamType, salesRatio: ratio, settings: settings)
            let total = domains.reduce(0.0) { $0 + (table[$1] ?? 0) }
            var composite = 0.0
            var scores: [DomainScore] = []
            var effective: [Domain: Double] = [:]
            for domain in domains {
                let (raw, metrics) = domainScore(domain, person, baselines.of(person.teamID), channelsAvailable: facts.channelsAvailable)
                let share = safeDiv(table[domain] ?? 0, total)
                composite += raw * share
                effective[domain] = round(share * 100)
                scores.append(DomainScore(domain: domain, rawScore: round(raw), weightedScore: round(raw * share), metrics: metrics))
            }
            return Result(
                personID: person.personID, teamID: person.teamID, teamType: person.teamType, composite: round(composite),
                weights: effective, salesActivityRatio: round(ratio, 4), domains: scores,
                teamBaselines: baselines.of(person.teamID)?.byMetric ?? [:])
        }
        return withPeerFigures(results, period: facts.period, minimumTeamSize: settings.int("peer_comparison_min_team_size"))
    }

    /// The weight table for a person: the sales profile, else the team type's, else the default.
    public static func weightTable(teamType: TeamType?, salesRatio: Double, settings: Settings) -> [Domain: Double] {
        func table(_ json: JSONValue?) -> [Domain: Double] { Settings.weights(json) ?? [:] }
        if let profile = settings.weights("domain_weights_sales_profile") {
            if teamType == .sales || salesRatio >= settings.double("sales_profile_min_ratio") { return profile }
        }
        switch teamType {
        case .operations?: return settings.weights("domain_weights_operations") ?? table(SettingSpec.seedWeights[.operations])
        case .support?: return settings.weights("domain_weights_support") ?? table(SettingSpec.seedWeights[.support])
        case .fieldService?: return settings.weights("domain_weights_field_service") ?? table(SettingSpec.seedWeights[.fieldService])
        case .sales?, nil: return settings.weights("domain_weights") ?? [:]
        }
    }

    /// A domain's raw score (unrounded) and its metrics (values and points, rounded). The points
    /// come from ``MetricInfo/points(input:baseline:)`` in ScorecardCore, which the client's
    /// what-if calls too; each metric's input is its share 0…1 for a percentage, else its value.
    static func domainScore(_ domain: Domain, _ p: PersonFacts, _ team: Baselines.Team?, channelsAvailable: Int) -> (Double, [String: Double]) {
        var metrics: [String: Double] = [:]
        var raw = 0.0
        func add(_ key: String, _ input: Double?) {
            let metric = MetricCatalogue.metric(key)!
            let points = metric.points(input: input, baseline: team?.baseline(for: key))
            if let value = metric.value(forInput: input) { metrics[key] = round(value) }
            metrics[key + "_points"] = round(points)
            raw += points
        }
        switch domain {
        case .support:
            add("sla_compliance_rate", safeDiv(Double(p.ticketsSLAMet), Double(p.ticketsWithSLA)))
            add("avg_resolution_minutes", p.ticketResolutionMinutes)
            add("escalation_rate", safeDiv(Double(p.ticketsEscalated), Double(p.tickets)))
            add("csat_avg", p.csatAverage)
        case .operations:
            add("task_completion_rate", safeDiv(Double(p.tasksDone), Double(p.tasks)))
            add("on_time_rate", safeDiv(Double(p.tasksOnTime), Double(p.tasksDoneWithDue)))
            add("effort_accuracy", p.taskEffortAccuracy)
            add("blocked_rate", safeDiv(Double(p.tasksBlocked), Double(p.tasks)))
        case .fieldService:
            add("work_order_completion_rate", safeDiv(Double(p.workOrdersCompleted), Double(p.workOrders)))
            add("avg_schedule_delay_minutes", p.workOrderDelayMinutes)
            add("duration_accuracy", p.workOrderDurationAccuracy)
            add("documentation_rate", safeDiv(Double(p.workOrdersWithNotes), Double(p.workOrdersCompleted)))
        case .communication:
            add("avg_first_response_minutes", p.firstResponseMinutes)
            add("avg_conversation_resolution_minutes", p.conversationResolutionMinutes)
            add("conversations_resolved", Double(p.conversationsResolved))
            add("channel_coverage", safeDiv(Double(p.channelsUsed), Double(channelsAvailable)))
        case .sales:
            add("win_rate", safeDiv(Double(p.leadsWon), Double(p.leadsClosed)))
            add("pipeline_value", p.pipelineValue)
            add("quote_acceptance_rate", safeDiv(Double(p.quotesAccepted), Double(p.quotesSent)))
            add("lead_messages", Double(p.leadMessages))
        case .dataQuality:
            add("contact_completeness", p.contactCompleteness)
            add("org_completeness", p.orgCompleteness)
            add("tagging_rate", safeDiv(Double(p.ticketsTagged + p.conversationsTagged), Double(p.tickets + p.conversations)))
            add("avg_note_length", p.noteLength)
        }
        return (raw, metrics)
    }
}
