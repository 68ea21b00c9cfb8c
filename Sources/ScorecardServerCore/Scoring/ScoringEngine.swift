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

    /// `num / den`, or 0 when `den <= 0` (seed 002's `safe_div`).
    public static func safeDiv(_ num: Double, _ den: Double) -> Double { den > 0 ? num / den : 0 }

    /// Rounds half away from zero to `places` decimals.
    public static func round(_ x: Double, _ places: Int = 2) -> Double {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return (x * scale).rounded(.toNearestOrAwayFromZero) / scale
    }

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

    /// Points for a metric compared with a team baseline where lower is better:
    /// `max × max(0, 1 − value/baseline)`; no value → 0; no baseline → half.
    static func lowerVsTeam(_ value: Double?, _ baseline: Double?, max: Double) -> Double {
        guard let value else { return 0 }
        guard let baseline, baseline > 0 else { return max / 2 }
        return max * Swift.max(0, 1 - value / baseline)
    }

    /// Points for a volume compared with a team baseline: `min(max, value/baseline × max)`; no baseline → half.
    static func volumeVsTeam(_ value: Double, _ baseline: Double?, max: Double) -> Double {
        guard let baseline, baseline > 0 else { return max / 2 }
        return Swift.min(max, value / baseline * max)
    }

    /// A domain's raw score (unrounded) and its metrics (values and points, rounded).
    static func domainScore(_ domain: Domain, _ p: PersonFacts, _ team: Baselines.Team?, channelsAvailable: Int) -> (Double, [String: Double]) {
        var metrics: [String: Double] = [:]
        var raw = 0.0
        func add(_ key: String, value: Double?, points: Double) {
            let maxPoints = MetricCatalogue.metric(key)!.maxPoints
            let clamped = Swift.min(maxPoints, Swift.max(0, points))
            if let value { metrics[key] = round(value) }
            metrics[key + "_points"] = round(clamped)
            raw += clamped
        }
        switch domain {
        case .support:
            let sla = safeDiv(Double(p.ticketsSLAMet), Double(p.ticketsWithSLA))
            add("sla_compliance_rate", value: sla * 100, points: sla * 40)
            add("avg_resolution_minutes", value: p.ticketResolutionMinutes, points: lowerVsTeam(p.ticketResolutionMinutes, team?.ticketResolution, max: 30))
            let escalation = safeDiv(Double(p.ticketsEscalated), Double(p.tickets))
            add("escalation_rate", value: escalation * 100, points: 20 * (1 - escalation))
            add("csat_avg", value: p.csatAverage, points: safeDiv(p.csatAverage ?? 0, 5) * 10)
        case .operations:
            let done = safeDiv(Double(p.tasksDone), Double(p.tasks))
            add("task_completion_rate", value: done * 100, points: done * 35)
            let onTime = safeDiv(Double(p.tasksOnTime), Double(p.tasksDoneWithDue))
            add("on_time_rate", value: onTime * 100, points: onTime * 30)
            add("effort_accuracy", value: p.taskEffortAccuracy.map { $0 * 100 }, points: (p.taskEffortAccuracy ?? 0) * 20)
            let blocked = safeDiv(Double(p.tasksBlocked), Double(p.tasks))
            add("blocked_rate", value: blocked * 100, points: 15 * (1 - blocked))
        case .fieldService:
            let completed = safeDiv(Double(p.workOrdersCompleted), Double(p.workOrders))
            add("work_order_completion_rate", value: completed * 100, points: completed * 30)
            add("avg_schedule_delay_minutes", value: p.workOrderDelayMinutes, points: p.workOrderDelayMinutes.map { 25 * Swift.max(0, 1 - $0 / 60) } ?? 0)
            add("duration_accuracy", value: p.workOrderDurationAccuracy.map { $0 * 100 }, points: (p.workOrderDurationAccuracy ?? 0) * 25)
            let notes = safeDiv(Double(p.workOrdersWithNotes), Double(p.workOrdersCompleted))
            add("documentation_rate", value: notes * 100, points: notes * 20)
        case .communication:
            add("avg_first_response_minutes", value: p.firstResponseMinutes, points: lowerVsTeam(p.firstResponseMinutes, team?.firstResponse, max: 30))
            add(
                "avg_conversation_resolution_minutes", value: p.conversationResolutionMinutes,
                points: lowerVsTeam(p.conversationResolutionMinutes, team?.conversationResolution, max: 25))
            add("conversations_resolved", value: Double(p.conversationsResolved), points: volumeVsTeam(Double(p.conversationsResolved), team?.conversationsResolved, max: 25))
            let coverage = safeDiv(Double(p.channelsUsed), Double(channelsAvailable))
            add("channel_coverage", value: coverage * 100, points: coverage * 20)
        case .sales:
            let win = safeDiv(Double(p.leadsWon), Double(p.leadsClosed))
            add("win_rate", value: win * 100, points: win * 35)
            add("pipeline_value", value: p.pipelineValue, points: volumeVsTeam(p.pipelineValue, team?.pipelineValue, max: 25))
            let accepted = safeDiv(Double(p.quotesAccepted), Double(p.quotesSent))
            add("quote_acceptance_rate", value: accepted * 100, points: accepted * 25)
            add("lead_messages", value: Double(p.leadMessages), points: volumeVsTeam(Double(p.leadMessages), team?.leadMessages, max: 15))
        case .dataQuality:
            add("contact_completeness", value: p.contactCompleteness.map { $0 * 100 }, points: (p.contactCompleteness ?? 0) * 40)
            add("org_completeness", value: p.orgCompleteness.map { $0 * 100 }, points: (p.orgCompleteness ?? 0) * 25)
            let tagged = safeDiv(Double(p.ticketsTagged + p.conversationsTagged), Double(p.tickets + p.conversations))
            add("tagging_rate", value: tagged * 100, points: tagged * 20)
            add("avg_note_length", value: p.noteLength, points: 15 * Swift.min(1, (p.noteLength ?? 0) / 100))
        }
        return (raw, metrics)
    }
}
