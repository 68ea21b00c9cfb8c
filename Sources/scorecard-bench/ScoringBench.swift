import ArgumentParser
import Foundation
import GRDB
import Logging
import ScorecardCore
import ScorecardServer
import ScorecardStorePostgres
import ScorecardStoreSQLite
import Synchronization

/// Counts SQL statements as SQLite starts them: executions, and distinct statement texts.
/// Off unless `enabled`, so timed runs do not pay for it.
final class StatementCounter: Sendable {
    private let state = Mutex<(executions: Int, texts: Set<String>)>((0, []))
    let enabled = Atomic<Bool>(false)

    func record(_ sql: @autoclosure () -> String) {
        guard enabled.load(ordering: .relaxed) else { return }
        let text = sql()
        state.withLock {
            $0.executions += 1
            $0.texts.insert(text)
        }
    }

    func reset() { state.withLock { $0 = (0, []) } }
    var executions: Int { state.withLock { $0.executions } }
    var distinct: Int { state.withLock { $0.texts.count } }
}

struct ScoringBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scoring",
        abstract: "Score N people × one week of activity in every domain: seconds and SQL statements, at N and N/10.")

    @Option(help: "People to score.") var people = 10_000
    @Option(help: "Timed weeks of activity; each is scored once (a first scoring) and the medians reported.") var runs = 3
    @Option(help: "Run on PostgreSQL instead of SQLite: postgres://USER@HOST:PORT/DB (a throwaway database is created; needs CREATEDB).")
    var database: String?

    func run() async throws {
        let backend: BenchBackend = try database.map { .postgres(try PostgresSettings(url: $0)) } ?? .sqlite
        let small = try await measure(people: max(1, people / 10), weeks: 0, backend: backend)
        let full = try await measure(people: people, weeks: runs, backend: backend)
        print("""
            scoring on \(backend): \(people) people × \(runs) weeks of activity (~\(full.eventsPerWeek) events/week), median of \(runs) first scorings
              score one week       \(fmt(median(full.seconds), 2)) s  (\(fmt(Double(people) / median(full.seconds))) people/s; target ≤ 10 s)
              re-score, unchanged  \(fmt(median(full.rescoreSeconds), 2)) s
              activity ingest      \(fmt(full.ingestRate)) records/s (store, batches of 50,000)
              SQL, \(people) people     \(full.readStatements) batch reads; \(full.distinct) distinct statements, \(full.executions) executions
              SQL, \(max(1, people / 10)) people      \(small.readStatements) batch reads; \(small.distinct) distinct statements, \(small.executions) executions
              reads and distinct statements do not grow with people; \(database == nil
                ? "executions are one row write per changed snapshot and domain score"
                : "nor do executions: each write is one array-bound statement per batch")
            """)
    }

    struct Figures {
        var seconds: [Double] = []
        var rescoreSeconds: [Double] = []
        var ingestRate = 0.0
        var eventsPerWeek = 0
        var readStatements = 0
        var distinct = 0
        var executions = 0
    }

    func measure(people: Int, weeks: Int, backend: BenchBackend) async throws -> Figures {
        let counter = StatementCounter()
        let pgCounter = PostgresStatementCounter()
        let store: any ServerStore
        let cleanup: @Sendable () async -> Void
        switch backend {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scorecard-bench-scoring-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            store = try SQLiteStore(path: directory.path + "/server.sqlite") { db in
                db.trace(options: .statement) { event in
                    if case .statement(let statement) = event { counter.record(statement.sql) }
                }
            }
            cleanup = { try? FileManager.default.removeItem(at: directory) }
        case .postgres:
            (store, _, cleanup) = try await BenchServer.openStore(backend, counter: pgCounter)
        }
        do {
            let figures = try await measure(people: people, weeks: weeks, store: store, counting: { on in
                counter.reset()
                counter.enabled.store(on, ordering: .relaxed)
                pgCounter.count(on)
            }, counted: { (counter.distinct + pgCounter.distinct, counter.executions + pgCounter.executions) })
            await cleanup()
            return figures
        } catch {
            await cleanup()
            throw error
        }
    }

    func measure(
        people: Int, weeks: Int, store: any ServerStore, counting: (Bool) -> Void, counted: () -> (distinct: Int, executions: Int)
    ) async throws -> Figures {
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let teams = max(1, people / 20)
        let types: [TeamType?] = [.support, .operations, .fieldService, .sales, nil]
        for t in 0..<teams {
            try await store.createTeam(Team(id: "t\(t)", name: "Team \(t)", teamType: types[t % types.count], managerPersonID: nil))
        }
        for p in 0..<people {
            try await store.createPerson(
                Person(id: "p\(p)", name: "Person \(p)", email: "p\(p)@example.com", role: .agent, teamID: "t\(p % teams)"), passwordHash: "-")
        }
        var figures = Figures()
        let first = ISOWeek(containing: CivilDate("2026-01-05")!)
        var ingested = 0
        var ingestSeconds = 0.0
        // Week 0 is scored with the statement counter on; weeks 1...weeks are timed with it off.
        for w in 0...weeks {
            let week = ISOWeek(containing: first.monday.adding(days: 7 * w))
            var records: [(index: Int, record: ActivityRecord)] = []
            for p in 0..<people {
                for object in Self.week(person: "p\(p)", index: p, week: week) {
                    if case .success(let r) = ActivityRecord.parse(object) { records.append((records.count, r)) }
                }
                if records.count >= 50_000 || p == people - 1 {
                    let start = ContinuousClock.now
                    _ = try await store.ingestActivities(records)
                    ingestSeconds += seconds(ContinuousClock.now - start)
                    ingested += records.count
                    records.removeAll(keepingCapacity: true)
                }
            }
            figures.eventsPerWeek = ingested / (w + 1)
            let job = ScoringJob(store: store, logger: logger)
            counting(w == 0)
            let start = ContinuousClock.now
            let run = try await job.score(period: week)
            let (distinct, executions) = counted()
            counting(false)
            if w == 0 {
                figures.readStatements = run.statements
                figures.distinct = distinct
                figures.executions = executions
            } else {
                figures.seconds.append(seconds(ContinuousClock.now - start))
            }
            guard run.people == people, run.saved.inserted == people else {
                throw ValidationError("scored \(run.people) people, \(run.saved.inserted) new snapshots; expected \(people)")
            }
            let again = ContinuousClock.now
            let rerun = try await job.score(period: week)
            if w > 0 { figures.rescoreSeconds.append(seconds(ContinuousClock.now - again)) }
            guard rerun.saved.unchanged == people else { throw ValidationError("a re-run changed \(people - rerun.saved.unchanged) snapshots") }
        }
        figures.ingestRate = Double(ingested) / ingestSeconds
        return figures
    }

    /// About 26 events in every domain for one person and week, varied by `index`.
    static func week(person: String, index i: Int, week: ISOWeek) -> [[String: JSONValue]] {
        var out: [[String: JSONValue]] = []
        func at(_ day: Int, _ minute: Int) -> JSONValue { .string(Timestamp.format(epochSeconds: week.monday.adding(days: day).daysSinceEpoch * 86_400 + minute * 60)) }
        func add(_ kind: String, _ n: Int, _ fields: [String: JSONValue]) {
            var o = fields
            o["kind"] = .string(kind)
            o["id"] = .string("\(person)-\(week)-\(kind)-\(n)")
            o["person_id"] = .string(person)
            out.append(o)
        }
        for n in 0..<5 {
            add("ticket", n, [
                "opened_at": at(n % 5, 540), "resolved_at": at(n % 5, 600 + (i + n) % 300), "sla_met": .bool((i + n) % 4 != 0),
                "resolution_minutes": .number(Double(60 + (i * 7 + n * 13) % 300)), "escalated": .bool((i + n) % 9 == 0),
                "csat": .number(Double(3 + (i + n) % 3)), "tagged": .bool(n % 2 == 0), "summary": .string("Ticket for customer \(i)"),
            ])
        }
        for n in 0..<3 {
            add("task", n, [
                "assigned_at": at(n, 600), "due_date": .string(week.monday.adding(days: n + 2).description),
                "completed_at": (i + n) % 5 == 0 ? .null : at(n + 1 + (i % 3), 700), "blocked": .bool((i + n) % 11 == 0),
                "estimated_minutes": .number(120), "actual_minutes": .number(Double(90 + (i * 3 + n) % 90)),
            ])
        }
        for n in 0..<2 {
            add("work_order", n, [
                "assigned_at": at(n, 480), "scheduled_start": at(n, 600), "actual_start": at(n, 600 + (i + n) % 50),
                "completed_at": (i + n) % 6 == 0 ? .null : at(n, 720), "estimated_minutes": .number(90),
                "actual_minutes": .number(Double(70 + (i + n * 5) % 50)), "has_notes": .bool((i + n) % 3 != 0),
            ])
        }
        for n in 0..<5 {
            add("conversation", n, [
                "started_at": at(n % 5, 560 + n), "channel": .string(["email", "chat", "phone", "sms", "social"][(i + n) % (1 + i % 5)]),
                "first_response_minutes": .number(Double(3 + (i + n * 7) % 25)), "resolution_minutes": .number(Double(20 + (i + n * 11) % 100)),
                "resolved": .bool((i + n) % 4 != 0), "tagged": .bool((i + n) % 3 == 0),
            ])
        }
        for n in 0..<2 {
            let status = ["open", "won", "lost"][(i + n) % 3]
            add("lead", n, ["created_at": at(n, 620), "status": .string(status), "closed_at": status == "open" ? .null : at(n + 1, 620), "value": .number(Double(500 + (i * 37 + n) % 4000))])
        }
        add("quote", 0, ["sent_at": at(2, 650), "accepted": (i % 3 == 0) ? .null : .bool(i % 2 == 0), "value": .number(1500)])
        for n in 0..<3 { add("lead_message", n, ["sent_at": at(n, 660)]) }
        for n in 0..<3 {
            add("record", n, [
                "touched_at": at(n, 700), "record_type": .string(n == 2 ? "organization" : "contact"), "fields_total": .number(10),
                "fields_filled": .number(Double(5 + (i + n) % 6)), "note_length": .number(Double((i * 13 + n) % 180)),
            ])
        }
        return out
    }
}
