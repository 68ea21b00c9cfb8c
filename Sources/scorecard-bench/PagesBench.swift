import ArgumentParser
import Foundation
import GRDB
import Logging
import ScorecardCore
import ScorecardServer
import ScorecardStoreSQLite
import ScorecardTesting

/// The web pages of a team with 12 weeks of scores: median time per page, page weight, and SQL
/// statements per page, at two team sizes to show the statements do not grow with the team.
struct PagesBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pages",
        abstract: "Team overview, agent detail, my scorecard and My Performance of a team with 12 weeks of scores: medians, bytes, SQL statements.")

    @Option(help: "Team sizes to measure (the largest is the headline).") var sizes: [Int] = [10, 50]
    @Option(help: "Timed requests per page.") var requests = 200

    struct Figures {
        var medianMs: Double
        var p90Ms: Double
        var bytes: Int
        var statements: Int
    }

    static let pages: [(name: String, path: String, as: String)] = [
        ("team overview", "/admin/performance/team?team_id=t0", "manager"),
        ("agent detail", "/admin/performance/agents/p1", "manager"),
        ("my scorecard", "/agent/my-performance", "p1"),
        ("My Performance (calls, week)", "/agent/my-performance/calls?period=LAST_WEEK", "p1"),
    ]

    func run() async throws {
        var results: [Int: [String: Figures]] = [:]
        for size in sizes { results[size] = try await measure(size: size) }
        let largest = sizes.max() ?? 50
        print("pages: a team of \(sizes.map(String.init).joined(separator: " and ")) people, 12 scored weeks each, \(requests) requests per page (medians)")
        print("  page                           median     p90    bytes   SQL statements (" + sizes.map { "team \($0)" }.joined(separator: ", ") + ")")
        for page in Self.pages {
            guard let f = results[largest]?[page.name] else { continue }
            let counts = sizes.compactMap { results[$0]?[page.name]?.statements }.map(String.init).joined(separator: ", ")
            print("  \(page.name.padding(toLength: 30, withPad: " ", startingAt: 0)) \(fmt(f.medianMs, 2).leftPad(6)) ms \(fmt(f.p90Ms, 2).leftPad(6)) ms \(String(f.bytes).leftPad(8))   \(counts)")
        }
        print("  (times at team size \(largest); the statements per page are the same at every size: no query per member)")
    }

    func measure(size: Int) async throws -> [String: Figures] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scorecard-bench-pages-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let counter = StatementCounter()
        let store = try SQLiteStore(path: directory.path + "/server.sqlite") { db in
            db.trace(options: .statement) { event in
                // Connection set-up (the store's PRAGMAs) is not a page's work.
                if case .statement(let statement) = event, !statement.sql.hasPrefix("PRAGMA") { counter.record(statement.sql) }
            }
        }
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        try await seed(store: store, size: size, logger: logger)
        var configuration = ServerConfiguration()
        configuration.port = 0
        let server = try await RunningServer.start(services: ServerServices(store: store, configuration: configuration, logger: logger), logger: logger)
        defer { Task { await server.stop() } }
        let lastWeek = ISOWeek(containing: DateRange.today()).previous
        var browsers: [String: WebClient] = [:]
        for who in ["manager", "p1"] {
            let client = WebClient(baseURL: server.baseURL)
            let r = try await client.signIn(who, password: "bench-\(who)")
            guard r.status == 303 else { throw ValidationError("sign-in of \(who) answered \(r.status)") }
            browsers[who] = client
        }
        var figures: [String: Figures] = [:]
        for page in Self.pages {
            let path = page.path.replacingOccurrences(of: "LAST_WEEK", with: "\(lastWeek.monday)..\(lastWeek.sunday)")
            let client = browsers[page.as]!
            for _ in 0..<20 { _ = try await client.get(path) }  // warm up
            counter.reset()
            counter.enabled.store(true, ordering: .relaxed)
            let probe = try await client.get(path)
            counter.enabled.store(false, ordering: .relaxed)
            guard probe.status == 200 else { throw ValidationError("\(path) answered \(probe.status)") }
            var times: [Double] = []
            for _ in 0..<requests {
                let start = ContinuousClock.now
                let r = try await client.get(path)
                times.append(seconds(ContinuousClock.now - start) * 1000)
                guard r.status == 200 else { throw ValidationError("\(path) answered \(r.status)") }
            }
            times.sort()
            figures[page.name] = Figures(medianMs: median(times), p90Ms: times[min(times.count - 1, times.count * 9 / 10)], bytes: probe.body.count, statements: counter.executions)
        }
        return figures
    }

    /// A manager, one team of `size` agents with activity in every domain for 12 weeks (scored),
    /// two goals and a review for p1, and a week of calls and day summaries for p1.
    func seed(store: SQLiteStore, size: Int, logger: Logger) async throws {
        try await store.createPerson(
            Person(id: "manager", name: "Bench Manager", email: "manager@example.com", role: .manager, teamID: nil),
            passwordHash: try await Credentials.hashPassword("bench-manager", cost: 4))
        try await store.createTeam(Team(id: "t0", name: "Bench Team", teamType: .support, managerPersonID: "manager"))
        for p in 0..<size {
            let hash = p == 1 ? try await Credentials.hashPassword("bench-p1", cost: 4) : "-"
            try await store.createPerson(Person(id: "p\(p)", name: "Person \(p)", email: "p\(p)@example.com", role: .agent, teamID: "t0"), passwordHash: hash)
        }
        let job = ScoringJob(store: store, logger: logger)
        let thisWeek = ISOWeek(containing: DateRange.today())
        var week = thisWeek
        for _ in 0..<12 { week = week.previous }
        for _ in 0..<12 {
            var records: [(index: Int, record: ActivityRecord)] = []
            for p in 0..<size {
                for object in ScoringBench.week(person: "p\(p)", index: p + week.week, week: week) {
                    if case .success(let r) = ActivityRecord.parse(object) { records.append((records.count, r)) }
                }
            }
            _ = try await store.ingestActivities(records)
            _ = try await job.score(period: week)
            week = week.next
        }
        let today = DateRange.today()
        for (n, metric) in ["composite_score", "sla_compliance_rate"].enumerated() {
            let draft = GoalRules.Draft(
                personID: "p1", domain: "support", metricKey: metric, label: "Goal \(n)", targetValue: 80, comparison: "gte", deadline: today.adding(days: 30).description)
            try await store.createGoal(try GoalRules.create(draft, personID: "p1", createdBy: "manager", today: today, now: Timestamp.now()))
        }
        let reviews = ReviewService(store: store, logger: logger)
        let manager = try await store.person(id: "manager")!
        _ = try await reviews.generate(personID: "p1", period: nil, actor: manager, force: false)
        let last = thisWeek.previous
        var cdrs: [[String: String?]] = []
        var summaries: [[String: String]] = []
        for d in 0..<5 {
            let day = last.monday.adding(days: d)
            for n in 0..<90 {
                cdrs.append(CDRFixture.record(
                    id: "c-\(day)-\(n)", agent: "p1", start: "\(day) \(HMS.clock(9 * 3600 + n * 300))", type: n % 3 == 0 ? "Manual" : "InBound",
                    status: n % 7 == 0 ? "NotAnswered" : "Answered", talk: HMS.clock(60 + n * 3 % 400), handling: HMS.clock(90 + n * 3 % 400),
                    disposition: ["Appointment Booked", "General Enquiry", "Callback Requested", "Not Interested", nil][n % 5]))
            }
            summaries.append([
                "AgentID": "p1", "Date": day.description, "TotalLoginDuration": "08:00:00", "TotalBusyTime": "05:10:00", "TotalIdleTime": "01:20:00",
                "TotalPauseTime": "00:45:00", "TotalWrapupTime": "00:30:00", "TotalDialTime": "00:15:00", "AHT": "00:04:30",
            ])
        }
        _ = try await Ingest.calls(try CDRRecord.parseArray(try CDRFixture.json(cdrs)), store: store)
        _ = try await Ingest.summaries(try AgentSummaryRecord.parseArray(try JSONEncoder().encode(summaries)), store: store)
    }
}

extension String {
    func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
