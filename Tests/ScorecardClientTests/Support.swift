import Foundation
import Logging
import ScorecardCache
import ScorecardCore
import ScorecardServer
import ScorecardSync
import ScorecardTesting
import Synchronization
import Testing

// MARK: - Sandbox and server

/// A test's own temp directory holding the client's XDG config and data homes.
struct Sandbox: Sendable {
    let root: URL

    var configHome: String { root.path + "/config" }
    var dataHome: String { root.path + "/data" }
    /// The account store a `scorecard` child with this sandbox's environment uses.
    var accounts: AccountStore {
        AccountStore(configDirectory: configHome + "/scorecard", dataDirectory: dataHome + "/scorecard")
    }

    static func make() throws -> Sandbox {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("scorecard-client-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        return Sandbox(root: root)
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

/// Starts a fresh server on `backend` and a fresh sandbox, runs `body`, then stops the server and
/// removes the sandbox whether `body` returned or threw. Stopping the server inside `body` is fine.
func withServer(backend: TestBackend, _ body: (TestServer, Sandbox) async throws -> Void) async throws {
    let sandbox = try Sandbox.make()
    let server: TestServer
    do {
        server = try await TestServer.start(backend: backend)
    } catch {
        sandbox.remove()
        throw error
    }
    do {
        try await body(server, sandbox)
    } catch {
        await server.stop()
        sandbox.remove()
        throw error
    }
    await server.stop()
    sandbox.remove()
}

/// A day range wide enough to hold every call a test makes.
let allTime = (from: CivilDate("2000-01-01")!, to: CivilDate("2099-12-31")!)

/// Fixed demo data: the same calls on every run, whatever today is.
enum Demo {
    /// The last day with demo data (a Friday).
    static let endDate = CivilDate("2026-11-20")!
    static let agent = "agent-001"
    static func password(_ id: String) -> String { "demo-\(id)" }
}

extension TestServer {
    /// Writes demo people, calls and day summaries straight into the store (small, cheap bcrypt).
    @discardableResult
    func seedDemo(agents: Int = 2, days: Int = 10) async throws -> DemoData.Summary {
        var options = DemoData.Options()
        options.agents = agents
        options.days = days
        options.bcryptCost = 4
        options.endDate = Demo.endDate
        var logger = Logger(label: "client-tests-demo")
        logger.logLevel = .critical
        return try await DemoData(options: options).write(to: store, logger: logger)
    }

    /// Logs a demo person in.
    func demoLogin(_ id: String = Demo.agent) async throws -> String {
        try await login(id, password: Demo.password(id))
    }

    /// Creates the admin `root` and returns its token.
    func adminToken() async throws -> String {
        try await addPerson("root", role: .admin)
        return try await login("root")
    }

    /// Posts CDR objects as an admin and expects 200.
    @discardableResult
    func ingestCDRs(_ records: [[String: String?]], token: String, sourceLocation: SourceLocation = #_sourceLocation) async throws
        -> IngestResult
    {
        let response = try await request("POST", "/api/v1/ingest/cdr", token: token, body: try CDRFixture.json(records))
        try #require(response.status == 200, "CDR ingest answered \(response.status): \(response.text)", sourceLocation: sourceLocation)
        return try response.decode(IngestResult.self)
    }

    /// Posts agent-summary objects as an admin and expects 200.
    @discardableResult
    func ingestSummaries(_ records: [[String: String]], token: String, sourceLocation: SourceLocation = #_sourceLocation) async throws
        -> IngestResult
    {
        let response = try await request("POST", "/api/v1/ingest/agent-summary", token: token, body: try JSONEncoder().encode(records))
        try #require(
            response.status == 200, "summary ingest answered \(response.status): \(response.text)", sourceLocation: sourceLocation)
        return try response.decode(IngestResult.self)
    }

    /// The person's whole change feed, read from the store in one snapshot.
    func feed(of person: String) async throws -> FeedPage {
        try await store.pull(personID: person, since: 0, limit: 10_000_000, resync: false)
    }
}

/// One CDR in the dialer's shape for `agent`, at minute `n` after 08:00 on `day`.
func cdr(_ id: String, agent: String, day: CivilDate, minute n: Int, status: String = "Answered", type: String = "InBound",
    talk: String = "00:02:00", disposition: String? = "General Enquiry") -> [String: String?]
{
    let seconds = 8 * 3600 + n * 60
    return CDRFixture.record(
        id: id, agent: agent, start: "\(day) \(HMS.clock(seconds))", type: type, status: status, talk: talk, disposition: disposition)
}

/// A server call back in the dialer's shape, with some fields changed.
func cdr(from call: Call, talkSeconds: Int? = nil, disposition: String?? = nil) -> [String: String?] {
    let start = call.startedAt.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: "")
    let status: String
    switch call.status {
    case .answered: status = "Answered"
    case .missed: status = call.direction == .inbound ? "Unanswered" : "NotAnswered"
    case .other: status = "Busy"
    }
    return CDRFixture.record(
        id: call.id, agent: call.personID, start: start, type: call.callType, status: status,
        talk: HMS.clock(talkSeconds ?? call.talkSeconds), handling: HMS.clock(call.handlingSeconds),
        disposition: disposition ?? call.disposition)
}

// MARK: - Client side

/// Registers `person` on `server` as the sandbox's current account with `token`.
@discardableResult
func registerAccount(_ sandbox: Sandbox, server: String, person: String, token: String) throws -> Account {
    let account = Account(server: server, person: person)
    try sandbox.accounts.use(account)
    try sandbox.accounts.setToken(token, for: account)
    return account
}

/// The account's mirror (where the CLI keeps it), bound to the server and person.
func openMirror(_ sandbox: Sandbox, server: String, person: String) throws -> Mirror {
    let account = Account(server: server, person: person)
    let mirror = try Mirror(path: sandbox.accounts.mirrorPath(account))
    try mirror.bind(server: server, person: person)
    return mirror
}

/// A sync engine with quick retries for tests.
func makeEngine(
    mirror: Mirror, server: String, token: String, pageSize: Int = 5000, transport: any HTTPTransport = URLSessionTransport(),
    deadline: Duration = .seconds(10), maxAttempts: Int = 8
) -> SyncEngine {
    var client = APIClient(server: URL(string: server)!, token: token, transport: transport)
    client.deadline = deadline
    var engine = SyncEngine(mirror: mirror, client: client)
    engine.pageSize = pageSize
    engine.policy.baseDelay = 0.01
    engine.policy.maxDelay = 0.2
    engine.policy.maxAttempts = maxAttempts
    return engine
}

/// Checks that the mirror holds exactly the server's truth for `person`: every call and day summary
/// field for field (versions included), row counts per stream equal to the feed's live entities
/// (so no duplicates and no gaps), and the cursor at the feed's head.
func expectMirrorEqualsServer(
    _ mirror: Mirror, _ server: TestServer, person: String, sourceLocation: SourceLocation = #_sourceLocation
) async throws {
    let serverCalls = try await server.store.calls(personID: person, from: allTime.from, to: allTime.to)
    let mirrorCalls = try mirror.allCalls()
    let byID = Dictionary(uniqueKeysWithValues: serverCalls.map { ($0.id, $0) })
    let mirrorIDs = Set(mirrorCalls.map(\.id))
    let missing = Set(byID.keys).subtracting(mirrorIDs).sorted()
    let extra = mirrorIDs.subtracting(byID.keys).sorted()
    let differing = mirrorCalls.filter { call in byID[call.id].map { $0 != call } ?? false }.map(\.id)
    #expect(
        missing.isEmpty && extra.isEmpty && differing.isEmpty,
        "calls: \(missing.count) missing \(missing.prefix(3)), \(extra.count) extra \(extra.prefix(3)), \(differing.count) differing \(differing.prefix(3))",
        sourceLocation: sourceLocation)
    #expect(mirrorCalls.count == serverCalls.count, "calls in mirror vs server", sourceLocation: sourceLocation)
    if missing.isEmpty && extra.isEmpty && differing.isEmpty {
        #expect(mirrorCalls == serverCalls, "same calls in the same order", sourceLocation: sourceLocation)
    }

    let serverSummaries = try await server.store.daySummaries(personID: person, from: allTime.from, to: allTime.to)
    #expect(try mirror.daySummaries(from: allTime.from, to: allTime.to) == serverSummaries, sourceLocation: sourceLocation)

    let feed = try await server.feed(of: person)
    var live: [String: Int] = [:]
    for change in feed.changes where change.op == .upsert { live[change.stream.rawValue, default: 0] += 1 }
    let status = try mirror.status()
    for stream in SyncStream.allCases {
        #expect(
            status.rows[stream.rawValue] ?? -1 == live[stream.rawValue] ?? 0, "rows of stream \(stream.rawValue)",
            sourceLocation: sourceLocation)
    }
    #expect(status.rows["calls"] == serverCalls.count, sourceLocation: sourceLocation)
    #expect(status.cursor == feed.head, "cursor at the feed's head", sourceLocation: sourceLocation)
    #expect(!status.resyncInProgress, sourceLocation: sourceLocation)
}

// MARK: - Transports

/// A transport in front of the real one that follows a script per request: pass, fail, or hand
/// back a damaged body. Optionally sends `Connection: close`, so that every request gets its own
/// TCP connection (and so its own ``FaultProxy`` fault).
final class ScriptedTransport: HTTPTransport {
    enum Step: Sendable {
        case pass
        case fail(TransportError)
        /// The real answer with its body cut in half.
        case truncateBody
        /// A 200 whose body is not a page.
        case garbageBody
    }

    private struct State {
        var script: [Step]
        var fallback: Step
        var sent = 0
    }

    private let base = URLSessionTransport()
    private let state: Mutex<State>
    private let closeConnections: Bool

    init(_ script: [Step] = [], then fallback: Step = .pass, closeConnections: Bool = false) {
        state = Mutex(State(script: script, fallback: fallback))
        self.closeConnections = closeConnections
    }

    /// Requests sent so far (including failed ones).
    var sent: Int { state.withLock { $0.sent } }

    /// Replaces the script.
    func script(_ steps: [Step], then fallback: Step = .pass) {
        state.withLock {
            $0.script = steps
            $0.fallback = fallback
        }
    }

    func send(_ request: TransportRequest) async throws -> TransportResponse {
        let step = state.withLock { s -> Step in
            s.sent += 1
            return s.script.isEmpty ? s.fallback : s.script.removeFirst()
        }
        var request = request
        if closeConnections { request.headers["Connection"] = "close" }
        switch step {
        case .pass:
            return try await base.send(request)
        case .fail(let error):
            throw error
        case .truncateBody:
            var response = try await base.send(request)
            response.body = response.body.prefix(response.body.count / 2)
            response.headers = response.headers.filter { $0.key.lowercased() != "content-length" }
            return response
        case .garbageBody:
            var response = try await base.send(request)
            response.body = Data(#"{"changes": [{"seq": "not a number", "stream": "calls""#.utf8)
            response.headers = response.headers.filter { $0.key.lowercased() != "content-length" }
            return response
        }
    }
}

// MARK: - The scorecard CLI as a child process

/// What a finished `scorecard` child did.
struct CLIResult: Sendable {
    var status: Int32
    /// True when a signal ended it (then `status` is the signal number).
    var signaled: Bool
    var stdout: String
    var stderr: String
}

/// A running `scorecard` child with the sandbox's XDG directories; output goes to files so a
/// chatty child can never block on a full pipe.
final class CLIChild: Sendable {
    /// The `scorecard` executable built next to the test bundle, if any.
    static let executable: String? = {
        let fm = FileManager.default
        var directories = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        if let main = Bundle.main.executableURL { directories.append(main.deletingLastPathComponent()) }
        // Tests/ScorecardClientTests/Support.swift → the package root's .build/debug.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        directories.append(root.appendingPathComponent(".build/debug"))
        for directory in directories {
            let candidate = directory.appendingPathComponent("scorecard").path
            if fm.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }()

    let pid: Int32
    private let process: Process
    private let exits: AsyncStream<(Int32, Bool)>
    private let stdoutPath: String
    private let stderrPath: String

    /// Starts `scorecard ARGUMENTS` with XDG_CONFIG_HOME/XDG_DATA_HOME (and HOME) in the sandbox.
    init(_ arguments: [String], sandbox: Sandbox) throws {
        guard let executable = CLIChild.executable else { throw CLIMissing() }
        let id = UUID().uuidString
        stdoutPath = sandbox.root.path + "/cli-\(id).out"
        stderrPath = sandbox.root.path + "/cli-\(id).err"
        guard FileManager.default.createFile(atPath: stdoutPath, contents: nil),
            FileManager.default.createFile(atPath: stderrPath, contents: nil)
        else { throw CocoaError(.fileWriteUnknown) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_CONFIG_HOME"] = sandbox.configHome
        environment["XDG_DATA_HOME"] = sandbox.dataHome
        environment["HOME"] = sandbox.root.path
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        let (exits, continuation) = AsyncStream<(Int32, Bool)>.makeStream()
        process.terminationHandler = { p in
            continuation.yield((p.terminationStatus, p.terminationReason == .uncaughtSignal))
            continuation.finish()
        }
        try process.run()
        self.process = process
        self.exits = exits
        pid = process.processIdentifier
    }

    /// Waits (without blocking a thread) for the child to end.
    func wait() async -> CLIResult {
        var iterator = exits.makeAsyncIterator()
        let (status, signaled) = await iterator.next() ?? (-1, false)
        let read = { (path: String) in String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self) }
        return CLIResult(status: status, signaled: signaled, stdout: read(stdoutPath), stderr: read(stderrPath))
    }

    /// The exit status once the child has ended (nil while it runs).
    var exitStatusIfEnded: Int32? { process.isRunning ? nil : process.terminationStatus }

    /// SIGKILL, if it is still running.
    func kill9() {
        if process.isRunning { _ = kill(pid, SIGKILL) }
    }

    /// Runs `scorecard ARGUMENTS` to completion.
    static func run(_ arguments: [String], sandbox: Sandbox) async throws -> CLIResult {
        try await CLIChild(arguments, sandbox: sandbox).wait()
    }
}

struct CLIMissing: Error, CustomStringConvertible {
    var description: String {
        "the scorecard executable is not next to the test bundle (\(CommandLine.arguments[0])); `swift build` builds it"
    }
}
