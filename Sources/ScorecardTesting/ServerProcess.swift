import Foundation
import Glibc

/// A `scorecard-server` child process on a free loopback port: for tests and benchmarks that need
/// several real server processes (on one PostgreSQL database), or one to kill.
///
/// Its standard error (the log) goes to a file, read with ``log()``.
public final class ServerProcess: @unchecked Sendable {
    private let process = Process()
    public let port: Int
    private let logPath: String
    public var baseURL: String { "http://127.0.0.1:\(port)" }
    public var pid: Int32 { process.processIdentifier }

    /// The `scorecard-server` built next to the running test or benchmark binary (or in
    /// `.build/debug`), if any.
    public static var binary: String? {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return [here.appendingPathComponent("scorecard-server").path, root.appendingPathComponent(".build/debug/scorecard-server").path]
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Starts `scorecard-server serve --database DATABASE --port PORT` plus `arguments`, on `port`
    /// (nil: a free one; give the old one to restart a killed server where its clients expect it).
    public init(database: String, arguments: [String] = [], binary: String? = nil, environment: [String: String]? = nil, port: Int? = nil) throws {
        guard let binary = binary ?? ServerProcess.binary else {
            throw PostgresClusterError("the scorecard-server executable is not built next to the tests; `swift build --build-tests` builds it")
        }
        self.port = try port ?? PostgresCluster.freePort()
        logPath = FileManager.default.temporaryDirectory.appendingPathComponent("scorecard-server-\(UUID().uuidString).log").path
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--database", database, "--port", String(self.port)] + arguments
        if let environment { process.environment = environment }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(atPath: logPath)
    }

    /// Waits until `GET /healthz` answers 200 (at most `timeout`).
    public func waitUntilReady(timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let r = try? await TestHTTP.send("GET", baseURL + "/healthz"), r.status == 200 { return }
            guard process.isRunning else { throw PostgresClusterError("scorecard-server exited (\(process.terminationStatus)): \(log())") }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw PostgresClusterError("scorecard-server on port \(port) did not answer /healthz within \(timeout): \(log())")
    }

    /// Sends `signal` (SIGTERM: a graceful stop; SIGKILL: a crash).
    public func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits for the process to end; returns its exit status.
    @discardableResult
    public func wait() async -> Int32 {
        while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
        return process.terminationStatus
    }

    /// Stops the process gracefully (SIGTERM) and waits for it.
    public func stop() async {
        guard process.isRunning else { return }
        signal(SIGTERM)
        await wait()
    }

    /// What the process wrote to standard error so far.
    public func log() -> String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
}
