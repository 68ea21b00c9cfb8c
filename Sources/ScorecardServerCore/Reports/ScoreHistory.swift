import ScorecardCore

/// Weekly composite and domain scores of one or more people over consecutive ISO weeks, read in
/// one batch (the 12-week trend of a person, the sparklines of a whole team).
public struct ScoreHistory: Codable, Sendable, Equatable {
    /// One person's scores, aligned with ``weeks``; null where the person was not scored.
    public struct Series: Codable, Sendable, Equatable {
        public var personID: String
        public var name: String
        public var composite: [Double?]
        public var domainScores: [[String: Double]?]

        enum CodingKeys: String, CodingKey {
            case name, composite
            case personID = "person_id"
            case domainScores = "domain_scores"
        }
    }

    /// The first and last week, `YYYY-Www`.
    public var from: String
    public var to: String
    /// Every week from `from` to `to`, oldest first.
    public var weeks: [String]
    /// One series per person asked for, in the order asked.
    public var people: [Series]

    /// The most weeks one history covers.
    public static let maxWeeks = 104

    /// The history of `people` over the `weeks` weeks ending with `to`.
    public static func make(people: [Person], to: ISOWeek, weeks: Int, store: any ServerStore) async throws -> ScoreHistory {
        let count = min(max(1, weeks), maxWeeks)
        var periods = [to]
        while periods.count < count { periods.insert(periods[0].previous, at: 0) }
        let rows = try await store.scoreHistory(personIDs: people.map(\.id), from: periods[0], to: to)
        var byPerson: [String: [String: WeekScore]] = [:]
        for row in rows { byPerson[row.personID, default: [:]][row.period] = row }
        let labels = periods.map(\.description)
        return ScoreHistory(
            from: labels[0], to: to.description, weeks: labels,
            people: people.map { person in
                let scores = byPerson[person.id] ?? [:]
                return Series(
                    personID: person.id, name: person.name, composite: labels.map { scores[$0]?.compositeScore },
                    domainScores: labels.map { scores[$0]?.domainScores })
            })
    }

    /// The series of `personID`, if asked for.
    public func series(_ personID: String) -> Series? { people.first { $0.personID == personID } }
}
