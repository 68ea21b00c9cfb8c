extension WeekScore {
    /// Each person's scores over the weeks in `periods`: the mean composite and the mean of each
    /// domain over the weeks it was scored (two decimals; a single week is returned as it is).
    static func means(_ scores: [WeekScore], in periods: Set<String>) -> [String: WeekScore] {
        var grouped: [String: [WeekScore]] = [:]
        for score in scores where periods.contains(score.period) { grouped[score.personID, default: []].append(score) }
        return grouped.mapValues { weeks in
            guard weeks.count > 1 else { return weeks[0] }
            var domains: [String: (Double, Int)] = [:]
            for week in weeks {
                for (domain, value) in week.domainScores {
                    domains[domain, default: (0, 0)].0 += value
                    domains[domain, default: (0, 0)].1 += 1
                }
            }
            return WeekScore(
                personID: weeks[0].personID, period: weeks.map(\.period).sorted().joined(separator: ","),
                compositeScore: ScoringEngine.round(weeks.map(\.compositeScore).reduce(0, +) / Double(weeks.count)),
                domainScores: domains.mapValues { ScoringEngine.round($0.0 / Double($0.1)) })
        }
    }
}
