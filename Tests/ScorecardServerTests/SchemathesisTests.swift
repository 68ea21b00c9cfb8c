import Foundation
import Logging
import ScorecardCore
import ScorecardServerCore
import ScorecardTesting
import Testing

/// `docs/openapi.yaml` against the live server, checked by schemathesis (PyPI) with every check
/// on and a fixed seed, once as an admin and once as an agent: 0 failures (issue 16, part 2).
///
/// The venv comes from `.ci/schemathesis-venv` (`SCORECARD_SCHEMATHESIS_VENV`, else the newest one
/// in `/root/.cache/scorecard-ci`). Without it the suite is skipped, except with `CI=true`.
/// `Tests/schemathesis/hooks.py` tells schemathesis the one rule the document states in words
/// only: a range's `from` is not after its `to`.
@Suite("API contract (schemathesis)", .serialized)
struct SchemathesisTests {
    static let seed = "20261207"

    /// Every operation but logout, as `person` (logging out would end the run's own token).
    @Test(arguments: ["admin", "agent-001"])
    func contractHolds(as person: String) async throws {
        try await run(as: person, operations: ["--exclude-path", "/api/v1/auth/logout"])
    }

    /// Logout on its own: its first call ends the token, and later calls must answer 401 as documented.
    @Test func logoutContractHolds() async throws {
        try await run(as: "agent-001", operations: ["--include-path", "/api/v1/auth/logout"])
    }

    func run(as person: String, operations: [String]) async throws {
        guard SchemathesisRequirement.rule.canRun else {
            if let failure = SchemathesisRequirement.rule.ciFailure { Issue.record(Comment(rawValue: failure)) }
            return
        }
        let python = try #require(SchemathesisRequirement.python)
        let server = try await TestServer.start()
        do {
            var options = DemoData.Options()
            options.agents = 6
            options.days = 21
            _ = try await DemoData(options: options).write(to: server.store, logger: Logger(label: "demo", factory: { _ in SwiftLogNoOpLogHandler() }))
            let token = try await server.login(person, password: "demo-\(person)")
            let directory = OpenAPITests.packageRoot.appendingPathComponent("Tests/schemathesis")
            let report = FileManager.default.temporaryDirectory.appendingPathComponent("schemathesis-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: report) }

            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.currentDirectoryURL = directory
            process.arguments = [
                "-m", "schemathesis.cli", "--config-file", directory.appendingPathComponent("schemathesis.toml").path, "--no-color",
                "run", OpenAPITests.packageRoot.appendingPathComponent("docs/openapi.yaml").path,
                "--url", server.baseURL, "--header", "Authorization: Bearer \(token)",
                "--checks", "all", "--seed", Self.seed, "--max-examples", "20", "--workers", "1",
                "--report-dir", report.path,
            ] + operations
            var environment = ProcessInfo.processInfo.environment
            environment["SCHEMATHESIS_HOOKS"] = "hooks"
            environment["PYTHONPATH"] = directory.path
            environment["SCHEMATHESIS_TELEMETRY"] = "false"
            process.environment = environment
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            // The blocking read and wait on a GCD thread: the cooperative pool has one thread per
            // core, and the server under test needs them while schemathesis runs (a minute or two).
            let text = await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
                DispatchQueue.global().async {
                    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                    process.waitUntilExit()
                    continuation.resume(returning: text)
                }
            }
            #expect(process.terminationStatus == 0, "schemathesis as \(person) (seed \(Self.seed)):\n\(text.suffix(12_000))")
            #expect(text.contains("Tested:"), "schemathesis ran its operations: \(text.suffix(2_000))")
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}

/// Where schemathesis is: the venv `.ci/schemathesis-venv` builds.
enum SchemathesisRequirement {
    static var venv: String? {
        let environment = ProcessInfo.processInfo.environment
        if let dir = environment["SCORECARD_SCHEMATHESIS_VENV"], !dir.isEmpty { return dir }
        let root = environment["SCORECARD_CI_CACHE"].flatMap { $0.isEmpty ? nil : $0 } ?? "/root/.cache/scorecard-ci"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.filter { $0.hasPrefix("schemathesis-venv-") && !$0.hasSuffix(".partial") }
            .map { root + "/" + $0 }
            .filter { FileManager.default.fileExists(atPath: $0 + "/.complete") }
            .sorted().last
    }

    static var python: String? { venv.map { $0 + "/bin/python" } }

    static let rule = ExternalRequirement(
        tests: "schemathesis contract tests", remedy: "bash .ci/schemathesis-venv builds it, about 30 s",
        reason: {
            guard let python else { return "no schemathesis venv (SCORECARD_SCHEMATHESIS_VENV unset and none in /root/.cache/scorecard-ci)" }
            return FileManager.default.isExecutableFile(atPath: python) ? nil : "\(python) not found"
        })
}
