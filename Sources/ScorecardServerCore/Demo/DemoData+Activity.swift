import Foundation
import Logging
import ScorecardCore

extension DemoData {
    /// How busy a team type keeps each domain: mean events per working day.
    static func dailyVolume(_ type: TeamType?) -> [String: Int] {
        switch type {
        case .support?: return ["ticket": 5, "task": 1, "work_order": 0, "conversation": 6, "lead": 0, "quote": 0, "lead_message": 1, "record": 3]
        case .operations?: return ["ticket": 1, "task": 5, "work_order": 1, "conversation": 2, "lead": 0, "quote": 0, "lead_message": 0, "record": 2]
        case .fieldService?: return ["ticket": 1, "task": 1, "work_order": 4, "conversation": 1, "lead": 0, "quote": 1, "lead_message": 0, "record": 2]
        case .sales?: return ["ticket": 0, "task": 1, "work_order": 0, "conversation": 3, "lead": 3, "quote": 2, "lead_message": 6, "record": 3]
        case nil: return ["ticket": 2, "task": 2, "work_order": 1, "conversation": 2, "lead": 1, "quote": 1, "lead_message": 1, "record": 2]
        }
    }

    static let channels = ["email", "chat", "phone", "sms", "social"]
    /// Ticket summaries as a help desk writes them, personal data included (reviews redact it).
    static func ticketTopic(_ n: Int, email: String, number: Int) -> String {
        switch n % 4 {
        case 0: return "Customer \(email) cannot log in after the password reset; asked to call back on +1 415 555 0\(100 + number % 900)."
        case 1: return "Invoice INV-2026-\(number) disputed by \(email); card 4242 4242 4242 4242 was charged twice."
        case 2: return "Router at 12 Harbour Street keeps dropping; \(email) asked for an engineer (case \(number))."
        default: return "Refund request from \(email) for order \(number), resolved with a credit note."
        }
    }

    /// Activity for every domain, seeded per (agent, day) like the calls.
    func activity(agent: String, team: TeamType?, skill: Double, day: CivilDate, rng: inout SplitMix64) -> [[String: JSONValue]] {
        func chance(_ p: Double) -> Bool { Double(rng.next() % 10_000) / 10_000 < p }
        func between(_ lo: Int, _ hi: Int) -> Int { lo + Int(rng.next() % UInt64(hi - lo + 1)) }
        func at(_ minutes: Int) -> JSONValue { .string(Timestamp.format(epochSeconds: day.daysSinceEpoch * 86_400 + minutes * 60)) }
        let volume = DemoData.dailyVolume(team)
        func count(_ kind: String) -> Int {
            let mean = volume[kind] ?? 0
            return mean == 0 ? (chance(0.15) ? 1 : 0) : between(max(0, mean - 1), mean + 1)
        }
        let slack = 1.4 - skill  // 0.4 for the best, 0.8 for the weakest
        let email = "\(agent.replacingOccurrences(of: "-", with: "."))-customer@example.com"
        var out: [[String: JSONValue]] = []
        func record(_ kind: String, _ n: Int, _ fields: [String: JSONValue]) {
            var object = fields
            object["kind"] = .string(kind)
            object["id"] = .string("\(agent)-\(day)-\(kind)-\(n)")
            object["person_id"] = .string(agent)
            out.append(object)
        }
        for n in 0..<count("ticket") {
            let opened = 8 * 60 + between(0, 480)
            record("ticket", n, [
                "opened_at": at(opened), "resolved_at": at(opened + Int(Double(between(30, 300)) * slack * 2)),
                "sla_met": .bool(chance(0.55 + 0.4 * skill)), "resolution_minutes": .number(Double(Int(Double(between(30, 300)) * slack * 2))),
                "escalated": .bool(chance(0.25 * slack)), "csat": chance(0.6) ? .number(Double(chance(skill) ? between(4, 5) : between(2, 4))) : .null,
                "tagged": .bool(chance(0.4 + 0.5 * skill)), "summary": .string(DemoData.ticketTopic(n, email: email, number: between(1, 9999))),
            ])
        }
        for n in 0..<count("task") {
            let estimate = Double(between(60, 240))
            let done = chance(0.45 + 0.5 * skill)
            let dueIn = between(1, 4)
            let tookDays = between(0, 5)
            record("task", n, [
                "assigned_at": at(9 * 60 + between(0, 300)), "due_date": .string(day.adding(days: dueIn).description),
                "completed_at": done ? at(tookDays * 1440 + 10 * 60 + between(0, 400)) : .null, "blocked": .bool(chance(0.2 * slack)),
                "estimated_minutes": .number(estimate), "actual_minutes": done ? .number((estimate * (0.6 + Double(between(0, 100)) / 100 * slack * 1.5)).rounded()) : .null,
            ])
        }
        for n in 0..<count("work_order") {
            let scheduled = 9 * 60 + n * 150
            let estimate = Double(between(60, 180))
            let completed = chance(0.55 + 0.4 * skill)
            record("work_order", n, [
                "assigned_at": at(7 * 60 + n), "scheduled_start": at(scheduled), "actual_start": at(scheduled + Int(Double(between(0, 70)) * slack)),
                "completed_at": completed ? at(scheduled + Int(estimate) + 30) : .null, "estimated_minutes": .number(estimate),
                "actual_minutes": completed ? .number((estimate * (0.7 + Double(between(0, 100)) / 100 * slack)).rounded()) : .null,
                "has_notes": .bool(chance(0.35 + 0.6 * skill)),
                "summary": .string("Install at \(between(1, 99)) Station Road for \(email); gate code 4471, customer phone 020 7946 0\(between(100, 999))."),
            ])
        }
        for n in 0..<count("conversation") {
            let used = max(1, Int(Double(DemoData.channels.count) * skill))
            record("conversation", n, [
                "started_at": at(8 * 60 + between(0, 540)), "channel": .string(DemoData.channels[between(0, used - 1)]),
                "first_response_minutes": .number(Double(Int(Double(between(2, 25)) * slack * 2))),
                "resolution_minutes": .number(Double(Int(Double(between(15, 120)) * slack * 2))), "resolved": .bool(chance(0.55 + 0.4 * skill)),
                "tagged": .bool(chance(0.4 + 0.5 * skill)), "summary": .string("Chat with \(email) about their plan upgrade."),
            ])
        }
        for n in 0..<count("lead") {
            let outcome = chance(0.5) ? "open" : (chance(0.3 + 0.5 * skill) ? "won" : "lost")
            record("lead", n, [
                "created_at": at(9 * 60 + between(0, 400)), "status": .string(outcome),
                "closed_at": outcome == "open" ? .null : at(15 * 60 + between(0, 120)), "value": .number(Double(between(5, 50) * 100)),
            ])
        }
        for n in 0..<count("quote") {
            record("quote", n, [
                "sent_at": at(10 * 60 + between(0, 400)), "accepted": chance(0.7) ? .bool(chance(0.25 + 0.5 * skill)) : .null,
                "value": .number(Double(between(5, 80) * 50)),
            ])
        }
        for n in 0..<count("lead_message") {
            record("lead_message", n, ["sent_at": at(9 * 60 + between(0, 500))])
        }
        for n in 0..<count("record") {
            record("record", n, [
                "touched_at": at(9 * 60 + between(0, 480)), "record_type": .string(chance(0.7) ? "contact" : "organization"),
                "fields_total": .number(10), "fields_filled": .number(Double(min(10, Int(Double(between(5, 10)) * (0.6 + 0.4 * skill) + 1)))),
                "note_length": .number(Double(chance(0.3) ? 0 : Int(Double(between(20, 200)) * skill))),
            ])
        }
        if chance(0.3) {
            let types = FeedbackType.allCases
            let type = types[between(0, types.count - 1)]
            record("feedback", 0, [
                "occurred_at": at(16 * 60 + between(0, 60)), "feedback_type": .string(type.rawValue),
                "feedback": .string(DemoData.feedbackText[type]!), "rating": .number(Double(between(3, 5))),
                "context": .string("Weekly review of \(team?.rawValue ?? "general") work"), "project_id": .string("proj-\(between(1, 3))"),
            ])
        }
        return out
    }

    static let feedbackText: [FeedbackType: String] = [
        .correction: "Closed a ticket before the customer confirmed the fix; reopen and confirm next time.",
        .enhancement: "Good summary notes; add the root cause so the next shift can reuse them.",
        .approval: "Handled an escalated customer calmly and resolved it on the first call.",
        .innovation: "Suggested a canned reply for router resets that saved the team time.",
    ]
}

extension DemoData {
    /// Scores the generated weeks, writes rule-based reviews for flagged agents, and gives each
    /// agent two goals the first time, so the demo shows scores, reviews and goals.
    func scoreAndCoach(agents: [String], store: any ServerStore, logger: Logger, summary: inout Summary) async throws {
        if try await store.settings().stored["review_generation_enabled"] == nil {
            try await store.setSetting(key: "review_generation_enabled", value: .bool(true), by: nil)
        }
        summary.weeksScored = try await ScoringJob(store: store, logger: logger).backfill(today: options.endDate).count
        summary.reviews = try await ReviewService(store: store, logger: logger).runFlagged().generated
        let stamp = Timestamp.now()
        for agent in agents where try await store.goals(personID: agent).isEmpty {
            let drafts = [
                GoalRules.Draft(
                    id: "\(agent)-goal-composite", personID: agent, domain: "communication", metricKey: "composite_score",
                    label: "Reach a composite score of 75", targetValue: 75, comparison: "gte", deadline: options.endDate.adding(days: 42).description),
                GoalRules.Draft(
                    id: "\(agent)-goal-frt", personID: agent, domain: "communication", metricKey: "avg_first_response_minutes",
                    label: "First response under 15 minutes", targetValue: 15, comparison: "lte", deadline: options.endDate.adding(days: 28).description),
            ]
            for draft in drafts {
                let goal = try GoalRules.create(draft, personID: agent, createdBy: "admin", today: options.endDate, now: stamp)
                try await store.createGoal(goal)
                summary.goals += 1
            }
        }
        _ = try await GoalsJob(store: store, logger: logger).refresh(today: options.endDate)
    }
}
