import Foundation
import ScorecardCore
import ScorecardServer
import ScorecardTesting
import Testing

/// Role-adaptive weights: the default table, the team-type columns of seed 002, the team-type
/// override settings, the sales-profile override, and renormalisation over active domains.
/// Expected composites are worked out by hand in the comments.
@Suite("Scoring weights")
struct ScoringWeightsTests {
    let w = Weeks.w40

    /// The same three-domain week for `person` (each in a team of their own, so no baseline
    /// couples them):
    /// * support 70: SLA met 40, no resolution minutes 0, not escalated 20, CSAT 5 → 10;
    /// * operations 100: done 35, on time 30, effort exact 20, not blocked 15;
    /// * data_quality 75: contact 10/10 → 40, no organisation 0, the ticket is tagged 1/1 → 20, note 100 → 15.
    /// Communication, field service and sales have no activity and are left out.
    static func mixedWeek(_ person: String, _ w: ISOWeek) -> [JSONValue] {
        [
            Activity.ticket("\(person)-t", person, resolved: w.at(1), sla: true, csat: 5, tagged: true),
            Activity.task("\(person)-k", person, assigned: w.at(0), due: w.date(2), completed: w.at(1), estimate: 60, actual: 60),
            Activity.record("\(person)-r", person, touched: w.at(2), type: "contact", total: 10, filled: 10, note: 100),
        ]
    }

    func snapshot(_ store: any ServerStore, _ person: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Snapshot {
        try #require(
            try await store.snapshot(personID: person, period: w.description), "\(person) has no snapshot", sourceLocation: sourceLocation)
    }

    /// Seeds one person per team type (and one without a team) with the mixed week.
    func seedMixed(_ store: any ServerStore) async throws {
        let teams: [(String, TeamType?)] = [("none", nil), ("ops", .operations), ("sup", .support), ("fs", .fieldService), ("sal", .sales)]
        for (name, type) in teams {
            if let type {
                try await store.addTeam("team-\(name)", type: type)
                try await store.addPerson("mix-\(name)", team: "team-\(name)")
            } else {
                try await store.addPerson("mix-\(name)")
            }
            try await store.ingest(Self.mixedWeek("mix-\(name)", w))
        }
    }

    @Test(arguments: TestBackend.all) func defaultTableAndTeamTypeColumnsRenormalisedOverActiveDomains(backend: TestBackend) async throws {
        try await withStore(backend: backend) { store, _ in
            try await seedMixed(store)
            try await store.score(w)

            // Default table: support 20, operations 15, data_quality 10 → sum 45 over the active domains.
            // (70×20 + 100×15 + 75×10) / 45 = 3650/45 = 81.111…
            let none = try await snapshot(store, "mix-none")
            #expect(none.domainScores == ["support": 70, "operations": 100, "data_quality": 75])
            #expect(none.compositeScore == 81.11)
            #expect(none.weights == ["support": 44.44, "operations": 33.33, "data_quality": 22.22])  // 20/45, 15/45, 10/45
            #expect(none.domain(.support)?.weightedScore == 31.11)  // 70 × 20/45 = 31.111…
            #expect(none.domain(.operations)?.weightedScore == 33.33)  // 100 × 15/45
            #expect(none.domain(.dataQuality)?.weightedScore == 16.67)  // 75 × 10/45 = 16.666…
            #expect(none.teamType == nil)

            // Operations column: support 15, operations 25, data_quality 10 → 50.
            // (70×15 + 100×25 + 75×10) / 50 = 4300/50 = 86
            let ops = try await snapshot(store, "mix-ops")
            #expect(ops.compositeScore == 86)
            #expect(ops.weights == ["support": 30, "operations": 50, "data_quality": 20])
            #expect(ops.domain(.support)?.weightedScore == 21)  // 70 × 0.3
            #expect(ops.teamType == "operations")

            // Support column: support 30, operations 10, data_quality 10 → 50.
            // (70×30 + 100×10 + 75×10) / 50 = 3850/50 = 77
            let sup = try await snapshot(store, "mix-sup")
            #expect(sup.compositeScore == 77)
            #expect(sup.weights == ["support": 60, "operations": 20, "data_quality": 20])

            // Field service column: support 10, operations 15, data_quality 10 → 35.
            // (70×10 + 100×15 + 75×10) / 35 = 2950/35 = 84.2857…
            let fs = try await snapshot(store, "mix-fs")
            #expect(fs.compositeScore == 84.29)
            #expect(fs.weights == ["support": 28.57, "operations": 42.86, "data_quality": 28.57])  // 10/35, 15/35, 10/35
            #expect(fs.domain(.dataQuality)?.weightedScore == 21.43)  // 75 × 10/35 = 21.428…

            // A sales team without a sales profile uses the default table.
            let sal = try await snapshot(store, "mix-sal")
            #expect(sal.compositeScore == 81.11)
            #expect(sal.weights == none.weights)
            #expect(sal.teamType == "sales")

            for snapshot in [none, ops, sup, fs, sal] {
                let total = snapshot.weights.values.reduce(0, +)
                #expect(abs(total - 100) <= 0.02, "\(snapshot.personID): weights sum to \(total)")
                #expect(Set(snapshot.weights.keys) == ["support", "operations", "data_quality"], "only active domains carry weight")
            }
        }
    }

    @Test(arguments: TestBackend.all) func teamTypeAndDefaultOverrideSettings(backend: TestBackend) async throws {
        try await withStore(backend: backend) { store, _ in
            try await seedMixed(store)

            // The support override replaces the support column for support teams only.
            try await store.set("domain_weights_support", weightsJSON(["support": 50, "data_quality": 50]))
            try await store.score(w)
            // (70×50 + 100×0 + 75×50) / 100 = 72.5 (operations is in the table with weight 0)
            let sup = try await snapshot(store, "mix-sup")
            #expect(sup.compositeScore == 72.5)
            #expect(sup.weights["support"] == 50)
            #expect(sup.weights["data_quality"] == 50)
            #expect((sup.weights["operations"] ?? 0) == 0)
            #expect(try await snapshot(store, "mix-ops").compositeScore == 86)  // unchanged
            #expect(try await snapshot(store, "mix-none").compositeScore == 81.11)  // unchanged

            // The default table setting changes people without a team and sales teams, not the
            // team types that have their own column.
            try await store.set(
                "domain_weights",
                weightsJSON(["support": 10, "operations": 10, "field_service": 10, "communication": 10, "sales": 10, "data_quality": 70]))
            try await store.score(w)
            // (70×10 + 100×10 + 75×70) / 90 = 6950/90 = 77.222…
            #expect(try await snapshot(store, "mix-none").compositeScore == 77.22)
            #expect(try await snapshot(store, "mix-sal").compositeScore == 77.22)
            #expect(try await snapshot(store, "mix-ops").compositeScore == 86)
            #expect(try await snapshot(store, "mix-fs").compositeScore == 84.29)
            #expect(try await snapshot(store, "mix-sup").compositeScore == 72.5)

            // Null resets an override: support teams are back on seed 002's column.
            try await store.set("domain_weights_support", .null)
            try await store.score(w)
            #expect(try await snapshot(store, "mix-sup").compositeScore == 77)

            // The operations and field service overrides apply to their team types.
            try await store.set("domain_weights_operations", weightsJSON(["operations": 1]))
            try await store.set("domain_weights_field_service", weightsJSON(["support": 1, "data_quality": 1]))
            try await store.score(w)
            #expect(try await snapshot(store, "mix-ops").compositeScore == 100)  // operations alone: 100
            #expect(try await snapshot(store, "mix-fs").compositeScore == 72.5)  // (70 + 75) / 2
        }
    }

    @Test(arguments: TestBackend.all) func salesProfileOverride(backend: TestBackend) async throws {
        try await withStore(backend: backend) { store, _ in
            try await store.addTeam("sup2", type: .support)
            try await store.addTeam("sal2", type: .sales)
            try await store.addPerson("sp1", team: "sup2")
            try await store.addPerson("sp2", team: "sal2")
            try await store.addPerson("sp3")
            try await store.ingest([
                // sp1 (support team, alone): support 70 as in the mixed week; sales 100: a lead
                // created and won (35), pipeline and messages equal to the team's own mean (25, 15),
                // the quote accepted (25). Events: 1 ticket + 4 sales (created, closed, quote,
                // message) → ratio 4/5 = 0.8.
                Activity.ticket("sp1-t", "sp1", resolved: w.at(1), sla: true, csat: 5),
                Activity.lead("sp1-d", "sp1", created: w.at(0), status: "won", closed: w.at(2), value: 1000),
                Activity.quote("sp1-q", "sp1", sent: w.at(1), accepted: true),
                Activity.leadMessage("sp1-m", "sp1", sent: w.at(1)),
                // sp2 (sales team, alone): three tickets (support 70) and one message.
                // Sales: win 0, pipeline baseline 0 → 12.5, quotes 0/0 → 0, messages 1/1 → 15 → 27.5.
                // Ratio 1/4 = 0.25.
                Activity.ticket("sp2-t1", "sp2", resolved: w.at(1), sla: true, csat: 5),
                Activity.ticket("sp2-t2", "sp2", resolved: w.at(2), sla: true, csat: 5),
                Activity.ticket("sp2-t3", "sp2", resolved: w.at(3), sla: true, csat: 5),
                Activity.leadMessage("sp2-m", "sp2", sent: w.at(1)),
                // sp3 (no team): one ticket (70) and one message → ratio exactly 0.5.
                // Sales without a team: 0 + 12.5 + 0 + 7.5 = 20.
                Activity.ticket("sp3-t", "sp3", resolved: w.at(1), sla: true, csat: 5),
                Activity.leadMessage("sp3-m", "sp3", sent: w.at(1)),
            ])

            // No profile set: team-type column / default.
            try await store.score(w)
            let sp1 = try await snapshot(store, "sp1")
            #expect(sp1.salesActivityRatio == 0.8)
            #expect(sp1.domainScores == ["support": 70, "sales": 100])
            #expect(sp1.compositeScore == 80)  // support column 30/15: (70×30 + 100×15) / 45 = 3600/45
            let sp2 = try await snapshot(store, "sp2")
            #expect(sp2.salesActivityRatio == 0.25)
            #expect(sp2.domainScores == ["support": 70, "sales": 27.5])
            #expect(sp2.compositeScore == 48.75)  // default 20/20: (70 + 27.5) / 2
            let sp3 = try await snapshot(store, "sp3")
            #expect(sp3.salesActivityRatio == 0.5)
            #expect(sp3.domainScores == ["support": 70, "sales": 20])
            #expect(sp3.compositeScore == 45)  // default 20/20: (70 + 20) / 2

            // Profile {support 10, sales 90}, min ratio 0.5 (default).
            try await store.set("domain_weights_sales_profile", weightsJSON(["support": 10, "sales": 90]))
            try await store.score(w)
            #expect(try await snapshot(store, "sp1").compositeScore == 97)  // 0.8 ≥ 0.5: (70×10 + 100×90) / 100
            #expect(try await snapshot(store, "sp1").weights == ["support": 10, "sales": 90])
            #expect(try await snapshot(store, "sp2").compositeScore == 31.75)  // sales team: (700 + 27.5×90) / 100
            #expect(try await snapshot(store, "sp3").compositeScore == 25)  // 0.5 ≥ 0.5: (700 + 20×90) / 100

            // Min ratio 0.9: sp1 and sp3 fall back; the sales team keeps the profile.
            try await store.set("sales_profile_min_ratio", .number(0.9))
            try await store.score(w)
            #expect(try await snapshot(store, "sp1").compositeScore == 80)
            #expect(try await snapshot(store, "sp2").compositeScore == 31.75)
            #expect(try await snapshot(store, "sp3").compositeScore == 45)
        }
    }

    @Test(arguments: TestBackend.all) func singleDomainTakesTheWholeWeight(backend: TestBackend) async throws {
        try await withStore(backend: backend) { store, _ in
            try await store.addTeam("fsT", type: .fieldService)
            try await store.addPerson("solo", team: "fsT")
            // A ticket alone: SLA met 40 + no minutes 0 + not escalated 20 + CSAT 3 → 6 = 66.
            try await store.ingest([Activity.ticket("t", "solo", resolved: w.at(1), sla: true, csat: 3)])
            try await store.score(w)
            let s = try await snapshot(store, "solo")
            #expect(s.weights == ["support": 100])  // 10 of 10 in the field service column
            #expect(s.compositeScore == 66)
            #expect(s.domain(.support)?.weightedScore == 66)
        }
    }
}
