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

        /// The baselines by the metric key they are compared with (those the team has), four
        /// decimals: what a snapshot stores as `team_baselines`.
        var byMetric: [String: Double] {
            let pairs: [(String, Double?)] = [
                ("avg_resolution_minutes", ticketResolution), ("avg_first_response_minutes", firstResponse),
                ("avg_conversation_resolution_minutes", conversationResolution), ("conversations_resolved", conversationsResolved),
                ("pipeline_value", pipelineValue), ("lead_messages", leadMessages),
            ]
            return Dictionary(uniqueKeysWithValues: pairs.compactMap { key, value in value.map { (key, ScoringEngine.round($0, 4)) } })
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
