/// Team baselines for the metrics seed 002 compares with the team average.
///
/// A team's baseline is the mean, over the team's scored people who have a value, of each
/// person's own value (a mean of per-person figures, every person weighing the same).
struct Baselines {
    struct Team: Equatable {
        var ticketResolution: Double?
        var firstResponse: Double?
        var conversationResolution: Double?
        var conversationsResolved: Double?
        var pipelineValue: Double?
        var leadMessages: Double?

        /// The metric keys compared with a team baseline, in scoring order.
        static let keys = [
            "avg_resolution_minutes", "avg_first_response_minutes", "avg_conversation_resolution_minutes", "conversations_resolved",
            "pipeline_value", "lead_messages",
        ]

        /// The (unrounded) baseline the metric `key` is compared with; nil when the team has none.
        func baseline(for key: String) -> Double? {
            switch key {
            case "avg_resolution_minutes": return ticketResolution
            case "avg_first_response_minutes": return firstResponse
            case "avg_conversation_resolution_minutes": return conversationResolution
            case "conversations_resolved": return conversationsResolved
            case "pipeline_value": return pipelineValue
            case "lead_messages": return leadMessages
            default: return nil
            }
        }

        /// The baselines by the metric key they are compared with (those the team has), four
        /// decimals: what a snapshot stores as `team_baselines`.
        var byMetric: [String: Double] {
            Dictionary(uniqueKeysWithValues: Self.keys.compactMap { key in baseline(for: key).map { (key, ScoringEngine.round($0, 4)) } })
        }
    }

    private var teams: [String: Team] = [:]

    init(_ people: [PersonFacts]) {
        let byTeam = Dictionary(grouping: people.filter { $0.teamID != nil }, by: { $0.teamID! })
        for (id, members) in byTeam {
            func mean(_ values: [Double]) -> Double? { values.isEmpty ? nil : values.reduce(0, +) / Double(values.count) }
            let communication = members.filter { $0.conversations > 0 }
            let sales = members.filter { $0.salesEvents > 0 }
            teams[id] = Team(
                ticketResolution: mean(members.compactMap(\.ticketResolutionMinutes)),
                firstResponse: mean(members.compactMap(\.firstResponseMinutes)),
                conversationResolution: mean(members.compactMap(\.conversationResolutionMinutes)),
                conversationsResolved: mean(communication.map { Double($0.conversationsResolved) }),
                pipelineValue: mean(sales.map(\.pipelineValue)),
                leadMessages: mean(sales.map { Double($0.leadMessages) }))
        }
    }

    /// The baselines of a team; nil for no team.
    func of(_ teamID: String?) -> Team? { teamID.flatMap { teams[$0] } }
}
