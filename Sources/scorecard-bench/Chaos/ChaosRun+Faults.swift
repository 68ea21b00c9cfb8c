import Foundation
import Glibc
import ScorecardCore
import ScorecardTesting
import Synchronization

extension ChaosRun {
    /// The common start (calls, a first clean sync), then the run's fault. Leaves the world broken
    /// in the kind's way; ``heal()`` undoes what needs undoing.
    mutating func inject() async throws {
        try await ingestCalls(prefix: "c0-", count: random(10...60))
        try await syncOK()
        switch kind {
        case .link: try await link()
        case .clientKill: try await clientKill()
        case .serverKillIngest: try await serverKillIngest()
        case .serverKillPush: try await serverKillPush()
        case .serverKillScoring: try await serverKillScoring()
        case .restore: try await restore()
        case .prune: try await prune()
        case .manager: try await manager()
        case .diskFull: try await diskFull()
        }
    }

    /// Back to a healthy network and a running server.
    func heal() { world.proxy.heal() }

    private mutating func link() async throws {
        try await ingestCalls(prefix: "c1-", count: random(100...1500))
        try queueEdits(random(1...8), editSeeded: random(0...1) == 0)
        let modes: [FaultMode] = [
            .refuse, .delay(milliseconds: random(50...800)), .stall, .cutResponse(afterBytes: random(0...6000)), .status503(retryAfterSeconds: 1),
        ]
        // The first connections fail for sure (a sync keeps one connection while it works), then
        // each new one fails with the drawn probability.
        let failing = modes.filter { if case .delay = $0 { false } else { true } }
        world.proxy.schedule((0..<random(1...3)).map { _ in failing[random(0...(failing.count - 1))] })
        world.proxy.randomFaults(seed: rng.next(), failureRate: Double(random(20...70)) / 100, modes: modes)
        var killed = 0, failed = 0
        for _ in 0..<random(2...4) {
            let out = try await world.client.run(["sync", "--page-size", "100", "--push-batch", "2"], deadline: .seconds(4))
            if out.signaled { killed += 1 } else if out.status != 0 { failed += 1 }
        }
        landed = world.proxy.connectionsAccepted > 0  // the first connection was refused, stalled, cut or answered 503
        notes.append("\(failed) syncs failed, \(killed) outlived 4 s and were killed")
    }

    private mutating func clientKill() async throws {
        try await ingestCalls(prefix: "c1-", count: random(300...2000))
        try queueEdits(random(5...20), editSeeded: random(0...1) == 0)
        var landed = 0
        for _ in 0..<random(2...6) {
            if try await syncKilled(after: .milliseconds(random(10...500)), ["--page-size", "50", "--push-batch", "1"]) { landed += 1 }
        }
        self.landed = landed > 0
        notes.append("\(landed) kills landed while sync ran")
    }

    private mutating func serverKillIngest() async throws {
        let batches = (0..<random(4...10)).map { (prefix: "c2-\($0)-", count: random(200...800)) }
        let world = self.world
        let sending = SendingFlag()
        let dialer = Task {
            defer { sending.value.withLock { $0 = false } }
            for batch in batches {
                guard await world.ingestUntilAcknowledged(ChaosWorld.cdrs(prefix: batch.prefix, count: batch.count)) else { return false }
            }
            return true
        }
        try queueEdits(random(1...5), editSeeded: false)
        try await Task.sleep(for: .milliseconds(random(5...250)))
        // Still sending: the crash lands mid-ingest.
        landed = sending.value.withLock { $0 }
        try await world.crashAndRestart()
        guard await dialer.value else { throw ChaosFailure("the dialer's batches were never acknowledged") }
        for batch in batches { for i in 0..<batch.count { ledger.calls.insert("\(batch.prefix)\(i)") } }
    }

    private mutating func serverKillPush() async throws {
        try queueEdits(random(10...40), editSeeded: random(0...1) == 0)
        let queued = try outboxIDs().count
        let child = try world.client.start(["sync", "--push-batch", "1"])
        // Crash once the push is under way (the outbox has begun to shrink), a little later still.
        let started = ContinuousClock.now
        while child.isRunning, try outboxIDs().count == queued, ContinuousClock.now - started < .seconds(10) {
            try await Task.sleep(for: .milliseconds(2))
        }
        try await Task.sleep(for: .milliseconds(random(0...30)))
        let pending = try !outboxIDs().isEmpty
        landed = child.isRunning && pending
        try await world.crashAndRestart()
        let out = await child.wait()
        notes.append("sync during the crash exited \(out.status)")
    }

    private mutating func serverKillScoring() async throws {
        // New activity for everyone, so the week's snapshots all change when it is scored again.
        let minutes = random(20...200)
        var records: [JSONValue] = []
        for (n, id) in ([ChaosPeople.agent] + ChaosPeople.teammates).enumerated() {
            records += ChaosActivity.ticketsJSON(person: id, prefix: "T1-\(n)", count: 2, minutes: minutes + n).map { JSONValue.object($0) }
        }
        let body = try WireJSON.encode(JSONValue.array(records))
        let r = try await world.request("POST", "/api/v1/ingest/activities", token: world.adminToken, body: body)
        guard r.status == 200 else { throw ChaosFailure("activity ingest answered \(r.status): \(r.text)") }
        try queueEdits(random(1...4), editSeeded: false)
        let killed = try await world.serverCommand(["score", "--period", ChaosPeople.week.description], killAfter: .milliseconds(random(5...70)))
        landed = killed.signaled
        notes.append(killed.signaled ? "scoring killed mid-run" : "scoring ended before the kill")
        let scoring = ContinuousClock.now
        let again = try await world.serverCommand(["score", "--period", ChaosPeople.week.description])
        notes.append("a whole scoring run took \(fmt(seconds(ContinuousClock.now - scoring), 2)) s")
        guard again.status == 0 else { throw ChaosFailure("scoring after the kill exited \(again.status): \(again.stderr)") }
        // A third run must find nothing to change: the killed run left nothing half-done behind.
        let third = try await world.serverCommand(["score", "--period", ChaosPeople.week.description])
        if !third.stdout.contains("0 new, 0 changed") { violations.append("re-scoring after recovery still changed snapshots: \(third.stdout)") }
    }

    private mutating func restore() async throws {
        ledger.allowRefusals = true
        let backup = try await world.backup()
        // Writes after the backup: calls, and edits the server acknowledges.
        let lateCalls = random(20...300)
        try await ingestCalls(prefix: "c3-", count: lateCalls)
        try queueEdits(random(1...6), editSeeded: random(0...1) == 0)
        try await syncOK()
        let acknowledged = Set(ledger.edits.map(\.id)).subtracting(try outboxIDs())
        try await world.crashAndRestart(restoring: backup)
        ledger.voided = acknowledged
        landed = true
        if random(0...1) == 0 {
            // The dialer re-sends what it sent since the backup.
            notes.append("dialer re-sent")
            guard await world.ingestUntilAcknowledged(ChaosWorld.cdrs(prefix: "c3-", count: lateCalls)) else { throw ChaosFailure("re-send refused") }
        } else {
            for i in 0..<lateCalls { ledger.calls.remove("c3-\(i)") }
        }
        if random(0...1) == 0 {
            // New writes move the restored feed's head on, possibly past the client's cursor.
            notes.append("writes after the restore")
            try await ingestCalls(prefix: "c4-", count: random(20...600))
        }
        try queueEdits(random(1...4), editSeeded: false)
    }

    private mutating func prune() async throws {
        try queueEdits(random(1...6), editSeeded: random(0...1) == 0)
        world.proxy.mode = .refuse
        let callIDs = Array(ledger.calls).sorted()
        for _ in 0..<random(1...8) {
            let id = callIDs[random(0...(callIDs.count - 1))]
            let r = try await world.request("DELETE", "/api/v1/calls/\(id)", token: world.adminToken)
            guard r.status == 204 || r.status == 200 || r.status == 404 else { throw ChaosFailure("DELETE call answered \(r.status): \(r.text)") }
            ledger.calls.remove(id)
        }
        // Tombstones are pruned when older than the cutoff, counted in whole seconds.
        try await Task.sleep(for: .milliseconds(1100))
        let pruned = try await world.serverCommand(["prune-tombstones", "--older-than", "0"])
        guard pruned.status == 0 else { throw ChaosFailure("prune-tombstones exited \(pruned.status): \(pruned.stderr)") }
        landed = !pruned.stdout.hasPrefix("pruned 0 ")
        notes.append(pruned.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    private mutating func manager() async throws {
        try queueEdits(random(5...20), editSeeded: true)
        world.proxy.link = LinkProfile(delay: .milliseconds(random(0...20)))
        let child = try world.client.start(["sync", "--push-batch", "1"])
        for n in 0..<random(2...8) {
            try await Task.sleep(for: .milliseconds(random(0...150)))
            let goals = try await serverGoals()
            guard !goals.isEmpty else { continue }
            let goal = goals[random(0...(goals.count - 1))]
            let label = "Manager label \(n)"
            let r = try await world.request(
                "PATCH", "/api/v1/performance/goals/\(goal.id)", token: world.managerToken, body: try WireJSON.encode(["label": label]),
                headers: ["If-Match": "\"\(goal.version)\""])
            if r.status == 200 {
                if child.isRunning { landed = true }
                ledger.managerEdits[goal.id, default: (0, "")].count += 1
                ledger.managerEdits[goal.id]?.label = label
            } else if r.status != 409 {
                throw ChaosFailure("manager PATCH answered \(r.status): \(r.text)")
            }
        }
        _ = await child.wait()
        world.proxy.link = .unlimited
    }

    private mutating func diskFull() async throws {
        try await ingestCalls(prefix: "c1-", count: random(1000...4000))
        try queueEdits(random(1...6), editSeeded: random(0...1) == 0)
        let size = (try? FileManager.default.attributesOfItem(atPath: world.client.mirrorPath)[.size] as? Int) ?? 0
        let limit = size + random(0...64) * 1024
        let child = try world.client.start(["sync", "--page-size", "500"], fileSizeLimit: limit)
        let out = await child.wait()
        landed = out.status != 0
        notes.append("sync with files capped at \(limit) bytes exited \(out.status): \(out.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
        if out.signaled {
            violations.append("sync on a full disk died of a signal instead of reporting it: \(out.stderr)")
        } else if out.status != 0 {
            let lines = out.stderr.split(separator: "\n")
            if lines.count != 1 || !(lines[0].contains("disk is full") || lines[0].contains("size limit")) {
                violations.append("sync on a full disk did not say so in one line: \(out.stderr)")
            }
        }
        let check = try await ChaosProcess.run("/usr/bin/sqlite3", [world.client.mirrorPath, "PRAGMA integrity_check"])
        if check.stdout.trimmingCharacters(in: .whitespacesAndNewlines) != "ok" {
            violations.append("the mirror is damaged after a full disk: \(check.stdout) \(check.stderr)")
        }
    }

    /// The agent's goals as the server holds them.
    func serverGoals() async throws -> [Goal] {
        let r = try await world.request("GET", "/api/v1/performance/goals?person_id=\(ChaosPeople.agent)", token: world.adminToken)
        guard r.status == 200 else { throw ChaosFailure("GET goals answered \(r.status): \(r.text)") }
        struct Body: Decodable { var goals: [Goal] }
        return try WireJSON.decode(Body.self, from: r.body).goals
    }
}

/// Whether the dialer is still sending (set false when it is done).
private final class SendingFlag: Sendable {
    let value = Mutex(true)
}
