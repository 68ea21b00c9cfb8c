import ArgumentParser
import Foundation
import ScorecardCore
import Synchronization

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
    @Option(help: "Runs at the same time (each its own server, proxy and client).") var jobs = 1
    @Option(help: "Keep each run's files under this directory when it breaks an invariant.") var keep: String?

    func validate() throws {
        guard runs > 0 else { throw ValidationError("--runs must be at least 1") }
        guard (1...8).contains(jobs) else { throw ValidationError("--jobs must be 1...8") }
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
        let serverBinary = try siblingExecutable("scorecard-server", hint: "; `swift build` builds it next to scorecard-bench")
        let clientBinary = try siblingExecutable("scorecard", hint: "; `swift build` builds it next to scorecard-bench")
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("scorecard-chaos-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let template = try await ChaosTemplate.make(in: root)
        let only = kinds.map { Set($0.split(separator: ",").compactMap { ChaosKind(rawValue: String($0)) }) }

        // The plan: the seed chain, each seed's kind (drawn first from the seed), filtered.
        var plan: [(seed: UInt64, kind: ChaosKind)] = []
        var next = Self.parseSeed(seed)!
        while plan.count < runs {
            let kind = ChaosRun.kind(seed: next)
            if only?.contains(kind) ?? true { plan.append((next, kind)) }
            var mix = SplitMix64(seed: next)
            next = mix.next()
        }
        let shared = ChaosShared(plan.enumerated().map { ($0.offset, $0.element.seed) }.reversed())
                let campaign = ContinuousClock.now
        let (keep, runs) = (self.keep, self.runs)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<jobs {
                group.addTask {
                    while let (index, runSeed) = shared.queue.withLock({ $0.popLast() }) {
                        let world = try ChaosWorld(template: template, root: root, run: index, serverBinary: serverBinary, clientBinary: clientBinary)
                        var run = ChaosRun(seed: runSeed, world: world)
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
                        let done = shared.finished.withLock { $0 += 1; return $0 }
                        let notes = run.notes.isEmpty ? "" : "  (\(run.notes.joined(separator: "; ")))"
                        var lines: [String] = []
                        if run.violations.isEmpty {
                            lines.append(
                                "run \(done)/\(runs) seed \(seedText) \(run.kind.rawValue.padding(toLength: 19, withPad: " ", startingAt: 0)) ok\(run.landed ? "" : " (fault missed)"), converged in \(fmt(seconds(converged ?? .zero), 2)) s\(notes)")
                        } else {
                            lines.append("run \(done)/\(runs) seed \(seedText) \(run.kind.rawValue) VIOLATION\(notes)")
                            lines += run.violations.map { "  - \($0)" }
                            lines.append("  replay: scorecard-bench chaos --seed \(seedText) --runs 1")
                            lines.append("  server log (last lines): \(world.server.log().split(separator: "\n").suffix(5).joined(separator: " | "))")
                            shared.failed.withLock { $0.append(seedText) }
                            if let keep { try? FileManager.default.copyItem(atPath: world.directory, toPath: keep + "/run-\(seedText)") }
                        }
                        print(lines.joined(separator: "\n"))
                        fflush(nil)
                        shared.outcomes.withLock { tally in
                            var t = tally[run.kind] ?? (0, 0, 0, [])
                            t.runs += 1
                            if run.landed { t.landed += 1 }
                            if !run.violations.isEmpty { t.violations += 1 }
                            if let converged { t.converge.append(seconds(converged)) }
                            tally[run.kind] = t
                        }
                        world.remove()
                    }
                }
            }
            try await group.waitForAll()
        }
        let tally = shared.outcomes.withLock { $0 }
        let failedSeeds = shared.failed.withLock { $0 }
        let minutes = seconds(ContinuousClock.now - campaign) / 60
        print("")
        print("chaos: \(runs) runs from seed \(seed), \(jobs) at a time, \(failedSeeds.count) with violations, \(fmt(minutes, 1)) min")
        print("kind                 runs  landed  violations  converge p50     p95")
        for kind in ChaosKind.allCases {
            guard let t = tally[kind] else { continue }
            let sorted = t.converge.sorted()
            func pct(_ p: Double) -> String { sorted.isEmpty ? "—" : fmt(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))], 2) + " s" }
            print(
                "\(kind.rawValue.padding(toLength: 20, withPad: " ", startingAt: 0)) \(String(t.runs).leftPad(5)) \(String(t.landed).leftPad(7)) \(String(t.violations).leftPad(11))  \(pct(0.5).leftPad(12)) \(pct(0.95).leftPad(7))"
            )
        }
        if !failedSeeds.isEmpty {
            print("violations: \(failedSeeds.joined(separator: " "))")
            throw ExitCode(1)
        }
    }
}

/// What the campaign's concurrent runs share: the runs still to start, and the tallies.
private final class ChaosShared: Sendable {
    let queue: Mutex<[(Int, UInt64)]>
    let outcomes = Mutex<[ChaosKind: (runs: Int, violations: Int, landed: Int, converge: [Double])]>([:])
    let failed = Mutex<[String]>([])
    let finished = Mutex(0)

    init(_ queue: [(Int, UInt64)]) { self.queue = Mutex(queue) }
}
