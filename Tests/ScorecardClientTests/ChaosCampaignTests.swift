import Foundation
import Testing

/// The seeded fault campaign's short version in CI: `scorecard-bench chaos --runs 25` (each run a
/// fresh `scorecard-server` and `scorecard` child, one fault, then the invariants; docs/reliability.md).
/// The long run (`--runs 1000`) is recorded in docs/reliability.md.
@Suite struct ChaosCampaignTests {
    static let runs = ProcessInfo.processInfo.environment["SCORECARD_CHAOS_RUNS"].flatMap(Int.init) ?? 25

    @Test(.timeLimit(.minutes(10))) func twentyFiveSeededRunsBreakNoInvariant() async throws {
        guard let cli = CLIChild.executable else {
            Issue.record("\(CLIMissing())")
            return
        }
        let bench = URL(fileURLWithPath: cli).deletingLastPathComponent().appendingPathComponent("scorecard-bench").path
        try #require(FileManager.default.isExecutableFile(atPath: bench), "scorecard-bench is not built next to scorecard (\(bench))")
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("chaos-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: bench)
        process.arguments = ["chaos", "--runs", String(Self.runs), "--seed", "20261207", "--jobs", "1"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = process.standardOutput
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        let output = String(decoding: FileManager.default.contents(atPath: log.path) ?? Data(), as: UTF8.self)
        #expect(status == 0, "the campaign found violations (or could not run):\n\(output.suffix(6000))")
        #expect(output.contains("chaos: \(Self.runs) runs from seed 20261207"), "\(output.suffix(2000))")
        #expect(output.contains(", 0 with violations,"), "\(output.suffix(6000))")
        // Every run reports its end state: ok, or a violation with its seed to replay.
        let ended = output.split(separator: "\n").filter { $0.hasPrefix("run ") }
        #expect(ended.count == Self.runs, "\(ended.count) runs reported")
    }
}
