import ScorecardCore

/// Seed 001's dashboard: feedback rates per member, the most improved, SLA compliance per week,
/// and the form to log feedback.
struct FeedbackView {
    struct Option {
        var value: String
        var label: String
        var selected: Bool
    }

    struct MemberRow {
        var personID: String
        var name: String
        var href: String
        var entries: Int
        var correction: String
        var enhancement: String
        var approval: String
        var innovations: Int
    }

    struct WeekRow {
        var period: String
        var compliance: String
        var met: Int
        var total: Int
        var below: Bool
        var hasTickets: Bool
        var bar: String
    }

    var teams: [Option]
    var teamID: String
    var teamName: String
    var from: String
    var to: String
    var rangeLabel: String
    var members: [MemberRow]
    var hasMembers: Bool
    var mostImproved: String?
    var mostImprovedHref: String?
    var mostImprovedNote: String?
    var target: String
    var weeks: [WeekRow]
    var people: [Option]
    var types: [Option]
    var ratings: [Option]
    var context: String
    var text: String
    var csrf: String
    var action: String
    var notice: String?
    var error: String?

    static func make(summary: FeedbackSummary, team: Team, teams: [Team], session: WebSession, form: FormBody?, notice: String?, error: String?) -> FeedbackView {
        let chosenPerson = form?["person_id"] ?? ""
        let chosenType = form?["feedback_type"] ?? "approval"
        let chosenRating = form?["rating"] ?? ""
        let loggable = summary.members.filter { $0.personID != session.person.id }
        let from = CivilDate(summary.from), to = CivilDate(summary.to)
        return FeedbackView(
            teams: teams.map { Option(value: $0.id, label: $0.name, selected: $0.id == team.id) }, teamID: team.id, teamName: team.name,
            from: summary.from, to: summary.to,
            rangeLabel: from.flatMap { f in to.map { "\(Format.day(f)) – \(Format.day($0))" } } ?? "\(summary.from) – \(summary.to)",
            members: summary.members.map {
                MemberRow(
                    personID: $0.personID, name: $0.name, href: "/admin/performance/agents/\(PageRedirect.escape($0.personID))", entries: $0.entries,
                    correction: Format.percent($0.correctionRate), enhancement: Format.percent($0.enhancementRate), approval: Format.percent($0.approvalRate),
                    innovations: $0.innovationCount)
            },
            hasMembers: !summary.members.isEmpty,
            mostImproved: summary.mostImproved?.name,
            mostImprovedHref: summary.mostImproved.map { "/admin/performance/agents/\(PageRedirect.escape($0.personID))" },
            mostImprovedNote: summary.mostImproved.map {
                "approval rate \(Format.percent($0.previousApprovalRate)) → \(Format.percent($0.approvalRate)) (\(Format.change($0.change)) points)"
            },
            target: Format.percent(summary.slaTarget),
            weeks: summary.slaWeeks.map { w in
                WeekRow(
                    period: w.period, compliance: Format.percent(w.compliance), met: w.met, total: w.total, below: w.belowTarget, hasTickets: w.total > 0,
                    bar: ProgressBar(fraction: (w.compliance ?? 0) / 100, label: "\(w.period): \(Format.percent(w.compliance)) of \(w.total) tickets within SLA",
                                     tone: w.belowTarget ? "warn" : (w.compliance == nil ? "" : "done")).svg)
            },
            people: loggable.map { Option(value: $0.personID, label: $0.name, selected: $0.personID == chosenPerson) },
            types: FeedbackType.allCases.map { Option(value: $0.rawValue, label: $0.rawValue.capitalized, selected: $0.rawValue == chosenType) },
            ratings: [Option(value: "", label: "No rating", selected: chosenRating.isEmpty)]
                + (1...5).map { Option(value: String($0), label: "\($0) of 5", selected: String($0) == chosenRating) },
            context: form?["context"] ?? "", text: form?["feedback"] ?? "", csrf: session.csrf,
            action: "/admin/performance/feedback?team_id=\(PageRedirect.escape(team.id))&from=\(summary.from)&to=\(summary.to)",
            notice: notice, error: error)
    }
}
