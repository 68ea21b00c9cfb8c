import ArgumentParser
import Foundation
import ScorecardCore

/// `scorecard-bench chaos`: the seeded fault campaign (docs/reliability.md).
struct Chaos: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chaos",
        abstract: "A seeded fault campaign: each run a fresh server and client, one fault, then the invariants.",
        discussion: """
            Each run draws its fault from its seed: the fault proxy's cuts, stalls, delays and 503s; kill -9 of \
            `scorecard sync`; kill -9 of `scorecard-server` mid-ingest, mid-push and mid-scoring; a database \
            restored from a backup; pruned tombstones while edits wait offline; a manager editing the same goals; \
            a full disk. After healing, the mirror must equal the server, the outbox hold nothing pending, no edit \
            be lost or applied twice, and every ingested call be in its owner's feed once. A violation prints its \
            seed: `--seed S --runs 1` replays it. Exits 1 when any run broke an invariant.
            """)

    @Option(help: "Runs.") var runs = 25
    @Option(help: "The first run's seed (decimal or 0x hex); each next seed follows from it.") var seed = "20261207"
    @Option(help: "Only runs of these kinds, comma-separated (the seed chain is the same; others are skipped).") var kinds: String?
    @Option(help: "Keep each run's files under this directory when it breaks an invariant.") var keep: String?

    func validate() throws {
        guard runs > 0 else { throw ValidationError("--runs must be at least 1") }
        guard Self.parseSeed(seed) != nil else { throw ValidationError("--seed must be a decimal or 0x-hex 64-bit number") }
        if let kinds {
            for k in kinds.split(separator: ",") where ChaosKind(rawValue: String(k)) == nil {
                throw ValidationError("unknown kind '\(k)'; kinds: \(ChaosKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
    }

    static func parseSeed(_ text: String) -> UInt64? {
        text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
    }

    func run() async throws {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let serverBinary = here.appendingPathComponent("scorecard-server").path
        let clientBinary = here.appendingPathComponent("scorecard").path
        for binary in [serverBinary, clientBinary] where !FileManager.default.isExecutableFile(atPath: binary) {
            throw ValidationError("\(binary) is not built; `swift build` builds it next to scorecard-bench")
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("scorecard-chaos-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let template = try await ChaosTemplate.make(in: root)
        let only = kinds.map { Set($0.split(separator: ",").compactMap { ChaosKind(rawValue: String($0)) }) }

        var tally: [ChaosKind: (runs: Int, violations: Int, landed: Int, converge: [Double])] = [:]
        var failed: [String] = []
        var next = Self.parseSeed(seed)!
        var done = 0
        let campaign = ContinuousClock.now
        while done < runs {
            let runSeed = next
            var mix = SplitMix64(seed: next)
            next = mix.next()
            let world = try ChaosWorld(template: template, root: root, run: done, serverBinary: serverBinary, clientBinary: clientBinary)
            var run = ChaosRun(seed: runSeed, world: world)
            if let only, !only.contains(run.kind) {
                world.remove()
                continue
            }
            done += 1
            var converged: Duration?
            do {
                try await world.start()
                try await run.inject()
                run.heal()
                converged = try await run.converge()
                if converged != nil { try await run.checkInvariants() }
            } catch {
                run.violations.append("the run could not go on: \(error)")
            }
            let seedText = String(format: "0x%016llx", runSeed)
            var t = tally[run.kind] ?? (0, 0, 0, [])
            t.runs += 1
            if run.landed { t.landed += 1 }
            if let converged { t.converge.append(seconds(converged)) }
            let notes = run.notes.isEmpty ? "" : "  (\(run.notes.joined(separator: "; ")))"
            if run.violations.isEmpty {
                print("run \(done)/\(runs) seed \(seedText) \(run.kind.rawValue.padding(toLength: 19, withPad: " ", startingAt: 0)) ok\(run.landed ? "" : " (fault missed)"), converged in \(fmt(seconds(converged ?? .zero), 2)) s\(notes)")
            } else {
                t.violations += 1
                print("run \(done)/\(runs) seed \(seedText) \(run.kind.rawValue) VIOLATION\(notes)")
                for v in run.violations { print("  - \(v)") }
                print("  replay: scorecard-bench chaos --seed \(seedText) --runs 1")
                print("  server log (last lines): \(world.server.log().split(separator: "\n").suffix(5).joined(separator: " | "))")
                failed.append(seedText)
                if let keep { try? FileManager.default.copyItem(atPath: world.directory, toPath: keep + "/run-\(seedText)") }
            }
            tally[run.kind] = t
            world.remove()
        }
        let minutes = seconds(ContinuousClock.now - campaign) / 60
        print("")
        print("chaos: \(runs) runs from seed \(seed), \(failed.count) with violations, \(fmt(minutes, 1)) min")
        print("kind                 runs  landed  violations  converge p50     p95")
        for kind in ChaosKind.allCases {
            guard let t = tally[kind] else { continue }
            let sorted = t.converge.sorted()
            func pct(_ p: Double) -> String { sorted.isEmpty ? "—" : fmt(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))], 2) + " s" }
            print(
                "\(kind.rawValue.padding(toLength: 20, withPad: " ", startingAt: 0)) \(String(t.runs).leftPad(5)) \(String(t.landed).leftPad(7)) \(String(t.violations).leftPad(11))  \(pct(0.5).leftPad(12)) \(pct(0.95).leftPad(7))"
            )
        }
        if !failed.isEmpty {
            print("violations: \(failed.joined(separator: " "))")
            throw ExitCode(1)
        }
    }
}
