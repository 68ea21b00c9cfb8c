import Foundation
import ScorecardCache
import ScorecardCore

/// One stream's verdict.
public struct StreamCheck: Sendable, Equatable {
    public var stream: String
    /// The server's live entities of the stream.
    public var server: EntityDigest
    /// The mirror's rows of the stream.
    public var mirror: EntityDigest
    /// What differs, named from the server's listing; nil when the digests are equal.
    public var difference: StreamDifference?

    /// The digests (count and sum) are equal.
    public var ok: Bool { server == mirror }
}

/// What `scorecard verify` found (and, with `--repair`, what it did).
public struct VerifyReport: Sendable {
    /// The feed head both sides were compared at.
    public var head: Int64 = 0
    /// One check per stream, in the mirror's stream order.
    public var streams: [StreamCheck] = []
    /// HTTP requests the verification made (a sync's included): 1 when the mirror was equal and
    /// already at the head.
    public var requests = 0
    /// A sync ran first because the server had moved on (or the mirror was not complete).
    public var synced = false
    /// The streams a repair re-pulled, and the verification after it.
    public var repaired: [String] = []
    public var after: [StreamCheck]?

    /// Every stream matched (after the repair, when there was one).
    public var equal: Bool { (after ?? streams).allSatisfy(\.ok) }
    /// The streams that differed at first.
    public var differing: [StreamCheck] { streams.filter { !$0.ok } }
}

/// A verification that could not be carried out (the sync before it failed, or the server's
/// feed kept moving).
public struct VerifyError: Error, Sendable, CustomStringConvertible {
    /// The sync's outcome when the sync failed.
    public var outcome: SyncMachine.Outcome?
    public var description: String
}

/// Compares the mirror with the server's digest (`GET /api/v1/sync/digest`) at the same feed
/// head and, asked to, repairs the streams that differ (docs/sync.md, "Verifying the mirror").
///
/// An equal mirror already at the head costs exactly one request and one read transaction: one
/// prepared statement per truth table streaming `(id, version)` into an ``EntityDigest``. A
/// stream that differs costs one more request, its `(id, version)` listing, to name the
/// differences. A repair downloads the feed from seq 0 into fresh tables for the differing
/// streams only and swaps them in; the outbox and the other streams are not touched.
public struct MirrorVerifier: Sendable {
    public let engine: SyncEngine
    /// Ids named per kind of difference and stream.
    public var nameLimit = 5
    /// Times a sync may run before the mirror and the server stand at the same head.
    public var maxSyncs = 3

    /// `engine`'s syncs run without their push: verifying never sends the outbox.
    public init(engine: SyncEngine) {
        var engine = engine
        engine.pushes = false
        self.engine = engine
    }

    var mirror: Mirror { engine.mirror }
    var client: APIClient { engine.client }

    /// Verifies; with `repair`, re-pulls the differing streams, syncs, and verifies again.
    public func run(repair: Bool) async throws -> VerifyReport {
        var report = try await verify()
        if repair && !report.equal {
            let streams = Set(report.differing.map(\.stream))
            report.requests += try await self.repair(streams: streams)
            report.repaired = Mirror.streams.filter(streams.contains)
            let again = try await verify()
            report.requests += again.requests
            report.synced = report.synced || again.synced
            report.head = again.head
            report.after = again.streams
        }
        try? mirror.setMeta([.lastVerifyAt: Timestamp.now(), .lastVerifyResult: MirrorVerifier.describe(report)])
        return report
    }

    /// `ok`, or `differs: calls (1 missing, 2 stale)` as kept in the mirror's meta.
    public static func describe(_ report: VerifyReport) -> String {
        let checks = report.after ?? report.streams
        let differing = checks.filter { !$0.ok }
        guard !differing.isEmpty else { return report.repaired.isEmpty ? "ok" : "ok (repaired \(report.repaired.joined(separator: ", ")))" }
        return "differs: " + differing.map { "\($0.stream) (\(summary($0)))" }.joined(separator: ", ")
    }

    /// `1 missing, 1 extra, 1 stale` (or the counts when nothing could be named).
    public static func summary(_ check: StreamCheck) -> String {
        guard let d = check.difference, !d.isEmpty else {
            return "\(check.mirror.count) rows, the server has \(check.server.count); same ids and versions expected"
        }
        var parts: [String] = []
        if d.missingCount > 0 { parts.append("\(d.missingCount) missing") }
        if d.extraCount > 0 { parts.append("\(d.extraCount) extra") }
        if d.staleCount > 0 { parts.append("\(d.staleCount) stale") }
        return parts.joined(separator: ", ")
    }

    /// One comparison at a common head: the digest, a sync first when the server moved on (at
    /// most ``maxSyncs`` times), then a listing per differing stream.
    func verify() async throws -> VerifyReport {
        var report = VerifyReport()
        var syncs = 0
        while true {
            report.requests += 1
            let server = try await client.digest()
            let local = try mirror.digest()
            guard local.cursor == server.head, !local.incomplete else {
                guard syncs < maxSyncs else {
                    throw VerifyError(
                        outcome: nil, description: "the server's feed kept moving (head \(server.head), mirror at \(local.cursor)); try again")
                }
                syncs += 1
                report.synced = true
                let sync = await engine.run()
                report.requests += sync.requests
                guard sync.outcome == .upToDate else {
                    throw VerifyError(outcome: sync.outcome, description: SyncEngine.describe(sync.outcome))
                }
                continue
            }
            report.head = server.head
            report.streams = Mirror.streams.map { stream in
                StreamCheck(
                    stream: stream, server: server.streams[stream]?.entityDigest ?? EntityDigest(), mirror: local.streams[stream] ?? EntityDigest())
            }
            // Name what differs. Should either side move meanwhile, start over.
            var moved = false
            for i in report.streams.indices where !report.streams[i].ok {
                report.requests += 1
                let listing = try await client.digest(stream: report.streams[i].stream)
                let (cursor, difference) = try mirror.differences(
                    stream: report.streams[i].stream, server: listing.entities ?? [], limit: nameLimit)
                if listing.head != server.head || cursor != server.head {
                    moved = true
                    break
                }
                report.streams[i].difference = difference
            }
            if moved {
                guard syncs < maxSyncs else { throw VerifyError(outcome: nil, description: "the server's feed kept moving; try again") }
                syncs += 1
                continue
            }
            return report
        }
    }

    /// Re-pulls `streams` (only those) from seq 0 into fresh tables and swaps them in, then syncs so every
    /// stream stands at one cursor again; returns the requests made.
    func repair(streams: Set<String>) async throws -> Int {
        var requests = 0
        try mirror.beginRepair()
        var since: Int64 = 0
        var failures = 0
        while true {
            requests += 1
            let pulled: (page: MirrorPage, bytes: Int, head: Int64?)
            do {
                // Only the streams that differ come (`streams=`): a whole feed of calls need not
                // travel again to repair a goal.
                pulled = try await client.pull(since: since, limit: engine.pageSize, resync: true, format: .rows, streams: streams)
            } catch {
                // A hiccup is retried a few times, as a sync would; anything else ends the repair
                // (the live tables are untouched; the fresh ones are dropped by the next repair).
                guard case .transient(_, let retryAfter) = error, failures < engine.policy.maxAttempts - 1 else {
                    throw VerifyError(outcome: nil, description: "the repair stopped, the mirror is unchanged: \(error.message)")
                }
                failures += 1
                try await Task.sleep(for: .milliseconds(Int(1000 * (retryAfter ?? min(engine.policy.maxDelay, engine.policy.baseDelay * Double(1 << failures))))))
                continue
            }
            failures = 0
            try mirror.applyRepair(pulled.page, streams: streams)
            since = pulled.page.next
            if !pulled.page.hasMore { break }
        }
        try mirror.finishRepair(streams: streams)
        let sync = await engine.run()
        requests += sync.requests
        guard sync.outcome == .upToDate else {
            throw VerifyError(outcome: sync.outcome, description: SyncEngine.describe(sync.outcome))
        }
        return requests
    }
}
