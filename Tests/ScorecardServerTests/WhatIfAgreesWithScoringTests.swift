import Foundation
import ScorecardCore
import ScorecardServer
import Testing

/// The what-if (ScorecardCore) against the server's engine, both pure: score random weeks, change
/// facts that move neither a team baseline nor the weight table, score again, and a what-if on the
/// first snapshot with the second's values must give the second's scores. The formulas are one
/// function (`MetricInfo.points`), so only rounding of the stored figures separates the two.
@Suite struct WhatIfAgreesWithScoringTests {
    static let week = ISOWeek("2026-W40")!

    /// A person with activity in every domain (some counts 0, so some domains inactive), in `team`.
    static func person(_ id: String, team: String?, _ rng: inout SplitMix64) -> PersonFacts {
        func upTo(_ n: Int) -> Int { Int.random(in: 0...max(0, n), using: &rng) }
        func maybe(_ range: ClosedRange<Double>) -> Double? { Bool.random(using: &rng) ? Double.random(in: range, using: &rng) : nil }
        var p = PersonFacts(personID: id, teamID: team, teamType: team == nil ? nil : .support)
        p.tickets = upTo(9)
        p.ticketsWithSLA = upTo(p.tickets)
        p.ticketsSLAMet = upTo(p.ticketsWithSLA)
        p.ticketResolutionMinutes = p.tickets > 0 ? maybe(5...300) : nil
        p.ticketsEscalated = upTo(p.tickets)
        p.csatAverage = p.tickets > 0 ? maybe(1...5) : nil
        p.ticketsTagged = upTo(p.tickets)
        p.tasks = upTo(8)
        p.tasksDone = upTo(p.tasks)
        p.tasksDoneWithDue = upTo(p.tasksDone)
        p.tasksOnTime = upTo(p.tasksDoneWithDue)
        p.taskEffortAccuracy = p.tasksDone > 0 ? maybe(0...1) : nil
        p.tasksBlocked = upTo(p.tasks)
        p.workOrders = upTo(6)
        p.workOrdersCompleted = upTo(p.workOrders)
        p.workOrderDelayMinutes = p.workOrders > 0 ? maybe(0...120) : nil
        p.workOrderDurationAccuracy = p.workOrdersCompleted > 0 ? maybe(0...1) : nil
        p.workOrdersWithNotes = upTo(p.workOrdersCompleted)
        p.conversations = upTo(12)
        p.firstResponseMinutes = p.conversations > 0 ? maybe(0...60) : nil
        p.conversationsResolved = upTo(p.conversations)
        p.conversationResolutionMinutes = p.conversationsResolved > 0 ? maybe(1...400) : nil
        p.conversationsTagged = upTo(p.conversations)
        p.channelsUsed = p.conversations > 0 ? Int.random(in: 1...5, using: &rng) : 0
        p.leadsCreated = upTo(4)
        p.pipelineValue = p.leadsCreated > 0 ? Double(Int.random(in: 0...50_000, using: &rng)) : 0
        p.leadsWon = upTo(3)
        p.leadsLost = upTo(3)
        p.quotesSent = upTo(4)
        p.quotesAccepted = upTo(p.quotesSent)
        p.leadMessages = upTo(6)
        p.records = upTo(5)
        p.contactCompleteness = p.records > 0 ? maybe(0...1) : nil
        p.orgCompleteness = p.records > 0 ? maybe(0...1) : nil
        p.noteLength = p.records > 0 ? maybe(1...250) : nil
        return p
    }

    /// `p` with new outcomes for the same events: no count that places an event in a domain or in
    /// the sales ratio moves, and (in a team) no value a baseline is taken from.
    static func changed(_ p: PersonFacts, inTeam: Bool, _ rng: inout SplitMix64) -> PersonFacts {
        func upTo(_ n: Int) -> Int { Int.random(in: 0...max(0, n), using: &rng) }
        var q = p
        q.ticketsSLAMet = upTo(p.ticketsWithSLA)
        q.ticketsEscalated = upTo(p.tickets)
        if p.tickets > 0 { q.csatAverage = Double.random(in: 1...5, using: &rng) }
        q.tasksDone = Int.random(in: p.tasksDoneWithDue...max(p.tasksDoneWithDue, p.tasks), using: &rng)
        q.tasksOnTime = upTo(p.tasksDoneWithDue)
        if p.tasksDone > 0 { q.taskEffortAccuracy = Double.random(in: 0...1, using: &rng) }
        q.tasksBlocked = upTo(p.tasks)
        q.workOrdersCompleted = Int.random(in: p.workOrdersWithNotes...max(p.workOrdersWithNotes, p.workOrders), using: &rng)
        if p.workOrders > 0 { q.workOrderDelayMinutes = Double.random(in: 0...90, using: &rng) }
        q.channelsUsed = p.conversations > 0 ? Int.random(in: 1...5, using: &rng) : 0
        let closed = p.leadsClosed
        q.leadsWon = upTo(closed)
        q.leadsLost = closed - q.leadsWon
        q.quotesAccepted = upTo(p.quotesSent)
        if p.records > 0 { q.contactCompleteness = Double.random(in: 0...1, using: &rng) }
        if p.records > 0 { q.noteLength = Double.random(in: 1...250, using: &rng) }
        if !inTeam {  // no team, no baselines: the baseline metrics may move too
            if p.tickets > 0 { q.ticketResolutionMinutes = Double.random(in: 5...300, using: &rng) }
            if p.conversations > 0 { q.firstResponseMinutes = Double.random(in: 0...60, using: &rng) }
            q.conversationsResolved = upTo(p.conversations)
            q.pipelineValue = p.leadsCreated > 0 ? Double(Int.random(in: 0...50_000, using: &rng)) : 0
        }
        return q
    }

    static func snapshot(_ people: [PersonFacts]) -> Snapshot? {
        let facts = ScoringFacts(period: week, people: people, channelsAvailable: 5)
        return ScoringEngine.score(facts, settings: Settings()).first { $0.personID == "me" }?.snapshot(period: week, stamp: "2026-10-05T02:00:00Z")
    }

    @Test func aWhatIfWithARescoresValuesGivesItsScores() throws {
        var rng = SplitMix64(seed: 15)
        // The values given are the re-score's as it shows them, rounded to 2 decimals (a CSAT of
        // 3.456 is given as 3.46, 0.01 points apart), and the stored figures are rounded too: hence
        // 0.02 for points and the composite, 0.03 for a domain (its points' errors add up).
        var worst = (composite: 0.0, domain: 0.0, points: 0.0), equal = 0, trials = 0
        for trial in 0..<400 {
            let inTeam = trial % 2 == 0
            let team = inTeam ? "t" : nil
            let me = Self.person("me", team: team, &rng)
            let mates = inTeam ? [Self.person("m1", team: team, &rng), Self.person("m2", team: team, &rng)] : []
            guard let before = Self.snapshot([me] + mates), let after = Self.snapshot([Self.changed(me, inTeam: inTeam, &rng)] + mates) else { continue }
            #expect(before.weights == after.weights && before.teamBaselines == after.teamBaselines, "trial \(trial): the change moved a baseline or a weight")

            // Every stored point is the shared formula of the stored value and baseline, up to their
            // rounding: 0.005 for the point itself, 0.01 for a CSAT given to 2 decimals, and for a
            // metric against a baseline b, max × (0.005/b + value × 0.00005/b²) more (large when b is small).
            for d in before.domains {
                for metric in MetricCatalogue.metrics(of: d.domain) {
                    let value = d.metrics[metric.key], baseline = before.teamBaselines?[metric.key]
                    let recomputed = metric.points(input: metric.input(forValue: value), baseline: baseline)
                    var bound = 0.015 + 1e-9
                    if let b = baseline, b > 0, let v = value { bound += metric.maxPoints * (0.005 / b + v * 0.00005 / (b * b)) }
                    #expect(abs(recomputed - d.metrics[metric.key + "_points"]!) <= bound, "trial \(trial) \(metric.key)")
                }
            }

            // What-if: the second week's values (as it shows them) on the first snapshot.
            var words: [String] = []
            for d in after.domains {
                for metric in MetricCatalogue.metrics(of: d.domain) {
                    guard let value = d.metrics[metric.key], value != before.domain(d.domain)?.metrics[metric.key] else { continue }
                    words.append("\(metric.key)=\(value)")
                }
            }
            guard !words.isEmpty else { continue }
            let w = try WhatIf(snapshot: before, assignments: try WhatIf.parse(words))
            trials += 1
            let error = abs(w.compositeAfter - after.compositeScore)
            worst.composite = max(worst.composite, error)
            if error < 1e-9 { equal += 1 }
            #expect(error <= 0.02 + 1e-9, "trial \(trial): what-if \(w.compositeAfter), re-score \(after.compositeScore) for \(words)")
            for d in w.domains {
                let e = abs(d.after - after.domainScores[d.domain.rawValue]!)
                worst.domain = max(worst.domain, e)
                #expect(e <= 0.03 + 1e-9, "trial \(trial) \(d.domain)")
            }
            for m in w.metrics {
                let e = abs(m.pointsAfter - after.domain(m.domain)!.metrics[m.key + "_points"]!)
                worst.points = max(worst.points, e)
                #expect(e <= 0.02 + 1e-9, "trial \(trial) \(m.key)")
            }
        }
        #expect(trials > 300)
        let line = "what-if vs re-score: \(trials) weeks, \(equal) composites equal; worst composite \(ScoringMath.round(worst.composite)), domain \(ScoringMath.round(worst.domain)), points \(ScoringMath.round(worst.points))\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
