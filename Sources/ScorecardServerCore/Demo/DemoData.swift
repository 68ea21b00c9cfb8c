import Foundation
import Logging
import ScorecardCore

/// Realistic, reproducible demo data written through the same ingest code as the HTTP routes.
///
/// The same seed and end date give the same people, calls and summaries, so running it twice
/// changes nothing the second time (every record comes back `unchanged`).
public struct DemoData: Sendable {
    /// What to generate.
    public struct Options: Sendable {
        public var agents = 20
        public var days = 30
        public var seed: UInt64 = 1
        /// The last day with data; today (UTC) by default.
        public var endDate = CivilDate(daysSinceEpoch: Int(Date().timeIntervalSince1970) / 86_400)
        public var bcryptCost: UInt8 = 10
        public init() {}
    }

    /// A demo login printed for the user.
    public struct Login: Sendable, Hashable {
        public var personID: String
        public var password: String
        public var role: Role
        public var teamID: String?
    }

    /// What a run wrote.
    public struct Summary: Sendable {
        public var logins: [Login] = []
        public var calls = IngestResult()
        public var daySummaries = IngestResult()
        public var activities = IngestResult()
        public var weeksScored = 0
        public var reviews = 0
        public var goals = 0
    }

    static let teamTypes: [TeamType] = [.support, .operations, .sales, .fieldService]
    static let teamNames = ["Harbour Support", "Northside Operations", "Summit Sales", "Field Crew East", "Riverside Support", "Metro Operations"]
    static let firstNames = ["Ana", "Ben", "Chloe", "Dev", "Elif", "Femi", "Grace", "Hugo", "Ines", "Jonas", "Kemi", "Liam", "Mei", "Noah", "Olga", "Priya", "Quinn", "Rosa", "Sami", "Tara", "Umar", "Vera", "Wen", "Xavi", "Yara", "Zane"]
    static let lastNames = ["Silva", "Okafor", "Martin", "Patel", "Yilmaz", "Adeyemi", "Chen", "Dubois", "Garcia", "Novak", "Kowalski", "Haddad", "Tanaka", "Murphy", "Ivanova"]

    public let options: Options

    public init(options: Options) { self.options = options }

    /// Writes people, teams, calls and day summaries into `store`.
    public func write(to store: any ServerStore, logger: Logger) async throws -> Summary {
        var summary = Summary()
        let teamCount = max(1, min(DemoData.teamNames.count, (options.agents + 4) / 5))

        summary.logins.append(try await ensurePerson(
            Person(id: "admin", name: "Avery Admin", email: "admin@scorecard.example", role: .admin, teamID: nil), store: store))
        var agentsByTeam: [[String]] = Array(repeating: [], count: teamCount)
        for t in 0..<teamCount {
            let teamID = "team-\(t + 1)"
            let managerID = "manager-" + CivilDate.pad(t + 1, 2)
            let manager = Person(
                id: managerID, name: DemoData.name(index: 100 + t), email: "\(managerID)@scorecard.example", role: .manager, teamID: nil)
            summary.logins.append(try await ensurePerson(manager, store: store))
            do {
                try await store.createTeam(
                    Team(id: teamID, name: DemoData.teamNames[t], teamType: DemoData.teamTypes[t % DemoData.teamTypes.count], managerPersonID: managerID))
            } catch let error as StoreError where error.code == .conflict {}
            summary.logins[summary.logins.count - 1].teamID = teamID
        }
        for a in 0..<options.agents {
            let t = a % teamCount
            let id = "agent-" + CivilDate.pad(a + 1, 3)
            let person = Person(id: id, name: DemoData.name(index: a), email: "\(id)@scorecard.example", role: .agent, teamID: "team-\(t + 1)")
            summary.logins.append(try await ensurePerson(person, store: store))
            if agentsByTeam[t].isEmpty { try await store.addMember(teamID: "team-\(t + 1)", personID: id, role: .lead) }
            agentsByTeam[t].append(id)
        }

        let encoder = JSONEncoder()
        var activities: [Result<ActivityRecord, RecordError>] = []
        var cdrs: [[String: String?]] = []
        var summaries: [[String: String]] = []
        let firstDay = options.endDate.adding(days: -(options.days - 1))
        for a in 0..<options.agents {
            let agent = "agent-" + CivilDate.pad(a + 1, 3)
            let agentSeed = options.seed ^ (UInt64(a + 1) &* 0x9E37_79B9_7F4A_7C15)
            var agentRNG = SplitMix64(seed: agentSeed)
            let skill = 0.6 + Double(agentRNG.next() % 400) / 1000  // 0.6 ... 1.0
            let teamType = DemoData.teamTypes[(a % teamCount) % DemoData.teamTypes.count]
            for offset in 0..<options.days {
                let day = firstDay.adding(days: offset)
                guard day.isoWeekday <= 5 else { continue }
                // Seeded per (agent, day): a day's data does not depend on the range asked for.
                var rng = SplitMix64(seed: agentSeed &+ UInt64(bitPattern: Int64(day.daysSinceEpoch)) &* 0xBF58_476D_1CE4_E5B9)
                let (dayCalls, daySummary) = DemoData.day(agent: agent, day: day, skill: skill, rng: &rng)
                cdrs.append(contentsOf: dayCalls)
                summaries.append(daySummary)
                var activityRNG = SplitMix64(seed: agentSeed &+ UInt64(bitPattern: Int64(day.daysSinceEpoch)) &* 0x94D0_49BB_1331_11EB)
                activities += activity(agent: agent, team: teamType, skill: skill, day: day, rng: &activityRNG).map(ActivityRecord.parse)
                if cdrs.count >= 9_000 {
                    summary.calls.add(try await Ingest.calls(CDRRecord.parseArray(encoder.encode(cdrs)), store: store))
                    cdrs.removeAll(keepingCapacity: true)
                }
            }
        }
        if !cdrs.isEmpty {
            summary.calls.add(try await Ingest.calls(CDRRecord.parseArray(encoder.encode(cdrs)), store: store))
        }
        summary.daySummaries.add(
            try await Ingest.summaries(AgentSummaryRecord.parseArray(encoder.encode(summaries)), store: store))
        summary.activities = try await Ingest.activities(activities, store: store)
        try await scoreAndCoach(agents: summary.logins.filter { $0.role == .agent }.map(\.personID), store: store, logger: logger, summary: &summary)
        logger.info("demo data: \(summary.calls.inserted) calls inserted, \(summary.calls.unchanged) unchanged")
        return summary
    }

    private func ensurePerson(_ person: Person, store: any ServerStore) async throws -> Login {
        let password = "demo-" + person.id
        if try await store.person(id: person.id) == nil {
            try await store.createPerson(person, passwordHash: try await Credentials.hashPassword(password, cost: options.bcryptCost))
        }
        return Login(personID: person.id, password: password, role: person.role, teamID: person.teamID)
    }

    static func name(index: Int) -> String {
        firstNames[index % firstNames.count] + " " + lastNames[(index / firstNames.count + index * 7) % lastNames.count]
    }

    /// One working day of one agent, in the dialer's own shapes.
    static func day(agent: String, day: CivilDate, skill: Double, rng: inout SplitMix64) -> ([[String: String?]], [String: String]) {
        let count = 60 + Int(rng.next() % 61)
        var calls: [[String: String?]] = []
        var talkTotal = 0
        var handlingTotal = 0
        var answered = 0
        var outbound = 0
        let dayStart = day.daysSinceEpoch * 86_400 + 9 * 3600
        let spacing = (8 * 3600 + 1800) / count
        for n in 0..<count {
            let started = dayStart + n * spacing + Int(rng.next() % UInt64(max(1, spacing / 2)))
            let r = Double(rng.next() % 1000) / 1000
            let type = r < 0.45 ? "InBound" : (r < 0.7 ? "Manual" : "Progressive")
            if type != "InBound" { outbound += 1 }
            let answerChance = type == "InBound" ? 0.80 + 0.15 * skill : 0.55 + 0.2 * skill
            let isAnswered = Double(rng.next() % 1000) / 1000 < answerChance
            let status = isAnswered ? "Answered" : (type == "InBound" ? "Unanswered" : "NotAnswered")
            var talk = 0
            var handling = 0
            var disposition: String?
            if isAnswered {
                answered += 1
                talk = 25 + Int(rng.next() % 300) + (rng.next() % 5 == 0 ? Int(rng.next() % 600) : 0)
                handling = talk + 10 + Int(rng.next() % 80)
                let d = Double(rng.next() % 1000) / 1000
                let booking = 0.10 + 0.15 * skill
                switch d {
                case ..<booking: disposition = rng.next() % 10 == 0 ? "booked appointment" : "Appointment Booked"
                case ..<(booking + 0.30): disposition = "General Enquiry"
                case ..<(booking + 0.45): disposition = "Follow-up Required"
                case ..<(booking + 0.55): disposition = "Callback Requested"
                case ..<(booking + 0.65): disposition = "Not Interested"
                case ..<(booking + 0.70): disposition = "Wrong Number"
                default: disposition = rng.next() % 2 == 0 ? nil : ""
                }
            } else {
                disposition = rng.next() % 3 == 0 ? "No Answer" : nil
            }
            talkTotal += talk
            handlingTotal += handling
            let startText = Timestamp.format(epochSeconds: started)
            calls.append([
                "CallID": "\(agent)-\(day)-\(CivilDate.pad(n + 1, 3))",
                "AgentID": agent,
                "StartTime": String(startText.prefix(10)) + " " + String(startText.dropFirst(11).prefix(8)),
                "Type": type,
                "Status": status,
                "TalkTime": HMS.clock(talk),
                "HandlingTime": HMS.clock(handling),
                "Disposition": disposition,
            ])
        }
        let login = 7 * 3600 + 1800 + Int(rng.next() % 5400)
        let wrapup = handlingTotal - talkTotal
        let dial = outbound * (8 + Int(rng.next() % 10))
        let pause = 1800 + Int(rng.next() % 2700)
        let idle = max(0, login - talkTotal - wrapup - dial - pause)
        let summary = [
            "AgentID": agent, "Date": day.description,
            "TotalLoginDuration": HMS.clock(login), "TotalBusyTime": HMS.clock(talkTotal),
            "TotalIdleTime": HMS.clock(idle), "TotalPauseTime": HMS.clock(pause),
            "TotalWrapupTime": HMS.clock(wrapup), "TotalDialTime": HMS.clock(dial),
            "AHT": HMS.clock(answered == 0 ? 0 : handlingTotal / answered),
        ]
        return (calls, summary)
    }
}

extension IngestResult {
    /// Adds another result's counts (rejections are concatenated).
    public mutating func add(_ other: IngestResult) {
        inserted += other.inserted
        updated += other.updated
        unchanged += other.unchanged
        rejected += other.rejected
    }
}
