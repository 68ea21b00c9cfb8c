import Foundation
import ScorecardCache
import ScorecardCore

extension ChaosRun {
    /// After healing: `scorecard sync` until it ends 0 (at most 8 tries), then `scorecard verify`.
    /// Returns the time from healing to a verified mirror, or nil (a violation is recorded).
    mutating func converge() async throws -> Duration? {
        let start = ContinuousClock.now
        var last = ""
        for _ in 0..<8 {
            let sync = try await world.client.run(["sync"], deadline: .seconds(60))
            guard sync.status == 0, !sync.signaled else {
                last = "sync exited \(sync.status)\(sync.signaled ? " (signal)" : ""): \(sync.stderr.trimmingCharacters(in: .whitespacesAndNewlines))"
                try await Task.sleep(for: .milliseconds(200))
                continue
            }
            let verify = try await world.client.run(["verify", "--format", "json"], deadline: .seconds(60))
            if verify.status == 0 { return ContinuousClock.now - start }
            violations.append("after a clean sync the mirror differs from the server (verify exited \(verify.status)): \(verify.stdout.prefix(600))")
            return nil
        }
        violations.append("no clean sync within 8 tries after healing: \(last)")
        return nil
    }

    /// The end state: outbox, goals and calls against the ledger, the mirror against the server.
    mutating func checkInvariants() async throws {
        let outbox = try world.client.withMirror { try $0.outbox() }
        for entry in outbox {
            switch entry.state {
            case .pending:
                violations.append("outbox entry \(entry.type) \(entry.entityID) still pending after a clean sync: \(entry.lastError ?? "")")
            case .conflict, .rejected:
                if !ledger.allowRefusals { violations.append("outbox entry \(entry.type) \(entry.entityID) \(entry.state.rawValue): \(entry.lastError ?? "")") }
            }
        }
        let queued = Set(outbox.map(\.id))

        // Goals: what the acknowledged (and not voided) edits and the manager's edits make.
        struct Expected: Equatable {
            var target: Double
            var label: String
            var version: Int
        }
        var expected: [String: Expected] = [ChaosPeople.seededGoal: Expected(target: 90, label: "SLA above 90%", version: 1)]
        for (id, edit) in ledger.edits where !queued.contains(id) && !ledger.voided.contains(id) {
            switch edit {
            case .create(let goal, let target, let label):
                expected[goal] = Expected(target: target, label: label, version: 1)
            case .update(let goal, let target):
                guard var e = expected[goal] else {
                    violations.append("an edit of goal \(goal) left the outbox as applied, but the goal was never created")
                    continue
                }
                e.target = target
                e.version += 1
                expected[goal] = e
            }
        }
        for (goal, edits) in ledger.managerEdits {
            expected[goal]?.version += edits.count
            expected[goal]?.label = edits.label
        }
        let onServer = Dictionary(uniqueKeysWithValues: try await serverGoals().map { ($0.id, Expected(target: $0.targetValue, label: $0.label, version: $0.version)) })
        for (goal, want) in expected.sorted(by: { $0.key < $1.key }) {
            guard let have = onServer[goal] else {
                violations.append("acknowledged goal \(goal) is not on the server (an acknowledged edit was lost)")
                continue
            }
            if have != want {
                violations.append("goal \(goal) on the server is \(have), the acknowledged edits make \(want) (lost or applied twice)")
            }
        }
        for goal in Set(onServer.keys).subtracting(expected.keys) {
            violations.append("goal \(goal) is on the server though no acknowledged edit created it")
        }
        let inMirror = Dictionary(
            uniqueKeysWithValues: try world.client.withMirror { try $0.goals() }.map { ($0.id, Expected(target: $0.targetValue, label: $0.label, version: $0.version)) })
        let pendingCreates = Set(outbox.filter { $0.type == "create_goal" }.map(\.entityID))
        for (goal, have) in onServer where inMirror[goal] != have {
            violations.append("goal \(goal): the mirror shows \(String(describing: inMirror[goal])), the server \(have)")
        }
        for goal in Set(inMirror.keys).subtracting(onServer.keys).subtracting(pendingCreates) {
            violations.append("goal \(goal) is in the mirror but not on the server")
        }

        // Calls: every acknowledged call in the agent's feed (the mirror equals it), each once.
        let calls = try world.client.withMirror { try $0.allCalls() }.map(\.id)
        if calls.count != Set(calls).count { violations.append("a call appears twice in the mirror") }
        let missing = ledger.calls.subtracting(calls), extra = Set(calls).subtracting(ledger.calls)
        if !missing.isEmpty { violations.append("\(missing.count) ingested calls missing, e.g. \(missing.sorted().prefix(5))") }
        if !extra.isEmpty { violations.append("\(extra.count) calls the server should not hold, e.g. \(extra.sorted().prefix(5))") }
    }
}
