import Foundation
import ScorecardCore
import ScorecardServer
import ScorecardTesting
import Testing

/// Seed 002's domain formulas, end to end: activity in the store → the batch queries → the
/// engine → the stored snapshot. Every expected number is worked out by hand in the comments
/// from the definitions (docs/scoring.md), never taken from the engine.
///
/// The scored week is 2026-W40: Monday 2026-09-28 00:00:00Z up to Monday 2026-10-05 (exclusive).
@Suite("Scoring formulas")
struct ScoringFormulaTests {
    let w = Weeks.w40

    /// The stored snapshot of `person` for the week, which must exist.
    func snapshot(_ store: any ServerStore, _ person: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Snapshot {
        try #require(
            try await store.snapshot(personID: person, period: w.description), "\(person) has no snapshot", sourceLocation: sourceLocation)
    }

    @Test(arguments: TestBackend.all) func support(backend: TestBackend) async throws {
        try await withStore(backend: backend) { store, _ in
            try await store.addTeam("S", type: .support)
            for id in ["s1", "s2", "s3"] { try await store.addPerson(id, team: "S") }
            try await store.addTeam("Z", type: .support)
            try await store.addPerson("z1", team: "Z")
            try await store.addPerson("s4")  // no team
            try await store.ingest([
                // s1: four tickets resolved in the week (the last one at the week's last second).
                Activity.ticket("s1-t1", "s1", resolved: w.at(0), sla: true, minutes: 30, csat: 5, tagged: true),
                Activity.ticket("s1-t2", "s1", resolved: w.at(2), sla: false, minutes: 90, escalated: true, csat: 3),
                Activity.ticket("s1-t3", "s1", resolved: w.at(3), sla: true),
                Activity.ticket("s1-t4", "s1", resolved: w.at(6, "23:59:59"), minutes: 60),
                // Not in the week: resolved the second before it, at its end, or not resolved at all.
                Activity.ticket("s1-prev", "s1", resolved: Weeks.w39.at(6, "23:59:59"), sla: false, minutes: 500, escalated: true, csat: 1),
                Activity.ticket("s1-next", "s1", resolved: Weeks.w41.at(0, "00:00:00"), sla: false, minutes: 500, escalated: true, csat: 1),
                Activity.ticket("s1-open", "s1", resolved: nil, opened: w.at(1), sla: false, minutes: 500, escalated: true, csat: 1),
                Activity.ticket("s2-u1", "s2", resolved: w.at(1), sla: true, minutes: 120, csat: 4),
                Activity.ticket("s2-u2", "s2", resolved: w.at(4), sla: true, minutes: 120, csat: 4),
                Activity.ticket("s3-u3", "s3", resolved: w.at(2), sla: true),
                Activity.ticket("s4-v1", "s4", resolved: w.at(2), sla: true, minutes: 45, csat: 5),
                Activity.ticket("z1-v1", "z1", resolved: w.at(2), sla: true, minutes: 0),
            ])
            let run = try await store.score(w)
            #expect(run.people == 5)

            // Team S's resolution baseline: mean of the members' own means that exist:
            // s1 (30+90+60)/3 = 60, s2 (120+120)/2 = 120, s3 none → (60+120)/2 = 90.
            let s1 = try await snapshot(store, "s1")
            let m1 = s1.metrics(.support)
            #expect(m1["sla_compliance_rate"] == 66.67)  // 2 met of 3 with an SLA (t4 has none) = 66.666…%
            #expect(m1["sla_compliance_rate_points"] == 26.67)  // 40 × 2/3 = 26.666…
            #expect(m1["avg_resolution_minutes"] == 60)  // (30 + 90 + 60) / 3; t3 has no value
            #expect(m1["avg_resolution_minutes_points"] == 10)  // 30 × max(0, 1 − 60/90) = 30 × 1/3
            #expect(m1["escalation_rate"] == 25)  // 1 escalated of 4 tickets
            #expect(m1["escalation_rate_points"] == 15)  // 20 × (1 − 0.25)
            #expect(m1["csat_avg"] == 4)  // (5 + 3) / 2, tickets without CSAT left out
            #expect(m1["csat_avg_points"] == 8)  // 4 / 5 × 10
            #expect(s1.domain(.support)?.rawScore == 59.67)  // 26.666… + 10 + 15 + 8 = 59.666…
            #expect(s1.compositeScore == 59.67)  // the only active domain
            #expect(s1.weights == ["support": 100])
            #expect(s1.domainScores == ["support": 59.67])
            #expect(s1.domain(.support)?.weightedScore == 59.67)
            #expect(s1.domains.map(\.domain) == [.support])
            #expect(s1.teamID == "S")
            #expect(s1.teamType == "support")
            #expect(s1.salesActivityRatio == 0)

            // s2 resolves slower than the team: 30 × max(0, 1 − 120/90) = 30 × max(0, −0.33) = 0 (clamped).
            let m2 = try await snapshot(store, "s2").metrics(.support)
            #expect(m2["avg_resolution_minutes"] == 120)
            #expect(m2["avg_resolution_minutes_points"] == 0)
            #expect(m2["sla_compliance_rate_points"] == 40)
            #expect(m2["escalation_rate_points"] == 20)
            #expect(m2["csat_avg_points"] == 8)
            #expect(try await snapshot(store, "s2").compositeScore == 68)  // 40 + 0 + 20 + 8

            // s3 has no resolution value: 0 points and no value; no CSAT: 0 points and no value.
            let s3 = try await snapshot(store, "s3")
            #expect(s3.metrics(.support)["avg_resolution_minutes"] == nil)
            #expect(s3.metrics(.support)["avg_resolution_minutes_points"] == 0)
            #expect(s3.metrics(.support)["csat_avg"] == nil)
            #expect(s3.metrics(.support)["csat_avg_points"] == 0)
            #expect(s3.compositeScore == 60)  // 40 + 0 + 20 + 0

            // s4 has no team: the resolution metric gets half its points, 15.
            let s4 = try await snapshot(store, "s4")
            #expect(s4.metrics(.support)["avg_resolution_minutes_points"] == 15)
            #expect(s4.compositeScore == 85)  // 40 + 15 + 20 + 10
            #expect(s4.teamID == nil)

            // z1's team baseline is 0 minutes (≤ 0): half points again.
            let z1 = try await snapshot(store, "z1")
            #expect(z1.metrics(.support)["avg_resolution_minutes"] == 0)
            #expect(z1.metrics(.support)["avg_resolution_minutes_points"] == 15)
            #expect(z1.compositeScore == 75)  // 40 + 15 + 20 + 0 (no CSAT)
        }
    }

    @Test(arguments: TestBackend.all) func operations(backend: TestBackend) async throws {
        try await withStore(backend: backend) { store, _ in
            try await store.addTeam("O", type: .operations)
            try await store.addPerson("o1", team: "O")
            try await store.addPerson("o2", team: "O")
            try await store.ingest([
                // Done on its due day: on time; effort 1 − |45 − 60|/60 = 0.75.
                Activity.task("k1", "o1", assigned: w.at(0), due: w.date(2), completed: w.at(2, "18:00:00"), estimate: 60, actual: 45),
                // Done two days late; effort max(0, 1 − |250 − 100|/100) = max(0, −0.5) = 0.
                Activity.task("k2", "o1", assigned: w.at(0), due: w.date(1), completed: w.at(3, "09:00:00"), estimate: 100, actual: 250),
                // Done, no due date (not in the on-time denominator), estimate 0 (not in effort accuracy).
                Activity.task("k3", "o1", assigned: w.at(1), completed: w.at(1, "15:00:00"), estimate: 0, actual: 30),
                // Not done, blocked (not in effort accuracy although it has both figures).
                Activity.task("k4", "o1", assigned: w.at(2), blocked: true, estimate: 30, actual: 30),
                // Assigned at the week's last second, done the next week before its due date: counts here.
                Activity.task("k5", "o1", assigned: w.at(6, "23:59:59"), due: Weeks.w41.date(5), completed: Weeks.w41.at(1), estimate: 50),
                // Assigned the week before: belongs to that week even though it was done in this one.
                Activity.task("k-prev", "o1", assigned: Weeks.w39.at(4), completed: w.at(0), blocked: true),
                Activity.task("k6", "o2", assigned: w.at(3)),
            ])
            try await store.score(w)

            let o1 = try await snapshot(store, "o1")
            let m = o1.metrics(.operations)
            #expect(m["task_completion_rate"] == 80)  // 4 done of 5 assigned
            #expect(m["task_completion_rate_points"] == 28)  // 35 × 0.8
            #expect(m["on_time_rate"] == 66.67)  // done with a due date: k1, k2, k5; on time: k1, k5 → 2/3
            #expect(m["on_time_rate_points"] == 20)  // 30 × 2/3
            #expect(m["effort_accuracy"] == 37.5)  // mean(0.75, 0) × 100
            #expect(m["effort_accuracy_points"] == 7.5)  // 20 × 0.375
            #expect(m["blocked_rate"] == 20)  // 1 blocked of 5
            #expect(m["blocked_rate_points"] == 12)  // 15 × (1 − 0.2)
            #expect(o1.compositeScore == 67.5)  // 28 + 20 + 7.5 + 12
            #expect(o1.weights == ["operations": 100])

            // Zero denominators: nothing done, nothing with a due date, no effort figures.
            let o2 = try await snapshot(store, "o2")
            let z = o2.metrics(.operations)
            #expect(z["task_completion_rate"] == 0)
            #expect(z["on_time_rate"] == 0)  // safe_div(0, 0) = 0
            #expect(z["on_time_rate_points"] == 0)
            #expect(z["effort_accuracy"] == nil)
            #expect(z["effort_accuracy_points"] == 0)
            #expect(z["blocked_rate_points"] == 15)
            #expect(o2.compositeScore == 15)
        }
    }

    @Test(arguments: TestBackend.all) func fieldService(backend: TestBackend) async throws {
        try await withStore(backend: backend) { store, _ in
            try await store.addPerson("f1")
            try await store.addPerson("f2")
            try await store.ingest([
                // 30 minutes late; duration 1 − |90 − 120|/120 = 0.75; notes.
                Activity.workOrder(
                    "w1", "f1", assigned: w.at(0), scheduled: w.at(1, "10:00:00"), started: w.at(1, "10:30:00"),
                    completed: w.at(1, "12:00:00"),
                    estimate: 120, actual: 90, notes: true),
                // Early start counts as 0 delay; duration exact (1.0); no notes.
                Activity.workOrder(
                    "w2", "f1", assigned: w.at(0), scheduled: w.at(2, "09:00:00"), started: w.at(2, "08:45:00"),
                    completed: w.at(2, "10:00:00"),
                    estimate: 60, actual: 60),
                // 90 minutes late, not completed: notes do not count for documentation.
                Activity.workOrder(
                    "w3", "f1", assigned: w.at(1), scheduled: w.at(3, "08:00:00"), started: w.at(3, "09:30:00"), notes: true),
                // Completed with notes, no schedule, no estimate.
                Activity.workOrder("w4", "f1", assigned: w.at(4), completed: w.at(4, "16:00:00"), notes: true),
                Activity.workOrder("w-prev", "f1", assigned: Weeks.w39.at(2), completed: w.at(1)),
                // f2: two hours late and not completed.
                Activity.workOrder("w5", "f2", assigned: w.at(0), scheduled: w.at(0, "10:00:00"), started: w.at(0, "12:00:00")),
            ])
            try await store.score(w)

            let f1 = try await snapshot(store, "f1")
            let m = f1.metrics(.fieldService)
            #expect(m["work_order_completion_rate"] == 75)  // 3 of 4
            #expect(m["work_order_completion_rate_points"] == 22.5)  // 30 × 0.75
            #expect(m["avg_schedule_delay_minutes"] == 40)  // (30 + 0 + 90) / 3
            #expect(m["avg_schedule_delay_minutes_points"] == 8.33)  // 25 × (1 − 40/60) = 8.333…
            #expect(m["duration_accuracy"] == 87.5)  // mean(0.75, 1.0) × 100
            #expect(m["duration_accuracy_points"] == 21.88)  // 25 × 0.875 = 21.875 → half away from zero
            #expect(m["documentation_rate"] == 66.67)  // w1 and w4 of 3 completed
            #expect(m["documentation_rate_points"] == 13.33)  // 20 × 2/3
            #expect(f1.compositeScore == 66.04)  // 22.5 + 8.333… + 21.875 + 13.333… = 66.041…

            // A delay beyond 60 minutes clamps to 0 points; nothing completed → 0/0 documentation.
            let f2 = try await snapshot(store, "f2")
            let n = f2.metrics(.fieldService)
            #expect(n["avg_schedule_delay_minutes"] == 120)
            #expect(n["avg_schedule_delay_minutes_points"] == 0)  // 25 × max(0, 1 − 2)
            #expect(n["work_order_completion_rate_points"] == 0)
            #expect(n["duration_accuracy"] == nil)
            #expect(n["duration_accuracy_points"] == 0)
            #expect(n["documentation_rate"] == 0)
            #expect(f2.compositeScore == 0)
        }
    }

    @Test(arguments: TestBackend.all) func communication(backend: TestBackend) async throws {
        try await withStore(backend: backend) { store, _ in
            try await store.addTeam("C", type: .support)
            for id in ["c1", "c2", "c3"] { try await store.addPerson(id, team: "C") }
            try await store.addPerson("c4")
            try await store.ingest([
                Activity.conversation(
                    "v1", "c1", started: w.at(0), channel: "email", firstResponse: 10, resolution: 60, resolved: true, tagged: true),
                Activity.conversation("v2", "c1", started: w.at(1), channel: "chat", firstResponse: 20, resolution: 120, resolved: true),
                // Not resolved: its resolution minutes are not in the resolution mean.
                Activity.conversation("v3", "c1", started: w.at(2), channel: "chat", resolution: 30),
                // A channel outside the setting's list: resolved, but no coverage.
                Activity.conversation("v4", "c1", started: w.at(3), channel: "fax", firstResponse: 30, resolved: true),
                Activity.conversation(
                    "v-prev", "c1", started: Weeks.w39.at(6, "23:59:59"), channel: "phone", firstResponse: 1, resolved: true),
                Activity.conversation("v5", "c2", started: w.at(2), channel: "phone", firstResponse: 40, resolution: 30, resolved: true),
                Activity.conversation("v6", "c3", started: w.at(4), channel: "sms"),
                Activity.conversation("v7", "c4", started: w.at(1), channel: "email", firstResponse: 5, resolution: 10, resolved: true),
            ])
            try await store.score(w)

            // Team C baselines: first response mean(c1 20, c2 40) = 30 (c3 has none);
            // resolution mean(c1 90, c2 30) = 60; resolved count mean(3, 1, 0) = 4/3 over members with a conversation.
            let c1 = try await snapshot(store, "c1")
            let m1 = c1.metrics(.communication)
            #expect(m1["avg_first_response_minutes"] == 20)  // (10 + 20 + 30) / 3
            #expect(m1["avg_first_response_minutes_points"] == 10)  // 30 × (1 − 20/30)
            #expect(m1["avg_conversation_resolution_minutes"] == 90)  // (60 + 120) / 2, resolved only
            #expect(m1["avg_conversation_resolution_minutes_points"] == 0)  // 25 × max(0, 1 − 90/60)
            #expect(m1["conversations_resolved"] == 3)  // v1, v2, v4
            #expect(m1["conversations_resolved_points"] == 25)  // min(25, 3 / (4/3) × 25 = 56.25)
            #expect(m1["channel_coverage"] == 40)  // email, chat of 5 channels (fax is not one)
            #expect(m1["channel_coverage_points"] == 8)  // 20 × 0.4
            #expect(c1.compositeScore == 43)  // 10 + 0 + 25 + 8

            let c2 = try await snapshot(store, "c2")
            let m2 = c2.metrics(.communication)
            #expect(m2["avg_first_response_minutes_points"] == 0)  // 30 × max(0, 1 − 40/30)
            #expect(m2["avg_conversation_resolution_minutes_points"] == 12.5)  // 25 × (1 − 30/60)
            #expect(m2["conversations_resolved_points"] == 18.75)  // 1 / (4/3) × 25
            #expect(m2["channel_coverage"] == 20)
            #expect(c2.compositeScore == 35.25)  // 0 + 12.5 + 18.75 + 4

            // c3: no values → 0 points for both times; 0 resolved → 0 of the volume points.
            let c3 = try await snapshot(store, "c3")
            let m3 = c3.metrics(.communication)
            #expect(m3["avg_first_response_minutes"] == nil)
            #expect(m3["avg_first_response_minutes_points"] == 0)
            #expect(m3["avg_conversation_resolution_minutes_points"] == 0)
            #expect(m3["conversations_resolved"] == 0)
            #expect(m3["conversations_resolved_points"] == 0)
            #expect(c3.compositeScore == 4)

            // No team: half points for every team comparison (15, 12.5, 12.5).
            let c4 = try await snapshot(store, "c4")
            let m4 = c4.metrics(.communication)
            #expect(m4["avg_first_response_minutes_points"] == 15)
            #expect(m4["avg_conversation_resolution_minutes_points"] == 12.5)
            #expect(m4["conversations_resolved_points"] == 12.5)
            #expect(c4.compositeScore == 44)  // 15 + 12.5 + 12.5 + 4

            // The channel list is a setting: with [email, chat, fax] c1 covers 3 of 3.
            try await store.set("communication_channels", .array(["email", "chat", "fax"].map(JSONValue.string)))
            try await store.score(w)
            let again = try await snapshot(store, "c1")
            #expect(again.metrics(.communication)["channel_coverage"] == 100)
            #expect(again.compositeScore == 55)  // 10 + 0 + 25 + 20
            #expect(try await snapshot(store, "c2").compositeScore == 31.25)  // phone is no longer a channel: 0 + 12.5 + 18.75 + 0
            // c4: email is 1 of 3: 20/3 = 6.666… → 15 + 12.5 + 12.5 + 6.666… = 46.666…
            #expect(try await snapshot(store, "c4").compositeScore == 46.67)
        }
    }

    @Test(arguments: TestBackend.all) func sales(backend: TestBackend) async throws {
        try await withStore(backend: backend) { store, _ in
            try await store.addTeam("L", type: .sales)
            for id in ["l1", "l2", "l3"] { try await store.addPerson(id, team: "L") }
            try await store.addPerson("l4")
            try await store.ingest([
                Activity.lead("d1", "l1", created: w.at(0), value: 1000),
                Activity.lead("d2", "l1", created: w.at(1), status: "won", closed: w.at(3), value: 3000),
                // Created the week before, lost in this one: in the win rate, not in the pipeline.
                Activity.lead("d3", "l1", created: Weeks.w39.at(2), status: "lost", closed: w.at(2), value: 500),
                // Created in this week, won in the next: in the pipeline, not in this week's win rate.
                Activity.lead("d4", "l1", created: w.at(4), status: "won", closed: Weeks.w41.at(1), value: 2000),
                Activity.quote("q1", "l1", sent: w.at(1), accepted: true, value: 100),
                Activity.quote("q2", "l1", sent: w.at(2), accepted: false),
                Activity.quote("q3", "l1", sent: w.at(3), accepted: nil),  // no answer yet: sent, not accepted
                Activity.quote("q-prev", "l1", sent: Weeks.w39.at(5), accepted: true),
                Activity.leadMessage("m1", "l1", sent: w.at(0)), Activity.leadMessage("m2", "l1", sent: w.at(1)),
                Activity.leadMessage("m3", "l1", sent: w.at(2)), Activity.leadMessage("m4", "l1", sent: w.at(3)),
                Activity.lead("d5", "l2", created: w.at(1), status: "won", closed: w.at(2), value: 2000),
                Activity.quote("q4", "l2", sent: w.at(2), accepted: true),
                Activity.leadMessage("m5", "l2", sent: w.at(1)), Activity.leadMessage("m6", "l2", sent: w.at(4)),
                Activity.quote("q5", "l3", sent: w.at(3), accepted: false),
                Activity.lead("d6", "l4", created: w.at(0), value: 100),
            ])
            try await store.score(w)

            // Team L baselines over members with sales activity (l1, l2, l3):
            // pipeline mean(6000, 2000, 0) = 2666.67; lead messages mean(4, 2, 0) = 2.
            let l1 = try await snapshot(store, "l1")
            let m1 = l1.metrics(.sales)
            #expect(m1["win_rate"] == 50)  // won d2, lost d3
            #expect(m1["win_rate_points"] == 17.5)  // 35 × 0.5
            #expect(m1["pipeline_value"] == 6000)  // d1 + d2 + d4 created in the week
            #expect(m1["pipeline_value_points"] == 25)  // min(25, 6000/2666.67 × 25 = 56.25)
            #expect(m1["quote_acceptance_rate"] == 33.33)  // 1 of 3 sent
            #expect(m1["quote_acceptance_rate_points"] == 8.33)  // 25 / 3
            #expect(m1["lead_messages"] == 4)
            #expect(m1["lead_messages_points"] == 15)  // min(15, 4/2 × 15 = 30)
            #expect(l1.compositeScore == 65.83)  // 17.5 + 25 + 8.333… + 15 = 65.833…
            // Sales events: 3 created + 2 closed + 3 quotes + 4 messages = 12 of 12 events.
            #expect(l1.salesActivityRatio == 1)
            #expect(l1.weights == ["sales": 100])
            #expect(l1.teamType == "sales")

            let l2 = try await snapshot(store, "l2")
            #expect(l2.metrics(.sales)["pipeline_value_points"] == 18.75)  // 2000 / 2666.67 × 25
            #expect(l2.metrics(.sales)["lead_messages_points"] == 15)  // 2 / 2 × 15
            #expect(l2.compositeScore == 93.75)  // 35 + 18.75 + 25 + 15

            // l3: only a declined quote; no closed lead → win rate 0/0 = 0.
            let l3 = try await snapshot(store, "l3")
            #expect(l3.metrics(.sales)["win_rate"] == 0)
            #expect(l3.metrics(.sales)["pipeline_value_points"] == 0)
            #expect(l3.metrics(.sales)["lead_messages_points"] == 0)
            #expect(l3.compositeScore == 0)

            // No team: no baselines → half of pipeline (12.5) and of messages (7.5).
            let l4 = try await snapshot(store, "l4")
            #expect(l4.metrics(.sales)["pipeline_value_points"] == 12.5)
            #expect(l4.metrics(.sales)["lead_messages_points"] == 7.5)
            #expect(l4.compositeScore == 20)
        }
    }

    @Test(arguments: TestBackend.all) func dataQuality(backend: TestBackend) async throws {
        try await withStore(backend: backend) { store, _ in
            try await store.addPerson("dq1")
            try await store.addPerson("dq2")
            try await store.ingest([
                Activity.record("r1", "dq1", touched: w.at(0), type: "contact", total: 10, filled: 8, note: 50),
                Activity.record("r2", "dq1", touched: w.at(1), type: "contact", total: 4, filled: 4),
                Activity.record("r3", "dq1", touched: w.at(2), type: "organization", total: 5, filled: 2, note: 250),
                Activity.record("r-prev", "dq1", touched: Weeks.w39.at(3), type: "contact", total: 10, filled: 0, note: 1),
                Activity.ticket("tk1", "dq1", resolved: w.at(1), tagged: true),
                Activity.ticket("tk2", "dq1", resolved: w.at(2)),
                Activity.conversation("cv1", "dq1", started: w.at(1), channel: "email", tagged: true),
                Activity.conversation("cv2", "dq1", started: w.at(2), channel: "chat"),
                Activity.conversation("cv-prev", "dq1", started: Weeks.w39.at(6), channel: "chat", tagged: true),
                Activity.record("r4", "dq2", touched: w.at(3), type: "contact", total: 3, filled: 1, note: 40),
            ])
            try await store.score(w)

            let dq1 = try await snapshot(store, "dq1")
            let m = dq1.metrics(.dataQuality)
            #expect(m["contact_completeness"] == 90)  // mean(8/10, 4/4) = 0.9
            #expect(m["contact_completeness_points"] == 36)  // 40 × 0.9
            #expect(m["org_completeness"] == 40)  // 2/5
            #expect(m["org_completeness_points"] == 10)  // 25 × 0.4
            #expect(m["tagging_rate"] == 50)  // (1 tagged ticket + 1 tagged conversation) / (2 + 2)
            #expect(m["tagging_rate_points"] == 10)  // 20 × 0.5
            #expect(m["avg_note_length"] == 150)  // mean(50, 250), r2's empty note left out
            #expect(m["avg_note_length_points"] == 15)  // 15 × min(1, 150/100)
            #expect(dq1.domain(.dataQuality)?.rawScore == 71)  // 36 + 10 + 10 + 15
            // 7 events (2 tickets, 2 conversations, 3 records), none of them sales.
            #expect(dq1.salesActivityRatio == 0)
            #expect(Set(dq1.domains.map(\.domain)) == [.support, .communication, .dataQuality])

            // No organisation record and nothing to tag: 0 points, no org value; 0/0 tagging = 0.
            let dq2 = try await snapshot(store, "dq2")
            let n = dq2.metrics(.dataQuality)
            #expect(n["contact_completeness"] == 33.33)  // 1/3
            #expect(n["contact_completeness_points"] == 13.33)  // 40 / 3
            #expect(n["org_completeness"] == nil)
            #expect(n["org_completeness_points"] == 0)
            #expect(n["tagging_rate"] == 0)
            #expect(n["avg_note_length_points"] == 6)  // 15 × 40/100
            #expect(dq2.compositeScore == 19.33)  // 13.333… + 0 + 0 + 6
        }
    }

    @Test(arguments: TestBackend.all) func salesActivityRatioCountsEveryEvent(backend: TestBackend) async throws {
        try await withStore(backend: backend) { store, _ in
            for id in ["r1", "r2", "r3"] { try await store.addPerson(id) }
            try await store.ingest([
                // r1: ticket, task, record and one lead message → 1 / 4.
                Activity.ticket("r1-t", "r1", resolved: w.at(1), sla: true),
                Activity.task("r1-k", "r1", assigned: w.at(1)),
                Activity.record("r1-r", "r1", touched: w.at(1), type: "contact", total: 2, filled: 1),
                Activity.leadMessage("r1-m", "r1", sent: w.at(1)),
                // r2: two tickets and a lead message → 1 / 3 = 0.3333 (four decimals).
                Activity.ticket("r2-t1", "r2", resolved: w.at(1), sla: true),
                Activity.ticket("r2-t2", "r2", resolved: w.at(2), sla: true),
                Activity.leadMessage("r2-m", "r2", sent: w.at(2)),
                // r3: a lead created and closed in the week counts twice (created + closed), a work
                // order and a conversation once each → 2 / 4.
                Activity.lead("r3-d", "r3", created: w.at(0), status: "lost", closed: w.at(1)),
                Activity.workOrder("r3-w", "r3", assigned: w.at(1)),
                Activity.conversation("r3-c", "r3", started: w.at(1), channel: "chat"),
            ])
            try await store.score(w)
            #expect(try await snapshot(store, "r1").salesActivityRatio == 0.25)
            #expect(try await snapshot(store, "r2").salesActivityRatio == 0.3333)
            #expect(try await snapshot(store, "r3").salesActivityRatio == 0.5)
        }
    }

    @Test(arguments: TestBackend.all) func peopleWithoutActivityInTheWeekGetNoSnapshot(backend: TestBackend) async throws {
        try await withStore(backend: backend) { store, temp in
            for id in ["busy", "idle", "elsewhen", "open-only", "feedback-only", "leaver"] { try await store.addPerson(id) }
            try await store.ingest([
                Activity.ticket("t1", "busy", resolved: w.at(1), sla: true),
                Activity.ticket("t2", "elsewhen", resolved: Weeks.w41.at(0, "00:00:00"), sla: true),
                Activity.task("k1", "elsewhen", assigned: Weeks.w39.at(6, "23:59:59")),
                Activity.ticket("t3", "open-only", resolved: nil, opened: w.at(1)),
                Activity.feedback("fb1", "feedback-only", at: w.at(1), text: "Nice work"),
                Activity.ticket("t4", "leaver", resolved: w.at(1), sla: true),
            ])
            try await store.deactivatePerson(id: "leaver")
            let run = try await store.score(w)
            #expect(run.people == 1)
            #expect(run.saved.inserted == 1)
            #expect(try await store.snapshots(period: w.description).map(\.personID) == ["busy"])
            #expect(try await temp.count("SELECT COUNT(*) FROM snapshots") == 1)
            #expect(try await temp.count("SELECT COUNT(*) FROM domain_scores") == 1)
        }
    }

    /// Timestamps with fractional seconds are placed by their whole second.
    @Test(arguments: TestBackend.all) func fractionalSecondsAtTheWeekBoundary(backend: TestBackend) async throws {
        try await withStore(backend: backend) { store, _ in
            try await store.addPerson("p")
            try await store.ingest([
                Activity.ticket("in", "p", resolved: w.at(6, "23:59:59.999"), sla: true),
                Activity.ticket("out", "p", resolved: Weeks.w41.at(0, "00:00:00.000"), sla: false),
            ])
            try await store.score(w)
            let m = try await snapshot(store, "p").metrics(.support)
            #expect(m["sla_compliance_rate"] == 100)  // only "in" is in the week
        }
    }
}
