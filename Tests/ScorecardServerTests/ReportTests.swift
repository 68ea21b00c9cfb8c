import Foundation
import ScorecardCore
import ScorecardServer
import ScorecardTesting
import Testing

/// Peer comparison (anonymised, hidden below the minimum team size) and the team summary
/// (leaderboard, averages, needs-coaching, most improved, SLA compliance, CSV), on hand-built
/// teams whose composites are worked out in the comments (support-only weeks, no resolution
/// minutes: SLA met 40, not escalated 20, CSAT 2 per star).
@Suite("Reports")
struct ReportTests {
    @Test(arguments: TestBackend.all) func peerComparisonOnAHandBuiltTeam(backend: TestBackend) async throws {
        try await withPerfServer(backend: backend) { server in
            try await server.store.addTeam("P", type: .support)
            try await server.store.addTeam("Other", type: .support)
            let w = Weeks.w40
            // Composites: peer-q1 0, peer-q2 20, peer-q3 40, peer-q4 66, peer-q5 40; outsider 70 in another team.
            let people: [(String, String, Bool, Bool, Int?)] = [
                ("peer-q1", "P", false, true, nil),  // 0
                ("peer-q2", "P", false, false, nil),  // 20
                ("peer-q3", "P", true, true, nil),  // 40
                ("peer-q4", "P", true, false, 3),  // 40 + 20 + 6 = 66
                ("peer-q5", "P", true, true, nil),  // 40
                ("outsider", "Other", true, false, 5),  // 70
            ]
            for (id, team, sla, escalated, csat) in people {
                try await server.addPerson(id, team: team)
                try await server.store.ingest([Activity.scoreTicket("\(id)-t", id, w, sla: sla, escalated: escalated, csat: csat)])
            }
            try await server.addPerson("loner")
            try await server.addPerson("unscored", team: "P")
            try await server.store.ingest([Activity.scoreTicket("loner-t", "loner", w, sla: true, escalated: false)])
            try await server.store.score(w)

            let q3 = try await server.login("peer-q3")
            let r = try await server.request("GET", "/api/v1/performance/peer-comparison?period=2026-W40", token: q3)
            #expect(r.status == 200, "\(r.text)")
            let c = try r.decode(PeerComparison.self)
            #expect(c.available)
            #expect(c.reason == nil)
            #expect(c.period == "2026-W40")
            #expect(c.teamSize == 5)  // the scored members of P; "unscored" has no week, the outsider another team
            #expect(c.yourScore == 40)
            // Of the 4 others, 2 are below (0, 20) and 1 ties (40, counting half): (2 + 0.5) / 4 = 62.5 %.
            #expect(c.percentile == 62.5)
            #expect(c.teamAverage == 33.2)  // (0 + 20 + 40 + 66 + 40) / 5 = 166 / 5
            let buckets = Dictionary(uniqueKeysWithValues: (c.distribution ?? []).map { ($0.range, $0.count) })
            #expect(c.distribution?.count == 10)
            #expect(
                buckets == [
                    "0-10": 1, "10-20": 0, "20-30": 1, "30-40": 0, "40-50": 2, "50-60": 0, "60-70": 1, "70-80": 0, "80-90": 0, "90-100": 0,
                ])
            // Anonymised: no teammate's id or name in the answer.
            for other in ["peer-q1", "peer-q2", "peer-q4", "peer-q5", "outsider"] {
                #expect(!r.text.contains(other), "the comparison names \(other)")
            }

            let lowest = try await server.request("GET", "/api/v1/performance/peer-comparison", token: try await server.login("peer-q1"))
                .decode(PeerComparison.self)
            #expect(lowest.percentile == 0)
            let highest = try await server.request("GET", "/api/v1/performance/peer-comparison", token: try await server.login("peer-q4"))
                .decode(PeerComparison.self)
            #expect(highest.percentile == 100)

            // No team, no scores: hidden with a reason.
            let loner = try await server.request("GET", "/api/v1/performance/peer-comparison", token: try await server.login("loner"))
                .decode(PeerComparison.self)
            #expect(!loner.available)
            #expect(loner.reason?.isEmpty == false)
            let unscored = try await server.request("GET", "/api/v1/performance/peer-comparison", token: try await server.login("unscored"))
                .decode(PeerComparison.self)
            #expect(!unscored.available)
            #expect(unscored.reason?.isEmpty == false)

            // Raise the minimum above the team: the stored figures hold until the week is scored
            // again; then hidden, with the reason, and no figures leak.
            try await server.store.set("peer_comparison_min_team_size", .number(6))
            #expect(try await server.request("GET", "/api/v1/performance/peer-comparison?period=2026-W40", token: q3).decode(PeerComparison.self).available)
            _ = try await server.store.score(w)
            let hidden = try await server.request("GET", "/api/v1/performance/peer-comparison?period=2026-W40", token: q3)
            #expect(hidden.status == 200)
            let h = try hidden.decode(PeerComparison.self)
            #expect(!h.available)
            #expect(h.reason?.contains(" 6 ") == true, "the reason names the minimum: \(h.reason ?? "")")
            #expect(h.percentile == nil)
            #expect(h.teamAverage == nil)
            #expect(h.distribution == nil)
            let bad = try await server.request("GET", "/api/v1/performance/peer-comparison?period=soon", token: q3)
            #expect(bad.status == 422)
        }
    }

    /// The endpoint answers from the snapshot's stored figures: shown, hidden with the stored
    /// reason, or (a snapshot scored before figures were stored) hidden with a reason saying so.
    @Test func peerComparisonIsTheStoredFigures() {
        var snapshot = Snapshot(
            personID: "p", period: Weeks.w40, compositeScore: 55, domainScores: [:], weights: [:], teamID: "t", teamType: "support",
            salesActivityRatio: 0, domains: [], createdAt: "2026-10-05T00:00:00Z", updatedAt: "2026-10-05T00:00:00Z", version: 1)
        let legacy = PeerComparison(stored: snapshot)
        #expect(!legacy.available && legacy.period == "2026-W40")
        #expect(legacy.reason == "peer figures were not stored when 2026-W40 was scored; they appear when the week is scored again")
        snapshot.peer = ScoringEngine.peerFigures(composite: 55, team: [55, 10, 95], period: Weeks.w40, minimumTeamSize: 3)
        let shown = PeerComparison(stored: snapshot)
        #expect(shown.available && shown.yourScore == 55 && shown.teamSize == 3 && shown.percentile == 50 && shown.teamAverage == 53.33)
        #expect(shown.distribution?.map(\.range) == (0..<10).map { "\($0 * 10)-\($0 * 10 + 10)" })
        #expect(shown.distribution?.map(\.count) == [0, 1, 0, 0, 0, 1, 0, 0, 0, 1])
        snapshot.peer = ScoringEngine.peerFigures(composite: 55, team: [55, 10], period: Weeks.w40, minimumTeamSize: 3)
        let hidden = PeerComparison(stored: snapshot)
        #expect(!hidden.available && hidden.percentile == nil && hidden.distribution == nil)
        #expect(hidden.reason == "fewer than 3 people in your team have scores for 2026-W40; comparison is hidden for privacy")
        snapshot.peer = ScoringEngine.peerFigures(composite: 55, team: nil, period: Weeks.w40, minimumTeamSize: 3)
        #expect(PeerComparison(stored: snapshot).reason == "you are not in a team")
    }

    @Test(arguments: TestBackend.all) func peerComparisonHiddenBelowTheDefaultMinimumOfThree(backend: TestBackend) async throws {
        try await withPerfServer(backend: backend) { server in
            try await server.store.addTeam("Duo", type: .support)
            for id in ["d1", "d2"] {
                try await server.addPerson(id, team: "Duo")
                try await server.store.ingest([Activity.scoreTicket("\(id)-t", id, Weeks.w40, sla: true, escalated: false)])
            }
            try await server.store.score(Weeks.w40)
            let c = try await server.request("GET", "/api/v1/performance/peer-comparison", token: try await server.login("d1")).decode(
                PeerComparison.self)
            #expect(!c.available)
            #expect(c.reason?.contains(" 3 ") == true, "the reason names the minimum: \(c.reason ?? "")")
            #expect(c.distribution == nil)
            #expect(c.teamAverage == nil)
        }
    }

    /// Team T over two weeks (2026-W39, then 2026-W40):
    ///
    /// | member | W39 | W40 | change |
    /// |--------|-----|-----|--------|
    /// | t1     | 40  | 70  | +30    |
    /// | t2     | 20  | 60  | +40    |
    /// | t3     | 66  | 40  | −26    |
    /// | t4     | —   | 0   | —      |
    func seedTeamT(_ server: PerfServer) async throws -> String {
        try await server.addPerson("mgrT", role: .manager)
        try await server.store.addTeam("T", type: .support, manager: "mgrT")
        for id in ["t1", "t2", "t3", "t4"] { try await server.addPerson(id, team: "T") }
        try await server.addPerson("x1")  // not in T, with activity
        let (w39, w40) = (Weeks.w39, Weeks.w40)
        try await server.store.ingest([
            Activity.scoreTicket("t1-a", "t1", w39, sla: true, escalated: true),  // 40
            Activity.scoreTicket("t2-a", "t2", w39, sla: false, escalated: false),  // 20
            Activity.scoreTicket("t3-a", "t3", w39, sla: true, escalated: false, csat: 3),  // 66
            Activity.scoreTicket("t1-b", "t1", w40, sla: true, escalated: false, csat: 5),  // 70
            Activity.scoreTicket("t2-b", "t2", w40, sla: true, escalated: false),  // 60
            Activity.scoreTicket("t3-b", "t3", w40, sla: true, escalated: true),  // 40
            // t4: SLA missed and escalated, plus an escalated ticket without an SLA → 0 + 0 + 0 + 0.
            Activity.scoreTicket("t4-b", "t4", w40, sla: false, escalated: true),
            Activity.scoreTicket("t4-c", "t4", w40, sla: nil, escalated: true),
            Activity.scoreTicket("x1-b", "x1", w40, sla: true, escalated: false, csat: 5),
        ])
        try await server.store.score(w39)
        try await server.store.score(w40)
        return try await server.login("mgrT")
    }

    @Test(arguments: TestBackend.all) func teamSummary(backend: TestBackend) async throws {
        try await withPerfServer(backend: backend) { server in
            let token = try await seedTeamT(server)
            let r = try await server.request("GET", "/api/v1/performance/team-summary?team_id=T&period=2026-W40", token: token)
            #expect(r.status == 200, "\(r.text)")
            let s = try r.decode(TeamSummary.self)
            #expect(s.teamID == "T")
            #expect(s.period == "2026-W40")
            #expect(s.members == 5)  // mgrT (the team's manager is a member), t1…t4
            #expect(s.membersScored == 4)
            #expect(s.leaderboard.map(\.personID) == ["t1", "t2", "t3", "t4"])  // 70, 60, 40, 0
            #expect(s.leaderboard.map(\.rank) == [1, 2, 3, 4])
            #expect(s.leaderboard.map(\.compositeScore) == [70, 60, 40, 0])
            #expect(s.leaderboard.map(\.previousScore) == [40, 20, 66, nil])
            #expect(s.leaderboard.map(\.change) == [30, 40, -26, nil])
            #expect(s.leaderboard.map(\.needsCoaching) == [false, true, true, true])  // below 70
            #expect(s.needsCoaching == 3)
            #expect(s.averageComposite == 42.5)  // (70 + 60 + 40 + 0) / 4
            #expect(s.topPerformer?.personID == "t1")
            #expect(s.mostImproved?.personID == "t2")  // +40 beats +30
            #expect(s.mostImproved?.change == 40)
            // Tickets with an SLA in W40: t1, t2, t3 met, t4's first missed (its second has none) → 3/4.
            #expect(s.slaCompliance == 75)
            #expect(s.reviewsGenerated == 0)
            #expect(!r.text.contains("x1"), "someone outside the team is listed")

            // A flagged review for t4 shows up in the count.
            _ = try await server.reviews.generate(
                personID: "t4", period: "2026-W40", actor: try #require(try await server.store.person(id: "mgrT")), force: false)
            let again = try await server.request("GET", "/api/v1/performance/team-summary?team_id=T&period=2026-W40", token: token)
            #expect(try again.decode(TeamSummary.self).reviewsGenerated == 1)

            // The previous week: no earlier week to compare with, so nobody is most improved.
            let earlier = try await server.request("GET", "/api/v1/performance/team-summary?team_id=T&period=2026-W39", token: token)
            let e = try earlier.decode(TeamSummary.self)
            #expect(e.leaderboard.map(\.personID) == ["t3", "t1", "t2"])  // 66, 40, 20
            #expect(e.mostImproved == nil)
            #expect(e.slaCompliance == 66.7)  // t1 and t3 met, t2 missed: 2/3 = 66.666… → one decimal

            // Default period: the latest scored week.
            let latest = try await server.request("GET", "/api/v1/performance/team-summary?team_id=T", token: token)
            #expect(try latest.decode(TeamSummary.self).period == "2026-W40")
        }
    }

    @Test(arguments: TestBackend.all) func teamSummaryCSV(backend: TestBackend) async throws {
        try await withPerfServer(backend: backend) { server in
            let token = try await seedTeamT(server)
            let r = try await server.request("GET", "/api/v1/performance/team-summary?team_id=T&period=2026-W40&format=csv", token: token)
            #expect(r.status == 200)
            #expect(r.header("Content-Type")?.hasPrefix("text/csv") == true)
            let expected = """
                rank,person_id,name,composite_score,previous_score,change,support,operations,field_service,communication,sales,data_quality
                1,t1,Person t1,70,40,30,70,,,,,
                2,t2,Person t2,60,20,40,60,,,,,
                3,t3,Person t3,40,66,-26,40,,,,,
                4,t4,Person t4,0,,,0,,,,,

                """
            #expect(r.text == expected)
        }
    }

    /// "Most improved" recognises the largest rise; when everyone's composite fell, nobody rose.
    @Test(arguments: TestBackend.all) func mostImprovedIsNobodyWhenEveryoneDeclined(backend: TestBackend) async throws {
        try await withPerfServer(backend: backend) { server in
            try await server.addPerson("mgrD", role: .manager)
            try await server.store.addTeam("D", type: .support, manager: "mgrD")
            for id in ["dd1", "dd2"] { try await server.addPerson(id, team: "D") }
            try await server.store.ingest([
                Activity.scoreTicket("dd1-a", "dd1", Weeks.w39, sla: true, escalated: false, csat: 5),  // 70
                Activity.scoreTicket("dd2-a", "dd2", Weeks.w39, sla: true, escalated: false),  // 60
                Activity.scoreTicket("dd1-b", "dd1", Weeks.w40, sla: true, escalated: true),  // 40 (−30)
                Activity.scoreTicket("dd2-b", "dd2", Weeks.w40, sla: false, escalated: false),  // 20 (−40)
            ])
            try await server.store.score(Weeks.w39)
            try await server.store.score(Weeks.w40)
            let r = try await server.request(
                "GET", "/api/v1/performance/team-summary?team_id=D&period=2026-W40", token: try await server.login("mgrD"))
            let s = try r.decode(TeamSummary.self)
            #expect(s.leaderboard.map(\.change) == [-30, -40])
            #expect(s.mostImproved == nil, "a fall of 30 points is reported as the most improved: \(String(describing: s.mostImproved))")
        }
    }
}
