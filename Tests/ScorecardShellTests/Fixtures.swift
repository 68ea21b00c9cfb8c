import Foundation
import ScorecardCache
import ScorecardCore
import ScorecardShell

/// Hand-built values the rendering tests draw, the same on every run.
enum Fixtures {
    static let today = CivilDate("2026-11-21")!

    /// A week of calls (Monday 2026-11-16 to Saturday) with summaries, through the KPI calculator.
    static var kpi: KPIReport {
        let from = CivilDate("2026-11-16")!
        var calls: [Call] = []
        let dispositions: [String?] = ["General Enquiry", "Appointment Booked", nil, "Follow-up Required", "General Enquiry", "Not Interested", "appointment – rescheduled"]
        for day in 0..<5 {
            let date = from.adding(days: day)
            for n in 0..<(40 + day * 7) {
                let inbound = (n + day) % 3 != 0
                calls.append(
                    Call(
                        id: "c\(day)-\(n)", personID: "agent-001", startedAt: "\(date)T\(CivilDate.pad(8 + n / 12, 2)):\(CivilDate.pad(n % 12 * 5, 2)):00Z",
                        direction: inbound ? .inbound : .outbound, callType: inbound ? "InBound" : "Manual", status: n % 6 == 0 ? .missed : .answered,
                        talkSeconds: n % 6 == 0 ? 0 : 60 + n * 7, handlingSeconds: 90 + n * 5, disposition: dispositions[(n + day) % dispositions.count]))
            }
        }
        let summaries = (0..<5).map { day in
            DaySummary(
                personID: "agent-001", date: from.adding(days: day), loginSeconds: 28_000 + day * 300, busySeconds: 15_000 + day * 200,
                idleSeconds: 6_500, pauseSeconds: 2_700 - day * 100, wrapupSeconds: 2_100, dialSeconds: 900, ahtSeconds: 260 + day * 3)
        }
        return KPICalculator.report(personID: "agent-001", from: from, to: today, calls: calls, summaries: summaries)
    }

    /// Twelve weekly snapshots ending in week 46, one week missing.
    static var snapshots: [Snapshot] {
        let last = ISOWeek("2026-W46")!
        var weeks: [ISOWeek] = []
        var w = last
        for _ in 0..<12 {
            weeks.insert(w, at: 0)
            w = w.previous
        }
        return weeks.enumerated().compactMap { i, week -> Snapshot? in
            if i == 4 { return nil }  // no activity that week
            let composite = 58.0 + Double(i * 37 % 23) + (i == 11 ? 3.25 : 0)
            let scores: [(Domain, Double, Double)] = [
                (.support, composite + 8.5, 30), (.communication, composite - 4.25, 30), (.sales, composite - 12, 15),
                (.operations, min(100, composite + 20.1), 10), (.fieldService, 41.6, 5), (.dataQuality, 88, 10),
            ]
            return Snapshot(
                personID: "agent-001", period: week, compositeScore: composite,
                domainScores: Dictionary(uniqueKeysWithValues: scores.map { ($0.0.rawValue, $0.1) }),
                weights: Dictionary(uniqueKeysWithValues: scores.map { ($0.0.rawValue, $0.2) }), teamID: "team-a", teamType: "support",
                salesActivityRatio: 0.12,
                domains: scores.map { DomainScore(domain: $0.0, rawScore: $0.1, weightedScore: $0.1 * $0.2 / 100, metrics: [:]) },
                peer: i == 11 ? Fixtures.peer : nil, teamBaselines: i == 11 ? ["avg_resolution_minutes": 74.5, "avg_first_response_minutes": 21.25] : nil,
                createdAt: "\(week.sunday)T23:00:00Z", updatedAt: "\(week.sunday)T23:00:00Z", version: 1)
        }
    }

    /// The latest week's stored peer figures: 7 teammates, 62.5th percentile.
    static let peer = PeerFigures(
        percentile: 62.5, teamAverage: 66.43, teamSize: 7,
        distribution: [0, 0, 0, 0, 1, 1, 2, 2, 1, 0].enumerated().map { PeerFigures.Bucket(from: $0.offset * 10, to: $0.offset * 10 + 10, count: $0.element) })

    static var review: Review {
        Review(
            id: "rv-2026w46-7f3a9c", personID: "agent-001", periodStart: "2026-11-09", periodEnd: "2026-11-15", compositeScore: 64.25,
            domainScores: ["support": 72.75, "communication": 60],
            content: ReviewContent(
                summary: "A steady week on tickets with SLA compliance above the team, held back by slow first responses in the inbox on Tuesday and Wednesday.",
                strengths: ["SLA compliance at 94% against a team average of 86%.", "Thorough notes on every closed work order."],
                improvements: ["First response time of 38 minutes; aim for under 15.", "Two escalations that the runbook covers."],
                recommendations: [
                    Recommendation(priority: "low", category: "data_quality", action: "Tag conversations as you close them.", impact: "Better routing reports."),
                    Recommendation(priority: "high", category: "response_time", action: "Check the inbox at the top of every hour between calls.", impact: "First response under 15 minutes, +6 communication points."),
                    Recommendation(priority: "medium", category: "escalation", action: "Use the password-reset runbook before escalating.", impact: "Fewer escalations."),
                ],
                callouts: [
                    Callout(type: "positive", reference: "Ticket T-1042", observation: "Resolved a billing dispute in one reply with a clear explanation."),
                    Callout(type: "concern", reference: "Conversation C-311", observation: "Customer waited 2 hours for a first reply."),
                ]),
            model: "rule-based", tokensIn: 0, tokensOut: 0, createdAt: "2026-11-16T06:00:00Z", version: 2)
    }

    static var reviews: [Review] {
        var older = review
        older.id = "rv-2026w45-11b2e0"
        older.periodStart = "2026-11-02"
        older.periodEnd = "2026-11-08"
        older.compositeScore = 71.5
        older.summary = "Good week overall."
        older.isAcknowledged = true
        older.acknowledgedAt = "2026-11-10T09:12:00Z"
        older.createdAt = "2026-11-09T06:00:00Z"
        return [review, older]
    }

    static var goals: [Goal] {
        [
            Goal(
                id: "g-frt", personID: "agent-001", domain: .communication, metricKey: "avg_first_response_minutes",
                label: "Reduce first response time to under 15 minutes", targetValue: 15, currentValue: 22.5, comparison: .lte,
                deadline: "2026-12-31", createdByPersonID: "mgr-1", createdAt: "2026-11-01T10:00:00Z", updatedAt: "2026-11-16T01:00:00Z"),
            Goal(
                id: "g-sla", personID: "agent-001", domain: .support, metricKey: "sla_compliance_rate", label: "SLA compliance at 95%",
                targetValue: 95, currentValue: 94, comparison: .gte, deadline: "2026-11-20", createdByPersonID: "agent-001",
                createdAt: "2026-10-01T10:00:00Z", updatedAt: "2026-11-16T01:00:00Z"),
            Goal(
                id: "g-notes", personID: "agent-001", domain: .dataQuality, metricKey: "avg_note_length", label: "Notes of 100 characters",
                targetValue: 100, currentValue: nil, comparison: .gte, deadline: "2026-11-22", createdByPersonID: "agent-001",
                createdAt: "2026-11-18T10:00:00Z", updatedAt: "2026-11-18T10:00:00Z"),
            Goal(
                id: "g-csat", personID: "agent-001", domain: .support, metricKey: "csat_avg", label: "CSAT of 4.5", targetValue: 4.5,
                currentValue: 4.6, comparison: .gte, deadline: "2026-11-01", status: .achieved, createdByPersonID: "mgr-1",
                createdAt: "2026-09-01T10:00:00Z", updatedAt: "2026-11-02T01:00:00Z"),
        ]
    }

    static var feedback: [FeedbackEntry] {
        [
            FeedbackEntry(
                id: "f-2", personID: "agent-001", projectID: "p-9", occurredAt: "2026-11-19T14:00:00Z", feedbackType: .approval,
                feedback: "The migration checklist you wrote is now the team's template; clear, complete and easy to follow.", rating: 5,
                context: nil, learningPattern: nil),
            FeedbackEntry(
                id: "f-1", personID: "agent-001", projectID: nil, occurredAt: "2026-11-12T09:30:00Z", feedbackType: .correction,
                feedback: "Quote Q-77 used last year's price list.", rating: 2, context: nil, learningPattern: "check price list version"),
        ]
    }

    /// A pending outbox edit on a goal, for the pending mark.
    static let pending: [String: PendingEdit] = ["g-frt": PendingEdit(type: "update_goal", state: "pending")]

    /// 2026-11-21T10:00:00Z, the "now" of the outbox pages.
    static let now = Timestamp.epochSeconds("2026-11-21T10:00:00Z")!

    /// An outbox with one entry in each state.
    static var outbox: [OutboxEntry] {
        func entry(_ id: String, _ position: Int, _ mutation: OutboxMutation, _ state: OutboxState, _ at: String, attempts: Int, error: String?, result: PushResult? = nil) -> OutboxEntry {
            OutboxEntry(
                id: id, position: position, type: mutation.type, entityID: mutation.entityID, mutation: mutation, payload: "{}", state: state,
                createdAt: at, attempts: attempts, lastError: error, result: result)
        }
        return [
            entry(
                "5b0c1e2a-1f00-4c11-9e0a-000000000001", 1,
                .updateGoal(goalID: "g-frt", baseVersion: 2, base: ["label": "Reduce first response time to under 15 minutes", "target_value": 15],
                    changes: ["label": "First response under 12 minutes", "target_value": 12]),
                .conflict, "2026-11-21T09:12:00Z", attempts: 1, error: "the server changed label too",
                result: PushResult(id: "5b0c1e2a-1f00-4c11-9e0a-000000000001", status: .conflict, conflicts: ["label"])),
            entry(
                "7d4e9f10-2a11-4b22-8c33-000000000002", 2,
                .createGoal(GoalDraft(id: "0e6b5a44-9c1d-4f2e-8a7b-3c2d1e0f9a8b", domain: .support, metricKey: "happiness", label: "Be happy", targetValue: 3, comparison: .gte, deadline: "2026-12-31")),
                .rejected, "2026-11-20T16:40:00Z", attempts: 1, error: "metric_key: unknown metric 'happiness'; see docs/scoring.md for the catalogue"),
            entry(
                "9a8b7c6d-3b22-4c33-9d44-000000000003", 3, .ackReview(reviewID: "rv-2026w46-7f3a9c", acknowledgedAt: "2026-11-21T09:58:30Z"),
                .pending, "2026-11-21T09:58:30Z", attempts: 2, error: "offline: Failed to connect to 127.0.0.1 port 18433 after 0 ms: Couldn't connect to server"),
        ]
    }

    /// The conflict and the rejection above, with the server's goal for the conflict.
    static var conflicts: [ConflictItem] {
        var theirs = goals.first { $0.id == "g-frt" }!
        theirs.label = "FRT below 15 min (team goal)"
        return outbox.filter { $0.state != .pending }.map { ConflictItem(entry: $0, theirs: $0.entityID == "g-frt" ? theirs : nil) }
    }
}
