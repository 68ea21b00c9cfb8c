import ArgumentParser
import Foundation
import GRDB
import ScorecardCache
import ScorecardCore
import ScorecardSync

/// `stats-month`: `scorecard -c "stats month"` on a mirror of a million calls, against the sqlite3 CLI.
struct StatsMonth: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats-month",
        abstract: "`scorecard -c \"stats month\"` on a 1,000,000-call mirror vs `sqlite3 MIRROR \"select 1\"`; the KPI query vs sqlite3 running the same SQL.")
    @Option(help: "Calls in the mirror.") var rows = 1_000_000
    @Option(help: "Days of history they span, ending today (3650: ~274 calls a day).") var days = 3650
    @Option(help: "Runs of each measurement; medians are reported.") var runs = 15
    @Option(help: "Path to the scorecard binary (default: next to this one).") var client: String?
    @Option(help: "Path to the scorecard-floor binary (default: next to this one; skipped when absent).") var floor: String?
    @Option(help: "Keep the home directory (config, mirror) here and reuse its mirror on the next run, instead of a temporary one.")
    var home: String?

    func run() async throws {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let binary = client ?? directory.appendingPathComponent("scorecard").path
        let floorBinary = floor ?? directory.appendingPathComponent("scorecard-floor").path
        let hasFloor = FileManager.default.isExecutableFile(atPath: floorBinary)
        guard FileManager.default.isExecutableFile(atPath: binary) else { throw ValidationError("no scorecard binary at \(binary)") }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") else { throw ValidationError("needs /usr/bin/sqlite3 (apt: sqlite3)") }
        let home = self.home ?? FileManager.default.temporaryDirectory.appendingPathComponent("bench-stats-\(UUID().uuidString)").path
        defer { if self.home == nil { try? FileManager.default.removeItem(atPath: home) } }
        let accounts = AccountStore(configDirectory: home + "/config/scorecard", dataDirectory: home + "/data/scorecard")
        let account = Account(server: "http://127.0.0.1:9", person: "a1")
        try accounts.use(account)
        let path = accounts.mirrorPath(account)
        let today = DateRange.today()
        let month = DateRange.parse("month", today: today)!
        if self.home != nil, FileManager.default.fileExists(atPath: path) {
            print("reusing the mirror \(path)")
        } else {
            let build = ContinuousClock.now
            try fill(path: path, today: today)
            print("built a mirror of \(String(rows)) calls over \(days) days in \(fmt(seconds(ContinuousClock.now - build), 1)) s: \(path)")
        }

        // Opening the mirror (and closing it), as every command does once.
        var opening: [Double] = []
        for _ in 0..<(runs + 1) {
            let start = ContinuousClock.now
            _ = try Mirror(path: path).meta(.person)
            opening.append(seconds(ContinuousClock.now - start))
        }
        opening.removeFirst()
        // The KPI query in this process (mirror open, warm), against sqlite3 running the same SQL.
        let mirror = try Mirror(path: path)
        let monthRows = try mirror.kpiReport(from: month.from, to: month.to).calls.total
        var query: [Double] = []
        for _ in 0..<(runs + 1) {
            let start = ContinuousClock.now
            _ = try mirror.kpiReport(from: month.from, to: month.to)
            query.append(seconds(ContinuousClock.now - start))
        }
        query.removeFirst()  // the first read warms the page cache and the statement cache
        var loading: [Double] = []  // the previous way: every call of the range loaded, then KPICalculator
        for _ in 0..<runs {
            let start = ContinuousClock.now
            _ = KPICalculator.report(
                personID: "a1", from: month.from, to: month.to, calls: try mirror.calls(from: month.from, to: month.to),
                summaries: try mirror.daySummaries(from: month.from, to: month.to))
            loading.append(seconds(ContinuousClock.now - start))
        }
        // What the report runs once the aggregates are current: the coverage check, the days
        // before today from `call_groups`, today from `calls`, the day summaries.
        func bound(_ sql: String, _ a: String, _ b: String) -> String {
            sql.replacingOccurrences(of: "?1", with: "'\(a)'").replacingOccurrences(of: "?2", with: "'\(b)'") + ";\n"
        }
        let yesterday = today.adding(days: -1)
        let sql = bound(Mirror.kpiCoverageSQL, month.from.description, yesterday.description)
            + bound(Mirror.kpiGroupsSQL, month.from.description, yesterday.description)
            + bound(Mirror.kpiCallsSQL, today.startTimestamp, today.adding(days: 1).startTimestamp)
            + bound(Mirror.kpiSummariesSQL, month.from.description, month.to.description)
        // The first report after a sync invalidated the month: the aggregates rebuilt from the calls.
        var rebuild: [Double] = []
        for _ in 0..<runs {
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in try db.execute(sql: "DELETE FROM call_days") }
            try queue.close()
            let start = ContinuousClock.now
            _ = try mirror.kpiReport(from: month.from, to: month.to)
            rebuild.append(seconds(ContinuousClock.now - start))
        }
        let env = ["XDG_CONFIG_HOME": home + "/config", "XDG_DATA_HOME": home + "/data", "XDG_STATE_HOME": home + "/state", "PATH": "/usr/bin:/bin", "HOME": home]
        var whole: [Double] = [], startOnly: [Double] = [], select1: [Double] = [], sameSQL: [Double] = []
        var floorStart: [Double] = [], floorParse: [Double] = []
        for _ in 0..<runs {
            if hasFloor {
                floorStart.append(try timeChild(floorBinary, ["start"], env: env))
                floorParse.append(try timeChild(floorBinary, ["parse", "month"], env: env))
            }
            whole.append(try timeChild(binary, ["-c", "stats month"], env: env))
            startOnly.append(try timeChild(binary, ["-c", "\\pager on"], env: env))
            select1.append(try timeChild("/usr/bin/sqlite3", [path, "select 1"], env: env))
            sameSQL.append(try timeChild("/usr/bin/sqlite3", [path, sql], env: env))
        }
        let (w, s1, q, s) = (median(whole), median(select1), median(query), median(sameSQL))
        print("""
            stats-month: \(String(rows)) calls over \(days) days; this month (\(month.from) .. \(month.to)) holds \(String(monthRows)) of them; \(runs) runs (medians)
              scorecard -c "stats month" (whole process)   \(fmt(w * 1000, 2)) ms
              sqlite3 MIRROR "select 1" (whole process)     \(fmt(s1 * 1000, 2)) ms
              ratio                                         \(fmt(w / s1, 2))× (target ≤ 2)
              scorecard -c "\\pager on" (start and exit)     \(fmt(median(startOnly) * 1000, 2)) ms
              mirror open, one read, close (in process)     \(fmt(median(opening) * 1000, 2)) ms
              KPI query in process (Mirror.kpiReport)       \(fmt(q * 1000, 2)) ms
              the same, aggregates rebuilt first            \(fmt(median(rebuild) * 1000, 2)) ms (first report after a sync touched every day)
              the same, loading the calls (before)          \(fmt(median(loading) * 1000, 2)) ms
              sqlite3 MIRROR running the same SQL           \(fmt(s * 1000, 2)) ms (whole process)
              ratio                                         \(fmt(q / s, 2))× (target ≤ 1.5)
            """)
        guard hasFloor else { return print("  (no scorecard-floor binary at \(floorBinary): the floors were skipped)") }
        let (fs, fp) = (median(floorStart), median(floorParse))
        print("""
              floor: a Swift process that starts and exits  \(fmt(fs * 1000, 2)) ms (\(fmt(fs / s1, 2))× select 1; scorecard-floor start)
              floor: one that parses `stats month` with
                     ArgumentParser and exits               \(fmt(fp * 1000, 2)) ms (\(fmt(fp / s1, 2))× select 1; scorecard-floor parse month)
            """)
    }

    /// A mirror of `rows` calls spread evenly over `days` days ending today, with a day summary
    /// per day, written through the sync's page apply in pages of 50,000.
    func fill(path: String, today: CivilDate) throws {
        let mirror = try Mirror(path: path)
        try mirror.bind(server: "http://127.0.0.1:9", person: "a1")
        let first = today.adding(days: 1 - days)
        let start = first.daysSinceEpoch * 86_400
        let step = Double(days * 86_400) / Double(rows)
        let dispositions: [String?] = ["General Enquiry", "Appointment Booked", nil, "Follow-up Required", "Not Interested", "No Answer"]
        var seq: Int64 = 0
        var changes: [MirrorChange] = []
        func flush() throws {
            try mirror.apply(MirrorPage(changes: changes, next: seq, hasMore: false))
            changes.removeAll(keepingCapacity: true)
        }
        for i in 0..<rows {
            seq += 1
            let inbound = i % 3 != 0
            let call = Call(
                id: "c\(i)", personID: "a1", startedAt: Timestamp.format(epochSeconds: start + Int(Double(i) * step)),
                direction: inbound ? .inbound : .outbound, callType: inbound ? "InBound" : "Manual", status: i % 5 == 0 ? .missed : .answered,
                talkSeconds: i % 5 == 0 ? 0 : 30 + i % 400, handlingSeconds: 45 + i % 420, disposition: dispositions[i % dispositions.count])
            changes.append(MirrorChange(seq: seq, stream: "calls", op: .upsert, id: call.id, payload: .call(call, extra: nil)))
            if changes.count == 50_000 { try flush() }
        }
        for d in 0..<days {
            seq += 1
            let date = first.adding(days: d)
            let summary = DaySummary(
                personID: "a1", date: date, loginSeconds: 28_800, busySeconds: 16_000 + d % 600, idleSeconds: 6_000, pauseSeconds: 3_000,
                wrapupSeconds: 2_400, dialSeconds: 1_200, ahtSeconds: 250 + d % 40)
            changes.append(MirrorChange(seq: seq, stream: "day_summaries", op: .upsert, id: date.description, payload: .daySummary(summary, extra: nil)))
        }
        try flush()
    }

    /// Wall-clock seconds of a child process, its output sent to /dev/null; throws unless it exits 0.
    func timeChild(_ executable: String, _ arguments: [String], env: [String: String]) throws -> Double {
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var pid: pid_t = 0
        let start = ContinuousClock.now
        guard posix_spawn(&pid, executable, &actions, nil, argv, envp) == 0 else { throw ValidationError("cannot start \(executable)") }
        var status: Int32 = 0
        guard waitpid(pid, &status, 0) == pid else { throw ValidationError("waitpid failed: errno \(errno)") }
        let elapsed = seconds(ContinuousClock.now - start)
        guard status == 0 else { throw ValidationError("\(executable) \(arguments) exited with status \(status)") }
        return elapsed
    }
}
