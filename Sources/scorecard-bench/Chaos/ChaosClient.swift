import Foundation
import Glibc
import ScorecardCache
import ScorecardCore
import ScorecardSync

/// A child process whose output goes to files (a chatty child never blocks on a pipe), which can
/// be killed with SIGKILL at any instant.
final class ChaosProcess: @unchecked Sendable {
    /// How a child ended.
    struct Outcome: Sendable {
        var status: Int32
        /// Ended by a signal (our kill -9, or a crash).
        var signaled: Bool
        var stdout: String
        var stderr: String
    }

    private let process = Process()
    private let exits: AsyncStream<(Int32, Bool)>
    private let outPath: String
    private let errPath: String

    init(_ executable: String, _ arguments: [String], directory: String, environment: [String: String]? = nil) throws {
        let id = UUID().uuidString
        outPath = directory + "/child-\(id).out"
        errPath = directory + "/child-\(id).err"
        guard FileManager.default.createFile(atPath: outPath, contents: nil), FileManager.default.createFile(atPath: errPath, contents: nil) else {
            throw ChaosFailure("cannot create the child's output files in \(directory)")
        }
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        let (exits, continuation) = AsyncStream<(Int32, Bool)>.makeStream()
        process.terminationHandler = { p in
            continuation.yield((p.terminationStatus, p.terminationReason == .uncaughtSignal))
            continuation.finish()
        }
        self.exits = exits
        try process.run()
    }

    var isRunning: Bool { process.isRunning }

    func kill9() {
        if process.isRunning { _ = kill(process.processIdentifier, SIGKILL) }
    }

    func wait() async -> Outcome {
        var iterator = exits.makeAsyncIterator()
        let (status, signaled) = await iterator.next() ?? (-1, false)
        func read(_ path: String) -> String {
            defer { try? FileManager.default.removeItem(atPath: path) }
            return String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
        }
        return Outcome(status: status, signaled: signaled, stdout: read(outPath), stderr: read(errPath))
    }

    /// Runs to the end.
    static func run(_ executable: String, _ arguments: [String], directory: String = NSTemporaryDirectory()) async throws -> Outcome {
        try await ChaosProcess(executable, arguments, directory: directory).wait()
    }
}

/// The agent's device: a sandbox with its own XDG homes, an account pointing at the fault proxy,
/// and the real `scorecard` executable run as a child for every command.
struct ChaosClient: Sendable {
    let root: String
    let binary: String
    let server: String

    var accounts: AccountStore { AccountStore(configDirectory: root + "/config/scorecard", dataDirectory: root + "/data/scorecard") }
    var environment: [String: String] {
        var e = ProcessInfo.processInfo.environment
        e["XDG_CONFIG_HOME"] = root + "/config"
        e["XDG_DATA_HOME"] = root + "/data"
        e["HOME"] = root
        e["TERM"] = "dumb"
        return e
    }

    init(root: String, binary: String, server: String) throws {
        self.root = root
        self.binary = binary
        self.server = server
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    /// Makes `person` the current account with `token` (what `scorecard login` leaves behind).
    func register(person: String, token: String) throws {
        let account = Account(server: server, person: person)
        try accounts.use(account)
        try accounts.setToken(token, for: account)
    }

    var mirrorPath: String { accounts.mirrorPath(Account(server: server, person: ChaosPeople.agent)) }

    /// Opens the mirror in this process (to queue offline edits and read the outbox), briefly.
    func withMirror<T>(_ body: (Mirror) throws -> T) throws -> T {
        let mirror = try Mirror(path: mirrorPath)
        return try body(mirror)
    }

    /// Starts `scorecard ARGUMENTS`; with `fileSizeLimit`, under `prlimit --fsize` (a full disk).
    func start(_ arguments: [String], fileSizeLimit: Int? = nil) throws -> ChaosProcess {
        if let fileSizeLimit {
            return try ChaosProcess("/usr/bin/prlimit", ["--fsize=\(fileSizeLimit)", "--", binary] + arguments, directory: root, environment: environment)
        }
        return try ChaosProcess(binary, arguments, directory: root, environment: environment)
    }

    /// Runs `scorecard ARGUMENTS`, killed with SIGKILL if it has not ended within `deadline`.
    func run(_ arguments: [String], deadline: Duration = .seconds(60)) async throws -> ChaosProcess.Outcome {
        let child = try start(arguments)
        let watchdog = Task {
            try await Task.sleep(for: deadline)
            child.kill9()
        }
        let outcome = await child.wait()
        watchdog.cancel()
        return outcome
    }
}
