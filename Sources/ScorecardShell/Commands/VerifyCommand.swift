import ArgumentParser
import Foundation
import ScorecardCache
import ScorecardCore
import ScorecardSync

/// `verify [--repair]`: compare the mirror with the server, stream by stream.
public struct VerifyCommand: ShellCommand {
    public static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Check that the mirror holds exactly the server's data; --repair re-pulls the streams that differ.",
        discussion: """
            Compares, per stream, the count and digest of (id, version) with the server's at the same feed head (syncing first \
            when the server moved on), and names what differs: missing, extra and stale ids. --repair re-pulls only the streams \
            that differ and keeps the outbox. Exit 7 when something differs (and was not repaired), 5 offline, 4 login needed.
            """)

    @Flag(help: "Re-pull the streams that differ (the outbox and the other streams are kept).") var repair = false
    @Option(help: "table or json.") var format: OutputFormat?

    public init() {}

    public static let completion = CompletionSpec(options: CompletionSpec.formatOption.merging(["--repair": .none]) { a, _ in a })

    public func execute(in context: CommandContext) async throws {
        let account = try context.account()
        let mirror = try context.mirror(for: account)
        let verifier = MirrorVerifier(engine: SyncEngine(mirror: mirror, client: try context.client(for: account)))
        let report: VerifyReport
        do {
            if let session = context.session {
                report = try await session.exclusiveSync { try await verifier.run(repair: repair) }
            } else {
                report = try await verifier.run(repair: repair)
            }
        } catch let error as VerifyError {
            switch error.outcome {
            case .offline(let m)?: throw CLIError(.offline, "offline, nothing was verified: \(m)")
            case .loginRequired(let m)?: throw CLIError(.loginNeeded, "\(m) — run `scorecard login`; your mirror and pending edits are kept")
            default: throw CLIError(.failure, "verify failed: \(error.description)")
            }
        } catch let error as SyncMachine.Failure {
            throw CLIError.from(error)
        } catch let error as MirrorError {
            throw CLIError(.failure, error.message)
        }
        context.write(VerifyView.render(report, format: context.format(format)))
        if !report.equal {
            let differing = (report.after ?? report.streams).filter { !$0.ok }.map(\.stream)
            let hint = report.repaired.isEmpty ? "; `verify --repair` re-pulls \(differing.count == 1 ? "it" : "them")" : " after the repair"
            throw CLIError(
                .differs, "the mirror differs from the server in \(differing.count) stream\(differing.count == 1 ? "" : "s") (\(differing.joined(separator: ", ")))\(hint)")
        }
    }
}

/// `verify`'s table and JSON.
enum VerifyView {
    static func render(_ report: VerifyReport, format: OutputFormat) -> String {
        switch format {
        case .json: return String(decoding: (try? WireJSON.encode(VerifyJSON(report))) ?? Data(), as: UTF8.self) + "\n"
        case .table, .csv: return table(report)
        }
    }

    static func table(_ report: VerifyReport) -> String {
        var out = ""
        let after = report.after.map { Dictionary(uniqueKeysWithValues: $0.map { ($0.stream, $0) }) }
        for check in report.streams {
            let line: String
            if check.ok {
                line = "ok (\(grouped(check.server.count)))"
            } else if let now = after?[check.stream], now.ok {
                line = "repaired (was: \(describe(check)))"
            } else {
                line = "differs: " + describe(after?[check.stream] ?? check)
            }
            out += Text.pad(check.stream, 15) + line + "\n"
        }
        if !report.repaired.isEmpty {
            out += "Re-pulled \(report.repaired.joined(separator: ", ")); the outbox was kept.\n"
        }
        out += "Verified at feed head \(report.head) with \(report.requests) request\(report.requests == 1 ? "" : "s")\(report.synced ? " (synced first)" : "").\n"
        return out
    }

    /// `1 missing (C-9), 1 extra (X-1), 1 stale (C-2 v1, server v2)`.
    static func describe(_ check: StreamCheck) -> String {
        guard let d = check.difference, !d.isEmpty else { return MirrorVerifier.summary(check) }
        func more(_ shown: Int, _ count: Int) -> String { count > shown ? ", …" : "" }
        var parts: [String] = []
        if d.missingCount > 0 { parts.append("\(d.missingCount) missing (\(d.missing.joined(separator: ", "))\(more(d.missing.count, d.missingCount)))") }
        if d.extraCount > 0 { parts.append("\(d.extraCount) extra (\(d.extra.joined(separator: ", "))\(more(d.extra.count, d.extraCount)))") }
        if d.staleCount > 0 {
            let named = d.stale.map { "\($0.id) v\($0.mirrorVersion), server v\($0.serverVersion)" }
            parts.append("\(d.staleCount) stale (\(named.joined(separator: "; "))\(more(d.stale.count, d.staleCount)))")
        }
        return parts.joined(separator: ", ")
    }
}

/// `verify --format json`: `{"equal", "head", "requests", "synced", "repaired", "streams": [...]}`.
struct VerifyJSON: Encodable {
    var equal: Bool
    var head: Int64
    var requests: Int
    var synced: Bool
    var repaired: [String]
    var streams: [Stream]

    struct Stream: Encodable {
        var stream: String
        /// `ok`, `differs` or `repaired`.
        var status: String
        var count: Int
        var digest: String
        var mirrorCount: Int
        var mirrorDigest: String
        var missing: Named<String>?
        var extra: Named<String>?
        var stale: Named<Stale>?

        enum CodingKeys: String, CodingKey {
            case stream, status, count, digest, missing, extra, stale
            case mirrorCount = "mirror_count", mirrorDigest = "mirror_digest"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(stream, forKey: .stream)
            try c.encode(status, forKey: .status)
            try c.encode(count, forKey: .count)
            try c.encode(digest, forKey: .digest)
            try c.encode(mirrorCount, forKey: .mirrorCount)
            try c.encode(mirrorDigest, forKey: .mirrorDigest)
            try c.encode(missing, forKey: .missing)  // null, not left out
            try c.encode(extra, forKey: .extra)
            try c.encode(stale, forKey: .stale)
        }
    }

    /// How many, and the first few.
    struct Named<Item: Encodable>: Encodable {
        var count: Int
        var ids: [Item]
    }

    struct Stale: Encodable {
        var id: String
        var mirrorVersion: Int
        var serverVersion: Int

        enum CodingKeys: String, CodingKey {
            case id
            case mirrorVersion = "mirror_version", serverVersion = "server_version"
        }
    }

    init(_ report: VerifyReport) {
        equal = report.equal
        head = report.head
        requests = report.requests
        synced = report.synced
        repaired = report.repaired
        let after = report.after.map { Dictionary(uniqueKeysWithValues: $0.map { ($0.stream, $0) }) }
        streams = report.streams.map { check in
            let now = after?[check.stream] ?? check
            let status = check.ok ? "ok" : now.ok ? "repaired" : "differs"
            let d = check.difference
            return Stream(
                stream: check.stream, status: status, count: check.server.count, digest: check.server.hex,
                mirrorCount: check.mirror.count, mirrorDigest: check.mirror.hex,
                missing: d.map { Named(count: $0.missingCount, ids: $0.missing) },
                extra: d.map { Named(count: $0.extraCount, ids: $0.extra) },
                stale: d.map { Named(count: $0.staleCount, ids: $0.stale.map { Stale(id: $0.id, mirrorVersion: $0.mirrorVersion, serverVersion: $0.serverVersion) }) })
        }
    }
}
