import Foundation
import Logging
import ScorecardCache
import ScorecardCore
import ScorecardServer
import ScorecardSync
import ScorecardTesting
import Testing

/// A test's own directory with the client's XDG config, data and state homes.
struct Sandbox: Sendable {
    let root: URL

    var configHome: String { root.path + "/config" }
    var dataHome: String { root.path + "/data" }
    var stateHome: String { root.path + "/state" }
    var accounts: AccountStore { AccountStore(configDirectory: configHome + "/scorecard", dataDirectory: dataHome + "/scorecard") }
    var historyPath: String { stateHome + "/scorecard/history" }

    /// The environment a `scorecard` child runs with: these XDG homes, no colour, no pager.
    var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["XDG_CONFIG_HOME"] = configHome
        env["XDG_DATA_HOME"] = dataHome
        env["XDG_STATE_HOME"] = stateHome
        env["HOME"] = root.path
        env["COLUMNS"] = "80"
        env.removeValue(forKey: "CLICOLOR_FORCE")
        return env
    }

    static func make() throws -> Sandbox {
        // Short: tmux sockets and readline paths live under it.
        let root = URL(fileURLWithPath: "/tmp/scsh-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        return Sandbox(root: root)
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    /// Makes `person` on `server` the current account with `token`, and opens its mirror.
    @discardableResult
    func register(server: String, person: String, token: String) throws -> Mirror {
        let account = Account(server: server, person: person)
        try accounts.use(account)
        try accounts.setToken(token, for: account)
        let mirror = try Mirror(path: accounts.mirrorPath(account))
        try mirror.bind(server: server, person: person)
        return mirror
    }
}

/// A fresh server and sandbox around `body`, both removed afterwards.
func withServer(_ body: (TestServer, Sandbox) async throws -> Void) async throws {
    let sandbox = try Sandbox.make()
    defer { sandbox.remove() }
    let server = try await TestServer.start()
    do {
        try await body(server, sandbox)
    } catch {
        await server.stop()
        throw error
    }
    await server.stop()
}

extension TestServer {
    /// Demo people, calls and day summaries ending 2026-11-20 (cheap bcrypt); logs `agent-001` in.
    func seedDemoAgent() async throws -> String {
        var options = DemoData.Options()
        options.agents = 2
        options.days = 10
        options.bcryptCost = 4
        options.endDate = CivilDate("2026-11-20")!
        var logger = Logger(label: "shell-tests-demo")
        logger.logLevel = .critical
        _ = try await DemoData(options: options).write(to: store, logger: logger)
        return try await login("agent-001", password: "demo-agent-001")
    }
}

/// Writes review, goal, snapshot and feedback documents into a mirror through the sync's page
/// apply: the server does not send these streams yet, so the tests put them there themselves.
func seedDocuments(_ mirror: Mirror, reviews: [Review] = [], goals: [Goal] = [], snapshots: [Snapshot] = [], feedback: [FeedbackEntry] = []) throws {
    var changes: [MirrorChange] = []
    let cursor = try mirror.cursor()
    func add(_ stream: String, _ id: String, _ periodStart: String?, _ version: Int, _ value: some Encodable) throws {
        let json = String(decoding: try WireJSON.encode(value), as: UTF8.self)
        changes.append(MirrorChange(seq: cursor, stream: stream, op: .upsert, id: id, payload: .document(periodStart: periodStart, version: version, json: json)))
    }
    for r in reviews { try add("reviews", r.id, r.periodStart, r.version, r) }
    for g in goals { try add("goals", g.id, nil, g.version, g) }
    for s in snapshots { try add("snapshots", s.id, s.periodStart, s.version, s) }
    for f in feedback { try add("feedback", f.id, nil, f.version, f) }
    try mirror.apply(MirrorPage(changes: changes, next: cursor, hasMore: false))
}

/// What a finished `scorecard` child did.
struct Run: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// The `scorecard` executable built next to the tests.
let scorecardBinary: String? = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let candidates = [
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("scorecard").path,
        root.appendingPathComponent(".build/debug/scorecard").path,
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
}()

struct BinaryMissing: Error, CustomStringConvertible {
    var description: String { "the scorecard executable is not built next to the tests; `swift build --build-tests` builds it" }
}

/// Runs `scorecard ARGUMENTS` with the sandbox's environment and `stdin` as standard input.
func scorecard(_ arguments: [String], sandbox: Sandbox, stdin: String = "") async throws -> Run {
    guard let binary = scorecardBinary else { throw BinaryMissing() }
    let id = UUID().uuidString
    let paths = ["in", "out", "err"].map { sandbox.root.path + "/run-\(id).\($0)" }
    try Data(stdin.utf8).write(to: URL(fileURLWithPath: paths[0]))
    for p in paths.dropFirst() { _ = FileManager.default.createFile(atPath: p, contents: nil) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = arguments
    process.environment = sandbox.environment
    process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: paths[0]))
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: paths[1]))
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: paths[2]))
    let (exits, continuation) = AsyncStream<Int32>.makeStream()
    process.terminationHandler = { p in
        continuation.yield(p.terminationStatus)
        continuation.finish()
    }
    try process.run()
    var iterator = exits.makeAsyncIterator()
    let status = await iterator.next() ?? -1
    let read = { (p: String) in String(decoding: FileManager.default.contents(atPath: p) ?? Data(), as: UTF8.self) }
    return Run(status: status, stdout: read(paths[1]), stderr: read(paths[2]))
}
