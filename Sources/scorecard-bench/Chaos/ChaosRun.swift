import Foundation
import Glibc
import ScorecardCache
import ScorecardCore
import ScorecardTesting

/// The faults a run draws from its seed (one kind per run, so each kind's figures stand alone).
enum ChaosKind: String, CaseIterable, Sendable {
    /// The fault proxy's refusals, stalls, delays, cut responses and 503s during syncs.
    case link
    /// kill -9 of `scorecard sync` at a random instant, in its push and its pull phase.
    case clientKill = "client-kill"
    /// kill -9 of `scorecard-server` while CDR batches are being ingested; restart; the dialer re-sends.
    case serverKillIngest = "server-kill-ingest"
    /// kill -9 of `scorecard-server` while the client pushes; restart.
    case serverKillPush = "server-kill-push"
    /// kill -9 of a `scorecard-server score` run mid-scoring; run again.
    case serverKillScoring = "server-kill-scoring"
    /// The server's database restored from a backup taken before the last writes.
    case restore
    /// Tombstones pruned (the feed's floor raised: 410) while edits wait offline.
    case prune
    /// The manager edits the same goals from the API while the client pushes.
    case manager
    /// The client's files may not grow (a full disk) during a sync.
    case diskFull = "disk-full"
}

/// What one run expects the server and the mirror to hold at the end.
struct ChaosLedger {
    /// Planned effect of each queued outbox mutation, by outbox id.
    enum Edit {
        case create(goalID: String, target: Double, label: String)
        case update(goalID: String, target: Double)
    }

    /// Calls the agent's feed must hold, each once.
    var calls: Set<String> = []
    var edits: [(id: String, edit: Edit)] = []
    /// Mutations acknowledged by a server whose database was then restored from before them.
    var voided: Set<String> = []
    /// Manager edits the server acknowledged (200), per goal, and the last label.
    var managerEdits: [String: (count: Int, label: String)] = [:]
    /// Whether conflicts and rejections are a legitimate end (a restore lost what they build on).
    var allowRefusals = false
}

/// One seeded run: a fresh world, one fault kind, then healing, convergence and the invariants.
struct ChaosRun {
    let seed: UInt64
    let kind: ChaosKind
    let world: ChaosWorld
    var rng: SplitMix64
    var ledger = ChaosLedger()
    var notes: [String] = []
    /// Broken invariants found so far (empty: the run passed).
    var violations: [String] = []
    /// Whether the fault hit mid-operation (a kill while the process worked, a failed sync, …),
    /// rather than between operations.
    var landed = false
    var goalCount = 0

    init(seed: UInt64, world: ChaosWorld) {
        self.seed = seed
        self.world = world
        var rng = SplitMix64(seed: seed)
        kind = ChaosKind.allCases[Int(rng.next() % UInt64(ChaosKind.allCases.count))]
        self.rng = rng
    }

    /// The kind a seed draws (its first number).
    static func kind(seed: UInt64) -> ChaosKind {
        var rng = SplitMix64(seed: seed)
        return ChaosKind.allCases[Int(rng.next() % UInt64(ChaosKind.allCases.count))]
    }

    mutating func random(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(rng.next() % UInt64(range.count)) }

    /// A UUID (version 4 form) drawn from the run's seed, so a replay queues the same ids.
    mutating func uuid() -> String {
        let a = rng.next(), b = rng.next()
        return String(
            format: "%08llx-%04llx-4%03llx-%04llx-%012llx", a >> 32, (a >> 16) & 0xffff, a & 0xfff, 0x8000 | (b >> 48) & 0x3fff, b & 0xffff_ffff_ffff)
    }

    // MARK: - Shared steps

    /// Ingests `count` CDRs (ids `prefix…`) straight to the server until acknowledged; they join the ledger.
    mutating func ingestCalls(prefix: String, count: Int) async throws {
        guard await world.ingestUntilAcknowledged(ChaosWorld.cdrs(prefix: prefix, count: count)) else {
            throw ChaosFailure("the server never acknowledged the CDR batch \(prefix)")
        }
        for i in 0..<count { ledger.calls.insert("\(prefix)\(i)") }
    }

    /// Queues offline `n` goal creations, each then edited once, plus (optionally) an edit of the
    /// manager's seeded goal on the mirror's current version.
    mutating func queueEdits(_ n: Int, editSeeded: Bool) throws {
        var planned: [(String, ChaosLedger.Edit, OutboxMutation)] = []
        for _ in 0..<n {
            goalCount += 1
            let id = uuid()
            let label = "Chaos goal \(goalCount)"
            let draft = GoalDraft(
                id: id, domain: .support, metricKey: "sla_compliance_rate", label: label, targetValue: 80, comparison: .gte, deadline: "2099-12-31")
            let target = Double(81 + random(0...15))
            planned.append((uuid(), .create(goalID: id, target: 80, label: label), .createGoal(draft)))
            planned.append((
                uuid(), .update(goalID: id, target: target),
                .updateGoal(goalID: id, baseVersion: 0, base: ["target_value": .number(80)], changes: ["target_value": .number(target)])
            ))
        }
        if editSeeded {
            let target = Double(91 + random(0...8))
            let editID = uuid()
            planned.append(try world.client.withMirror { mirror in
                guard let goal = try mirror.goals().first(where: { $0.id == ChaosPeople.seededGoal }) else {
                    throw ChaosFailure("the seeded goal is not in the mirror")
                }
                return (
                    editID, .update(goalID: goal.id, target: target),
                    .updateGoal(
                        goalID: goal.id, baseVersion: goal.version, base: ["target_value": .number(goal.targetValue)],
                        changes: ["target_value": .number(target)])
                )
            })
        }
        try world.client.withMirror { mirror in
            for (id, _, mutation) in planned { try mirror.enqueue(mutation, id: id) }
        }
        ledger.edits += planned.map { ($0.0, $0.1) }
    }

    /// `scorecard sync` on a healthy link; throws unless it ends 0.
    func syncOK(_ arguments: [String] = []) async throws {
        let out = try await world.client.run(["sync"] + arguments)
        guard out.status == 0, !out.signaled else { throw ChaosFailure("sync on a healthy link exited \(out.status): \(out.stderr)") }
    }

    /// Starts `scorecard sync ARGUMENTS` and kills it with SIGKILL after `after`.
    func syncKilled(after: Duration, _ arguments: [String]) async throws -> Bool {
        let child = try world.client.start(["sync"] + arguments)
        try await Task.sleep(for: after)
        let killed = child.isRunning
        child.kill9()
        _ = await child.wait()
        return killed
    }

    /// Outbox ids still queued.
    func outboxIDs() throws -> Set<String> { Set(try world.client.withMirror { try $0.outboxIDs() }) }
}
