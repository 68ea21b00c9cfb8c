import ArgumentParser
import Foundation
import Logging
import NIOCore
import ScorecardCore
import ScorecardServer
import ScorecardTesting

/// Sizes and CPU of each response coding and level on real pull pages: the measurement behind
/// ``CompressionSettings``' defaults (docs/performance.md).
struct CompressionBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compression", abstract: "Bytes per change and CPU per change of gzip and zstd levels on a demo agent's pull pages.")
    @Option(help: "Days of demo data for one agent (about 70 calls a day).") var days = 365
    @Option(help: "Repetitions of each coding; medians are reported.") var runs = 5

    func run() async throws {
        let server = try await TestServer.start()
        var options = DemoData.Options()
        options.agents = 1
        options.days = days
        options.bcryptCost = 4
        options.endDate = CivilDate("2026-11-20")!
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        _ = try await DemoData(options: options).write(to: server.store, logger: logger)
        var cursors: [Int64] = [0]
        while true {
            let page = try await server.store.pull(personID: "agent-001", since: cursors.last!, limit: 5000, resync: false)
            if !page.hasMore { break }
            cursors.append(page.next)
        }
        var results: [String] = []
        for format in PullFormat.allCases {
            var pages: [ByteBuffer] = []
            var changes = 0
            for since in cursors {
                let page = try await server.store.pullBody(personID: "agent-001", since: since, limit: 5000, resync: false, format: format)
                pages.append(ByteBuffer(bytes: page.bytes))
                changes += page.count
            }
            let identity = pages.reduce(0) { $0 + $1.readableBytes }
            results.append(
                "\(format.rawValue) form: \(changes) changes in \(pages.count) pages of ≤ 5000, identity \(identity) bytes (\(fmt(Double(identity) / Double(changes))) B/change)")
            let candidates: [(String, ContentCoding, Int32)] =
                [("gzip 1", .gzip, 1), ("gzip 6", .gzip, 6), ("gzip 9", .gzip, 9)] + [1, 3, 6, 9, 12].map { ("zstd \($0)", .zstd, $0) }
            for (label, coding, level) in candidates {
                var settings = CompressionSettings()
                settings.gzipLevel = level
                settings.zstdLevel = level
                var compressTimes: [Double] = []
                var inflateTimes: [Double] = []
                var compressed: [ByteBuffer] = []
                for _ in 0..<runs {
                    let start = ContinuousClock.now
                    compressed = try pages.map { try Compression.compress($0, coding, settings: settings) }
                    compressTimes.append(seconds(ContinuousClock.now - start))
                    let inflateStart = ContinuousClock.now
                    for page in compressed { _ = try Compression.decompress(page, coding, limit: 64 << 20) }
                    inflateTimes.append(seconds(ContinuousClock.now - inflateStart))
                }
                let bytes = compressed.reduce(0) { $0 + $1.readableBytes }
                let perChange = { (t: [Double]) in fmt(median(t) / Double(changes) * 1e6, 2) }
                results.append(
                    "  \(label.padding(toLength: 8, withPad: " ", startingAt: 0)) \(String(bytes).leftPad(9)) bytes  "
                        + "\(fmt(Double(bytes) / Double(changes), 1).leftPad(6)) B/change  ratio \(fmt(Double(identity) / Double(bytes), 1).leftPad(5))  "
                        + "compress \(perChange(compressTimes)) µs/change  inflate \(perChange(inflateTimes)) µs/change")
            }
        }
        await server.stop()
        print("compression: one demo agent, \(days) days, pull pages straight from the store, median of \(runs)")
        for line in results { print(line) }
    }
}
