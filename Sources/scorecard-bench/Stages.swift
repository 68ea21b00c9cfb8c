import ArgumentParser
import Foundation
import Logging
import ScorecardCache
import ScorecardCore
import ScorecardServer
import ScorecardSync
import ScorecardTesting

/// Times each stage of the ingest and pull paths in-process, to show where the time goes.
struct Stages: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Per-stage rates of ingest and pull (no HTTP).")
    @Option(help: "Rows.") var rows = 50_000

    func run() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        try await server.addPerson("a1")
        let day0 = CivilDate(year: 2025, month: 1, day: 1)!.daysSinceEpoch * 86_400
        let records: [[String: String?]] = (0..<rows).map { i in
            let t = Timestamp.format(epochSeconds: day0 + i * 37)
            return [
                "CallID": "c\(i)", "AgentID": "a1", "StartTime": String(t.prefix(10)) + " " + String(t.dropFirst(11).prefix(8)),
                "Type": "InBound", "Status": "Answered", "TalkTime": "00:01:00", "HandlingTime": "00:01:30", "Disposition": "General Enquiry",
            ]
        }
        func rate(_ label: String, _ n: Int, _ body: () async throws -> Void) async rethrows {
            let start = ContinuousClock.now
            try await body()
            print("\(label.padding(toLength: 38, withPad: " ", startingAt: 0)) \(fmt(Double(n) / seconds(ContinuousClock.now - start))) rows/s")
        }
        var body = Data()
        try await rate("encode CDR JSON (bench side)", rows) { body = try JSONEncoder().encode(records) }
        var decoded: [CDRRecord] = []
        try await rate("decode [CDRRecord] (scanner)", rows) { decoded = try CDRRecord.parseArray(body) }
        try await rate("store ingest (one transaction)", rows) { _ = try await Ingest.calls(decoded, store: server.store) }
        var pages: [FeedPage] = []
        try await rate("store pull (pages of 5000)", rows) {
            var since: Int64 = 0
            while true {
                let page = try await server.store.pull(personID: "a1", since: since, limit: 5000, resync: false)
                pages.append(page)
                since = page.next
                if !page.hasMore { break }
            }
        }
        // The route's path: the store writes the body straight from its rows (same cursors as above).
        let cursors = [Int64(0)] + pages.dropLast().map(\.next)
        for format in PullFormat.allCases {
            try await rate("store pull → body, direct (\(format.rawValue))", rows) {
                for since in cursors { _ = try await server.store.pullBody(personID: "a1", since: since, limit: 5000, resync: false, format: format) }
            }
        }
        var encoded: [Data] = []
        await rate("encode pull pages (server, json)", rows) { encoded = pages.map { Data($0.json(format: .json)) } }
        var mirrorPages: [MirrorPage] = []
        try await rate("decode MirrorPage (client, json)", rows) { mirrorPages = try encoded.map { try MirrorPage.parse($0) } }
        let jsonBytes = encoded.reduce(0) { $0 + $1.count }
        await rate("encode pull pages (server, rows)", rows) { encoded = pages.map { Data($0.json(format: .rows)) } }
        try await rate("decode MirrorPage (client, rows)", rows) { mirrorPages = try encoded.map { try MirrorPage.parse($0) } }
        let rowsBytes = encoded.reduce(0) { $0 + $1.count }
        let mirror = try Mirror(path: server.directory.appendingPathComponent("m.sqlite").path)
        try mirror.bind(server: "x", person: "a1")
        try await rate("mirror apply (client)", rows) { for p in mirrorPages { try mirror.apply(p) } }
        // The same pages over loopback HTTP through the client's transport and parser, one at a time.
        let token = try await server.login("a1")
        let transport = URLSessionTransport()
        var wireBytes = 0
        try await rate("HTTP pull + parse (sequential, rows)", rows) {
            var since: Int64 = 0
            while true {
                let url = URL(string: "\(server.baseURL)/api/v1/sync/pull?since=\(since)&limit=5000&format=rows")!
                let r = try await transport.send(TransportRequest(method: "GET", url: url, headers: ["Authorization": "Bearer \(token)"]))
                wireBytes += r.body.count
                let page = try MirrorPage.parse(r.body)
                since = page.next
                if !page.hasMore { break }
            }
        }
        print("bytes per pulled row: \(fmt(Double(jsonBytes) / Double(rows), 1)) (json), \(fmt(Double(rowsBytes) / Double(rows), 1)) (rows)")
    }
}
