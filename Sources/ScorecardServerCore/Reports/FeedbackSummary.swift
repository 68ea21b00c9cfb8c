import ScorecardCore

/// Seed 001's feedback dashboard for a team over a range of days: per member the correction,
/// enhancement and approval rates and the innovation count, the most-improved member, and the
/// team's SLA compliance per ISO week against the `sla_compliance_target` setting.
public struct FeedbackSummary: Codable, Sendable, Equatable {
    /// One member's feedback over the range. Rates are percentages of the member's entries.
    public struct Member: Codable, Sendable, Equatable {
        public var personID: String
        public var name: String
        public var entries: Int
        public var corrections: Int
        public var enhancements: Int
        public var approvals: Int
        public var innovationCount: Int
        public var correctionRate: Double?
        public var enhancementRate: Double?
        public var approvalRate: Double?

        enum CodingKeys: String, CodingKey {
            case name, entries, corrections, enhancements, approvals
            case personID = "person_id"
            case innovationCount = "innovation_count"
            case correctionRate = "correction_rate"
            case enhancementRate = "enhancement_rate"
            case approvalRate = "approval_rate"
        }
    }

    /// The member whose approval rate rose most against the range just before.
    public struct Improvement: Codable, Sendable, Equatable {
        public var personID: String
        public var name: String
        public var approvalRate: Double
        public var previousApprovalRate: Double
        public var change: Double

        enum CodingKeys: String, CodingKey {
            case name, change
            case personID = "person_id"
            case approvalRate = "approval_rate"
            case previousApprovalRate = "previous_approval_rate"
        }
    }

    /// One ISO week's SLA compliance for the team's tickets resolved that week.
    public struct SLAWeek: Codable, Sendable, Equatable {
        public var period: String
        public var met: Int
        public var total: Int
        public var compliance: Double?
        public var belowTarget: Bool

        enum CodingKeys: String, CodingKey {
            case period, met, total, compliance
            case belowTarget = "below_target"
        }
    }

    public var teamID: String
    public var from: String
    public var to: String
    public var members: [Member]
    public var mostImproved: Improvement?
    public var slaTarget: Double
    public var slaWeeks: [SLAWeek]

    enum CodingKeys: String, CodingKey {
        case from, to, members
        case teamID = "team_id"
        case mostImproved = "most_improved"
        case slaTarget = "sla_target"
        case slaWeeks = "sla_weeks"
    }

    /// The longest range, in days.
    public static let maxDays = 184

    /// The summary of `team` over the UTC days `from...to`.
    public static func make(team: Team, from: CivilDate, to: CivilDate, store: any ServerStore) async throws -> FeedbackSummary {
        guard from <= to else { throw StoreError(.invalid, "from: must not be after 'to'") }
        let days = to.daysSinceEpoch - from.daysSinceEpoch + 1
        guard days <= maxDays else { throw StoreError(.invalid, "to: the range may span at most \(maxDays) days") }
        let people = Dictionary(uniqueKeysWithValues: try await store.people().map { ($0.id, $0) })
        let memberIDs = team.members.filter { $0.active && people[$0.personID]?.active == true }.map(\.personID).sorted()
        let end = to.adding(days: 1).startTimestamp
        let counts = try await store.feedbackCounts(personIDs: memberIDs, from: from.startTimestamp, to: end)
        let before = try await store.feedbackCounts(personIDs: memberIDs, from: from.adding(days: -days).startTimestamp, to: from.startTimestamp)
        let members = memberIDs.map { id in member(id, name: people[id]?.name ?? id, counts[id] ?? [:]) }
        var improved: Improvement?
        for m in members {
            guard let now = m.approvalRate, let earlier = member(m.personID, name: m.name, before[m.personID] ?? [:]).approvalRate else { continue }
            let change = ScoringEngine.round(now - earlier, 1)
            guard change > 0 else { continue }
            if improved == nil || change > improved!.change {
                improved = Improvement(personID: m.personID, name: m.name, approvalRate: now, previousApprovalRate: earlier, change: change)
            }
        }
        let target = try await store.settings().double("sla_compliance_target")
        var weeks: [SLAWeek] = []
        var week = ISOWeek(containing: from)
        while week.monday <= to {
            let sla = try await store.ticketSLA(personIDs: memberIDs, period: week)
            let compliance = sla.total == 0 ? nil : ScoringEngine.round(Double(sla.met) / Double(sla.total) * 100, 1)
            weeks.append(SLAWeek(period: week.description, met: sla.met, total: sla.total, compliance: compliance, belowTarget: compliance.map { $0 < target } ?? false))
            week = week.next
        }
        return FeedbackSummary(
            teamID: team.id, from: from.description, to: to.description, members: members, mostImproved: improved, slaTarget: target,
            slaWeeks: weeks)
    }

    /// One member's figures: ``FeedbackRates``, the function the client's `feedback --summary` uses too.
    static func member(_ id: String, name: String, _ counts: [FeedbackType: Int]) -> Member {
        let r = FeedbackRates(counts: counts)
        return Member(
            personID: id, name: name, entries: r.total, corrections: r.corrections, enhancements: r.enhancements, approvals: r.approvals,
            innovationCount: r.innovationCount, correctionRate: r.rates.correction, enhancementRate: r.rates.enhancement,
            approvalRate: r.rates.approval)
    }
}
