import Foundation
import ScorecardCore

/// A team's week for its managers: leaderboard, averages, needs-coaching, most improved, SLA.
public struct TeamSummary: Codable, Sendable, Equatable {
    /// One leaderboard row.
    public struct Row: Codable, Sendable, Equatable {
        public var rank: Int
        public var personID: String
        public var name: String
        public var compositeScore: Double
        public var previousScore: Double?
        public var change: Double?
        public var domainScores: [String: Double]
        public var needsCoaching: Bool

        enum CodingKeys: String, CodingKey {
            case rank, name, change
            case personID = "person_id"
            case compositeScore = "composite_score"
            case previousScore = "previous_score"
            case domainScores = "domain_scores"
            case needsCoaching = "needs_coaching"
        }
    }

    public var teamID: String
    public var period: String?
    public var members: Int
    public var membersScored: Int
    public var averageComposite: Double?
    public var topPerformer: Row?
    public var needsCoaching: Int
    public var reviewsGenerated: Int
    /// The member with the largest composite rise over the previous week; null when nobody rose.
    public var mostImproved: Row?
    /// Tickets resolved within SLA, % of tickets with an SLA, one decimal; null without tickets.
    public var slaCompliance: Double?
    public var leaderboard: [Row]

    enum CodingKeys: String, CodingKey {
        case period, members, leaderboard
        case teamID = "team_id"
        case membersScored = "members_scored"
        case averageComposite = "average_composite"
        case topPerformer = "top_performer"
        case needsCoaching = "needs_coaching"
        case reviewsGenerated = "reviews_generated"
        case mostImproved = "most_improved"
        case slaCompliance = "sla_compliance"
    }

    /// True when `person` may see the team's summary: an admin, its manager, or an active lead/manager member.
    public static func manages(_ person: Person, _ team: Team) -> Bool {
        person.role == .admin || (team.active
            && (team.managerPersonID == person.id
                || team.members.contains { $0.personID == person.id && $0.active && ($0.role == .lead || $0.role == .manager) }))
    }

    /// The summary of `team` for `period` (default: the latest scored week): an ISO week
    /// (`2026-W46`) or a month (`2026-11`, its ISO weeks by their Thursday). Over a month a
    /// member's composite and domain scores are the means of their scored weeks, compared with
    /// the month before; the number of reads does not depend on the team's size.
    public static func make(team: Team, period: String?, store: any ServerStore) async throws -> TeamSummary {
        let people = Dictionary(uniqueKeysWithValues: try await store.people().map { ($0.id, $0) })
        let memberIDs = team.members.filter { $0.active && people[$0.personID]?.active == true }.map(\.personID)
        var chosen = period
        if chosen == nil { chosen = try await store.latestScoredPeriod() }
        guard let text = chosen, let range = ReportPeriod(text), let first = range.previous.weeks.first, let last = range.weeks.last else {
            return TeamSummary(
                teamID: team.id, period: nil, members: memberIDs.count, membersScored: 0, averageComposite: nil, topPerformer: nil,
                needsCoaching: 0, reviewsGenerated: 0, mostImproved: nil, slaCompliance: nil, leaderboard: [])
        }
        let threshold = try await store.settings().double("flagged_threshold")
        let history = try await store.scoreHistory(personIDs: memberIDs, from: first, to: last)
        let current = WeekScore.means(history, in: Set(range.weeks.map(\.description)))
        let previous = WeekScore.means(history, in: Set(range.previous.weeks.map(\.description)))
        let sorted = current.values.sorted { ($0.compositeScore, $1.personID) > ($1.compositeScore, $0.personID) }
        let rows = sorted.enumerated().map { n, s in
            let before = previous[s.personID]?.compositeScore
            return Row(
                rank: n + 1, personID: s.personID, name: people[s.personID]?.name ?? s.personID, compositeScore: s.compositeScore,
                previousScore: before, change: before.map { ScoringEngine.round(s.compositeScore - $0) }, domainScores: s.domainScores,
                needsCoaching: s.compositeScore < threshold)
        }
        var reviewed = Set<String>()
        var sla = (met: 0, total: 0)
        for week in range.weeks {
            reviewed.formUnion(try await store.reviewedPersonIDs(period: week.description))
            let weekSLA = try await store.ticketSLA(personIDs: memberIDs, period: week)
            sla = (sla.met + weekSLA.met, sla.total + weekSLA.total)
        }
        let reviews = reviewed.intersection(memberIDs).count
        let improved = rows.filter { ($0.change ?? 0) > 0 }.max { ($0.change!, $1.personID) < ($1.change!, $0.personID) }
        return TeamSummary(
            teamID: team.id, period: range.description, members: memberIDs.count, membersScored: rows.count,
            averageComposite: rows.isEmpty ? nil : ScoringEngine.round(rows.map(\.compositeScore).reduce(0, +) / Double(rows.count)),
            topPerformer: rows.first, needsCoaching: rows.filter(\.needsCoaching).count, reviewsGenerated: reviews,
            mostImproved: improved, slaCompliance: sla.total == 0 ? nil : ScoringEngine.round(Double(sla.met) / Double(sla.total) * 100, 1),
            leaderboard: rows)
    }

    /// The leaderboard as CSV: a header row, then one row per scored member.
    public func leaderboardCSV() -> String {
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        func number(_ d: Double?) -> String { d.map { $0.formatted2 } ?? "" }
        var lines = [(["rank", "person_id", "name", "composite_score", "previous_score", "change"] + Domain.allCases.map(\.rawValue)).joined(separator: ",")]
        for row in leaderboard {
            let cells = [String(row.rank), field(row.personID), field(row.name), number(row.compositeScore), number(row.previousScore), number(row.change)]
                + Domain.allCases.map { number(row.domainScores[$0.rawValue]) }
            lines.append(cells.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
