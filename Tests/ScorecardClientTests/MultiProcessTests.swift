import Foundation
import Glibc
import ScorecardCache
import ScorecardCore
import ScorecardServer
import ScorecardSync
import ScorecardTesting
import Synchronization
import Testing

/// Two real `scorecard-server` processes on one PostgreSQL database: what only makes sense with
/// several processes. (SQLite is one process's file; these run on PostgreSQL only.)
@Suite("Several server processes on one PostgreSQL", .enabled(if: TestBackend.all.contains(.postgres)), .serialized)
struct MultiProcessTests {
    /// A test database with `count` server processes on it, and a store of this process on the
    /// same database for seeding and checking.
    static func withProcesses(
        _ count: Int, arguments: [String] = [], _ body: (any ServerStore, [ServerProcess], TestDatabase) async throws -> Void
    ) async throws {
        let database = try await TestDatabase.create(.postgres)
        let store = try await database.openStore()
        var processes: [ServerProcess] = []
        do {
            for _ in 0..<count {
                processes.append(try ServerProcess(database: database.postgresURL!, arguments: ["--log-level", "info"] + arguments))
            }
            for process in processes { try await process.waitUntilReady() }
            try await body(store, processes, database)
        } catch {
            for process in processes { await process.stop() }
            await store.close()
            await database.remove()
            throw error
        }
        for process in processes { await process.stop() }
        await store.close()
        await database.remove()
    }

    static func addPerson(_ store: any ServerStore, _ id: String, role: Role = .agent, team: String? = nil) async throws {
        let person = Person(id: id, name: "Person \(id)", email: "\(id)@example.test", role: role, teamID: team, active: true)
        try await store.createPerson(person, passwordHash: try await Credentials.hashPassword(TestServer.password(id), cost: 4))
    }

    static func login(_ process: ServerProcess, _ id: String, password: String? = nil) async throws -> TestResponse {
        try await TestHTTP.send(
            "POST", process.baseURL + "/api/v1/auth/login",
            body: try WireJSON.encode(LoginRequest(personID: id, password: password ?? TestServer.password(id))))
    }

    static func token(_ process: ServerProcess, _ id: String) async throws -> String {
        let response = try await login(process, id)
        guard response.status == 200 else { throw TestHTTPError(status: response.status, body: response.text) }
        return try response.decode(LoginResponse.self).token
    }

    /// Writer `w`'s batches for the agents: new calls, re-writes of any writer's calls (moving
    /// some to the other agent), and deletes.
    static func plan(seed: Int, writer w: Int, agents: [String]) -> [(records: [[String: String?]], delete: String?)] {
        var rng = SplitMix64(seed: UInt64(seed) &* 7_919 &+ UInt64(w))
        var created = 0
        var batches: [(records: [[String: String?]], delete: String?)] = []
        for _ in 0..<10 {
            var records: [[String: String?]] = []
            for _ in 0..<Int.random(in: 1...40, using: &rng) {
                let agent = agents[Int.random(in: 0..<agents.count, using: &rng)]
                if created == 0 || Int.random(in: 0..<10, using: &rng) < 6 {
                    records.append(cdr("p\(seed)-w\(w)-\(created)", agent: agent, day: CivilDate("2026-11-16")!, minute: created))
                    created += 1
                } else {
                    let owner = Int.random(in: 0..<4, using: &rng)
                    let index = Int.random(in: 0..<created, using: &rng)
                    var record = cdr("p\(seed)-w\(owner)-\(index)", agent: agent, day: CivilDate("2026-11-16")!, minute: index)
                    record["TalkTime"] = HMS.clock(Int.random(in: 0..<600, using: &rng))
                    records.append(record)
                }
            }
            let delete = created > 0 && Int.random(in: 0..<10, using: &rng) < 3 ? "p\(seed)-w\(w)-\(Int.random(in: 0..<created, using: &rng))" : nil
            batches.append((records, delete))
        }
        return batches
    }

    /// Four writers ingest and delete, two through each process, while a puller pages through
    /// each agent's feed switching process at every page and a client syncs through either:
    /// no seq is seen twice or skipped (the pages rebuild the server's state exactly), and the
    /// client's mirror ends equal to the server.
    @Test(arguments: [1, 2, 3, 4, 5, 6])
    func feedStaysGapFreeWithWritersInBothProcesses(seed: Int) async throws {
        try await Self.withProcesses(2) { store, processes, _ in
            let agents = ["agent-1", "agent-2"]
            try await Self.addPerson(store, "root", role: .admin)
            for agent in agents { try await Self.addPerson(store, agent) }
            let admin = try await Self.token(processes[0], "root")
            let tokens = try await agents.asyncMap { try await Self.token(processes[1], $0) }
            let done = ManagedFlag()

            // A raw puller per agent: every page from the other process than the last.
            let pullers = agents.enumerated().map { a, agent in
                Task { () throws -> (state: [String: Call], seqs: [Int64]) in
                    var state: [String: Call] = [:]
                    var seqs: [Int64] = []
                    var since: Int64 = 0
                    var page = 0
                    while true {
                        let writersDone = done.isSet  // read before the pull: the last pull sees every write
                        let process = processes[(page + a) % 2]
                        page += 1
                        let response = try await TestHTTP.send(
                            "GET", process.baseURL + "/api/v1/sync/pull?since=\(since)&limit=37", token: tokens[a])
                        guard response.status == 200 else { throw TestHTTPError(status: response.status, body: response.text) }
                        let pulled = try response.decode(PullPage<FeedEntity>.self)
                        for change in pulled.changes {
                            seqs.append(change.seq)
                            if change.op == .delete {
                                state[change.id] = nil
                            } else if case .call(let call)? = change.data {
                                state[change.id] = call
                            }
                        }
                        since = pulled.next
                        if writersDone && !pulled.hasMore { return (state, seqs) }
                        if !pulled.hasMore { try await Task.sleep(for: .milliseconds(3)) }
                    }
                }
            }
            // The real client for agent-1, syncing now through one process, now the other.
            let sandbox = try Sandbox.make()
            defer { sandbox.remove() }
            let mirror = try openMirror(sandbox, server: "cluster", person: agents[0])
            let client = Task { () async -> [SyncMachine.Outcome] in
                var outcomes: [SyncMachine.Outcome] = []
                var n = 0
                while !done.isSet {
                    outcomes.append(await makeEngine(mirror: mirror, server: processes[n % 2].baseURL, token: tokens[0], pageSize: 50).run().outcome)
                    n += 1
                }
                return outcomes
            }

            try await withThrowingTaskGroup(of: Void.self) { group in
                for w in 0..<4 {
                    let process = processes[w % 2]
                    let plan = Self.plan(seed: seed, writer: w, agents: agents)
                    group.addTask {
                        for batch in plan {
                            let response = try await TestHTTP.send(
                                "POST", process.baseURL + "/api/v1/ingest/cdr", token: admin, body: try CDRFixture.json(batch.records))
                            #expect(response.status == 200, "ingest: \(response.text)")
                            if let id = batch.delete {
                                let status = try await TestHTTP.send("DELETE", process.baseURL + "/api/v1/calls/\(id)", token: admin).status
                                #expect(status == 204 || status == 404, "delete \(id)")
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            done.set()
            let outcomes = await client.value
            #expect(outcomes.allSatisfy { $0 == .upToDate }, "every sync during the writes ended up to date: \(outcomes)")

            for (a, agent) in agents.enumerated() {
                let (state, seqs) = try await pullers[a].value
                let truth = Dictionary(uniqueKeysWithValues: try await store.calls(personID: agent, from: allTime.from, to: allTime.to).map { ($0.id, $0) })
                #expect(!truth.isEmpty)
                #expect(state == truth, "\(agent): the pages rebuild the server's calls exactly (\(state.count) vs \(truth.count))")
                #expect(zip(seqs, seqs.dropFirst()).allSatisfy { $0 < $1 }, "\(agent): seqs strictly increase across pages and processes")
            }
            // One more sync after the writers: the mirror equals the server, field for field.
            #expect(await makeEngine(mirror: mirror, server: processes[1].baseURL, token: tokens[0]).run().outcome == .upToDate)
            let serverCalls = try await store.calls(personID: agents[0], from: allTime.from, to: allTime.to)
            #expect(try mirror.allCalls() == serverCalls)
            let head = try await store.pull(personID: agents[0], since: 0, limit: 1, resync: false).head
            #expect(try mirror.status().cursor == head)
        }
    }

    /// Failed logins count in the database: three through one process and two through the other
    /// lock the id in both.
    @Test func loginThrottlingCountsAcrossProcesses() async throws {
        try await Self.withProcesses(2) { store, processes, _ in
            try await Self.addPerson(store, "agent-1")
            for n in 0..<4 {
                let response = try await Self.login(processes[n % 2], "agent-1", password: "wrong password")
                #expect(response.status == 401, "failure \(n + 1)")
            }
            let fifth = try await Self.login(processes[0], "agent-1", password: "wrong password")
            #expect(fifth.status == 429, "the fifth failure, counted with those of the other process, locks the id")
            for process in processes {
                let right = try await Self.login(process, "agent-1")
                #expect(right.status == 429 && right.errorCode == "login_throttled", "locked in every process, even with the right password")
                #expect(right.header("Retry-After").flatMap(Int.init) ?? 0 > 0)
            }
        }
    }

    /// A long-poll waiting on one process is woken by a change written through the other
    /// (`LISTEN`/`NOTIFY`; the sweep is set to a minute, so nothing else could wake it in time),
    /// and a process stopped with SIGTERM answers its waiting clients before it exits.
    @Test func aLongPollWakesOnAChangeWrittenByAnotherProcess() async throws {
        try await Self.withProcesses(2, arguments: ["--long-poll-sweep", "60"]) { store, processes, _ in
            try await Self.addPerson(store, "agent-1")
            try await Self.addPerson(store, "root", role: .admin)
            let agent = try await Self.token(processes[0], "agent-1")
            let admin = try await Self.token(processes[1], "root")
            let day = CivilDate("2026-11-17")!
            for round in 0..<3 {
                let since = Int64(round)
                let waiting = Task {
                    try await TestHTTP.send("GET", processes[0].baseURL + "/api/v1/sync/pull?since=\(since)&wait=30", token: agent)
                }
                try await Task.sleep(for: .milliseconds(500))  // the pull is waiting (it cannot answer before the write)
                let written = ContinuousClock.now
                let ingest = try await TestHTTP.send(
                    "POST", processes[1].baseURL + "/api/v1/ingest/cdr", token: admin,
                    body: try CDRFixture.json([cdr("c\(round)", agent: "agent-1", day: day, minute: round)]))
                #expect(ingest.status == 200, "ingest: \(ingest.text)")
                let response = try await waiting.value
                let took = ContinuousClock.now - written
                #expect(response.status == 200)
                let page = try response.decode(PullPage<FeedEntity>.self)
                #expect(page.changes.map(\.id) == ["c\(round)"], "round \(round)")
                #expect(took < .seconds(10), "round \(round): woken \(took) after the other process's commit")
            }
            // SIGTERM with a client waiting: it gets its (empty) page, and the process exits promptly.
            let waiting = Task { try await TestHTTP.send("GET", processes[0].baseURL + "/api/v1/sync/pull?since=3&wait=60", token: agent) }
            try await Task.sleep(for: .milliseconds(500))
            let stopping = ContinuousClock.now
            processes[0].signal(SIGTERM)
            let response = try await waiting.value
            #expect(response.status == 200)
            #expect(try response.decode(PullPage<FeedEntity>.self).changes.isEmpty)
            #expect(await processes[0].wait() == 0)
            #expect(ContinuousClock.now - stopping < .seconds(20), "the graceful stop waited for the long-poll")
        }
    }

    /// `serve --scheduler` on both processes: while another process holds the scheduler's lease
    /// neither runs the jobs; once it is free, each week is scored once, in one of them.
    @Test func schedulerOnBothProcessesScoresEachWeekOnce() async throws {
        let database = try await TestDatabase.create(.postgres)
        let store = try await database.openStore()
        defer { Task { await database.remove() } }
        // 300 people with activity in each of the last two complete weeks (the scheduler scores
        // complete weeks): enough that a week's scoring overlaps the other process's ticks.
        let people = (1...300).map { "agent-\($0)" }
        for person in people { try await store.createPerson(Person(id: person, name: person, email: "\(person)@example.test", role: .agent, teamID: nil, active: true), passwordHash: "-") }
        let thisWeek = ISOWeek(containing: DateRange.today())
        let weeks = [thisWeek.previous.previous, thisWeek.previous]
        var records: [[String: JSONValue]] = []
        for (w, week) in weeks.enumerated() {
            for person in people {
                for n in 0..<3 {
                    records.append([
                        "kind": .string("ticket"), "id": .string("t-\(person)-\(w)-\(n)"), "person_id": .string(person),
                        "opened_at": .string(week.monday.startTimestamp), "resolved_at": .string(week.monday.adding(days: 1).startTimestamp),
                        "sla_met": .bool(n != 0), "resolution_minutes": .number(Double(10 * n + 5)),
                    ])
                }
            }
        }
        let ingested = try await Ingest.activities(Ingest.parseActivities(WireJSON.encode(records)), store: store)
        #expect(ingested.rejected.isEmpty && ingested.inserted == records.count)
        let arguments = ["--log-level", "info", "--scheduler", "--scheduler-interval", "1"]
        let processes = try await store.withJobLease(Scheduler.leaseName) {
            let processes = try (0..<2).map { _ in try ServerProcess(database: database.postgresURL!, arguments: arguments) }
            for process in processes { try await process.waitUntilReady() }
            try await Task.sleep(for: .seconds(3))  // several ticks in each
            #expect(try await store.jobState(ScoringJob.checkpointKey) == nil, "nothing runs while another process holds the lease")
            return processes
        }
        let started = try #require(processes, "the test took the scheduler's lease")
        let deadline = ContinuousClock.now + .seconds(60)
        while try await store.jobState(ScoringJob.checkpointKey) != thisWeek.previous.description, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        try await Task.sleep(for: .seconds(3))
        for process in started { await process.stop() }
        #expect(try await store.jobState(ScoringJob.checkpointKey) == thisWeek.previous.description)
        let logs = started.map { $0.log() }
        for week in weeks {
            let runs = logs.map { log in log.split(separator: "\n").filter { $0.contains("scored \(week.description):") }.count }
            #expect(runs.reduce(0, +) == 1, "\(week) scored once in all (per process: \(runs))")
            #expect(try await database.count("SELECT COUNT(*) FROM snapshots WHERE period = '\(week)' AND version = 1") == people.count, "\(week): each snapshot written once")
        }
        #expect(try await database.count("SELECT COUNT(*) FROM job_state WHERE key = 'daily_jobs_ran_on'") == 1)
        await store.close()
    }

    /// A process killed with SIGKILL while it ingests a batch leaves all of it or none of it: the
    /// calls, their change-log rows and the feed counter agree, and the other process serves on.
    @Test(arguments: [1, 2, 3])
    func killedMidIngestLeavesNoHalfBatch(seed: Int) async throws {
        try await Self.withProcesses(2) { store, processes, database in
            try await Self.addPerson(store, "root", role: .admin)
            try await Self.addPerson(store, "agent-1")
            let admin = try await Self.token(processes[1], "root")
            var rng = SplitMix64(seed: UInt64(seed))
            let batch = (0..<10_000).map { i in cdr("k\(seed)-\(i)", agent: "agent-1", day: CivilDate("2026-11-16")!, minute: i % 900) }
            let body = try CDRFixture.json(batch)
            // How long a batch takes here, to kill the next one somewhere inside it.
            let start = ContinuousClock.now
            let warm = try await TestHTTP.send(
                "POST", processes[1].baseURL + "/api/v1/ingest/cdr", token: admin,
                body: try CDRFixture.json((0..<10_000).map { i in cdr("warm\(seed)-\(i)", agent: "agent-1", day: CivilDate("2026-11-17")!, minute: i % 900) }))
            #expect(warm.status == 200)
            let warmed = try warm.decode(IngestResult.self).inserted
            #expect(warmed == 10_000)
            let took = ContinuousClock.now - start
            let victim = processes[0]
            let request = Task { try? await TestHTTP.send("POST", victim.baseURL + "/api/v1/ingest/cdr", token: admin, body: body) }
            let fraction = Double.random(in: 0.05...0.9, using: &rng)
            try await Task.sleep(for: took * fraction)
            victim.signal(SIGKILL)
            _ = await victim.wait()
            let answered = await request.value
            let calls = try await database.count("SELECT COUNT(*) FROM calls WHERE id LIKE 'k\(seed)-%'")
            let logged = try await database.count("SELECT COUNT(*) FROM change_log WHERE entity_id LIKE 'k\(seed)-%'")
            #expect(calls == 0 || calls == 10_000, "all or nothing of the batch: \(calls) calls (killed at \(Int(fraction * 100)) %)")
            #expect(logged == calls, "one change-log row per stored call")
            if answered?.status == 200 { #expect(calls == 10_000, "an answered batch is stored") }
            let head = try await store.pull(personID: "agent-1", since: 0, limit: 1, resync: false).head
            #expect(head == Int64(warmed + calls), "the counter moved exactly by what was committed")
            // The survivor serves the agent's feed, whole.
            let token = try await Self.token(processes[1], "agent-1")
            let page = try await TestHTTP.send("GET", processes[1].baseURL + "/api/v1/sync/pull?since=0&limit=5000", token: token)
            #expect(page.status == 200)
        }
    }

    /// The database goes away under a live server and comes back: requests in between answer 503
    /// with Retry-After and change nothing, and the server recovers by itself.
    @Test func databaseRestartUnderALiveServer() async throws {
        let cluster = PostgresCluster()  // its own: stopping the shared one would fail other tests
        defer { Task { await cluster.destroy() } }
        let name = try await cluster.createDatabase()
        let url = try await cluster.url(database: name, poolSize: 4)
        let seedStore = try await TestDatabase.openPostgres(url: url)
        try await Self.addPerson(seedStore, "agent-1")
        await seedStore.close()
        let process = try ServerProcess(database: url, arguments: ["--log-level", "info"])
        defer { Task { await process.stop() } }
        try await process.waitUntilReady()
        let token = try await Self.token(process, "agent-1")
        let pull = process.baseURL + "/api/v1/sync/pull?since=0&limit=10"
        #expect(try await TestHTTP.send("GET", pull, token: token).status == 200)

        // The test cluster commits asynchronously (synchronous_commit=off) and this stop is a crash:
        // give the WAL writer time to write the login's commit first.
        try await Task.sleep(for: .seconds(1))
        try await cluster.stopServer()
        let down = try await TestHTTP.send("GET", pull, token: token)
        #expect(down.status == 503)
        #expect(down.errorCode == "database_unavailable")
        #expect(down.header("Retry-After") == "5")
        let health = try await TestHTTP.send("GET", process.baseURL + "/healthz")
        #expect(health.status == 503)

        try await cluster.startServer()
        var recovered = false
        var seen: [Int] = []
        let deadline = ContinuousClock.now + .seconds(30)
        while !recovered, ContinuousClock.now < deadline {
            let status = (try? await TestHTTP.send("GET", pull, token: token).status) ?? -1
            if seen.last != status { seen.append(status) }
            recovered = status == 200
            if !recovered { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(recovered, "the server reconnects by itself once the database is back (statuses \(seen)); its log:\n\(process.log().suffix(3000))")
        #expect(try await TestHTTP.send("GET", process.baseURL + "/healthz").status == 200)
        await process.stop()
    }
}

/// A flag one task sets and others poll.
final class ManagedFlag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
