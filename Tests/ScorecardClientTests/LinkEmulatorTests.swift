import Foundation
import Glibc
import ScorecardTesting
import Testing

/// ``FaultProxy`` as a link emulator (``LinkProfile``): bandwidth, delay, cuts, stalls, jitter and
/// its counters, measured through real sockets against a tiny byte server; the jitter and the
/// outage schedule also on ``LinkShaper`` alone. Bounds leave room for a loaded two-core machine.
@Suite struct LinkEmulatorTests {
    @Test(arguments: [LinkDirection.toClient, .toUpstream], [0, 150])
    func aCappedLinkCarriesItsRate(direction: LinkDirection, delayMs: Int) async throws {
        let rate = 125_000  // 1 Mbit/s
        try await withLink(LinkProfile(bitsPerSecond: 1_000_000, delay: .milliseconds(delayMs))) { proxy, port in
            let bytes = 200_000
            let seconds = try await onThread {
                let socket = try Peer(port: port)
                if direction == .toClient {
                    try socket.write("\(bytes)\n")
                    return try socket.read(bytes).transferSeconds
                }
                try socket.write("sink \(bytes)\n")
                let start = Date()
                try socket.write(String(repeating: "x", count: bytes))
                _ = try socket.read(1)
                return Date().timeIntervalSince(start) - 2 * Double(delayMs) / 1_000
            }
            // To the client: from the first byte to the last, so the delay is out of the figure; it
            // carries the full rate (the delay is a queue, not a sleep per chunk).
            let measured = Double(bytes) / seconds
            #expect(measured > Double(rate) * 0.9 && measured < Double(rate) * 1.1, "\(direction) measured \(Int(measured)) B/s")
            // The proxy counts a send once it returned, a moment after the client may have the bytes.
            if direction == .toClient {
                #expect(await proxy.waitForBytesToClient(bytes, timeout: .seconds(5)))
                #expect(proxy.bytesToClient == bytes)
            }
        }
    }

    @Test func theDelayAddsTwiceItsValueToTheRoundTrip() async throws {
        try await withLink(LinkProfile(delay: .milliseconds(100))) { _, port in
            let trips = try await onThread {
                let socket = try Peer(port: port)
                return try (0..<4).map { _ in
                    let start = Date()
                    try socket.write("1\n")
                    _ = try socket.read(1)
                    return Date().timeIntervalSince(start)
                }
            }
            #expect(trips.allSatisfy { $0 >= 0.199 }, "\(trips)")
            #expect(trips.sorted()[1] < 0.6, "round trips of about 200 ms: \(trips)")
        }
    }

    @Test func aCutResetsLiveConnectionsRefusesNewOnesThenRecovers() async throws {
        let cuts = LinkOutages(every: .seconds(60), lasting: .seconds(1), startingAfter: .milliseconds(500))
        try await withLink(LinkProfile(cuts: cuts)) { proxy, port in
            let began = Date()
            let (before, ended, resetAfter, during, afterwards) = try await onThread {
                let live = try Peer(port: port)
                try live.write("1\n")
                let before = try live.read(1).count
                // Wait on the live connection: the cut resets it.
                let ended = try live.read(1, timeout: 5).count
                let resetAfter = Date().timeIntervalSince(began)
                // A new connection during the cut is reset before any answer.
                let fresh = try Peer(port: port)
                try? fresh.write("1\n")
                let during = try fresh.read(1, timeout: 5).count
                // After the cut (1.5 s in), the link is back.
                Thread.sleep(forTimeInterval: max(0, 1.6 - Date().timeIntervalSince(began)))
                let later = try Peer(port: port)
                try later.write("1\n")
                return (before, ended, resetAfter, during, try later.read(1, timeout: 5).count)
            }
            #expect(before == 1, "answered before the cut")
            #expect(ended == 0 && resetAfter >= 0.45 && resetAfter < 1.5, "the live connection was reset when the cut began: \(resetAfter) s")
            #expect(during == 0, "a connection during the cut got no answer")
            #expect(afterwards == 1, "answered after the cut")
            #expect(proxy.cuts == 1)
        }
    }

    @Test func aStallHoldsBytesAndKeepsTheConnection() async throws {
        let stalls = LinkOutages(every: .seconds(60), lasting: .milliseconds(600), startingAfter: .milliseconds(300))
        try await withLink(LinkProfile(stalls: stalls)) { proxy, port in
            let began = Date()
            let (answered, waited) = try await onThread {
                let socket = try Peer(port: port)
                try socket.write("1\n")
                _ = try socket.read(1)
                Thread.sleep(forTimeInterval: max(0, 0.4 - Date().timeIntervalSince(began)))  // inside the stall
                let start = Date()
                try socket.write("5\n")
                return (try socket.read(5, timeout: 5).count, Date().timeIntervalSince(start))
            }
            #expect(answered == 5, "the same connection answered after the stall")
            #expect(waited >= 0.3 && waited < 3, "held until the stall ended: \(waited) s")
            #expect(proxy.cuts == 0)
        }
    }

    @Test func countersAndWaitingForBytes() async throws {
        try await withLink(LinkProfile(delay: .milliseconds(50))) { proxy, port in
            let socket = try await onThread { try Peer(port: port) }
            try await onThread { try socket.write("3000\n") }
            #expect(await proxy.waitForBytesToClient(3_000, timeout: .seconds(10)))
            #expect(await proxy.waitForBytesToClient(3_001, timeout: .milliseconds(200)) == false)
            _ = try await onThread { try socket.read(3_000) }
            #expect(proxy.bytesToClient == 3_000 && proxy.bytesFromUpstream == 3_000)
            #expect(proxy.bytesToUpstream == 5 && proxy.connectionsAccepted == 1 && proxy.cuts == 0)
        }
    }

    @Test func jitterIsDeterministicBySeedAndNeverReorders() {
        func run(seed: UInt64) -> [LinkShaper.Segment] {
            var shaper = LinkShaper(profile: LinkProfile(bitsPerSecond: 1_000_000, delay: .milliseconds(150), jitter: .milliseconds(40), seed: seed), start: 0)
            return (0..<20).flatMap { shaper.transmit(3_000, $0 % 3 == 0 ? .toUpstream : .toClient, at: $0 * 10_000_000) }
        }
        #expect(run(seed: 7) == run(seed: 7))
        #expect(run(seed: 7) != run(seed: 8))
        var shaper = LinkShaper(profile: LinkProfile(toClientBytesPerSecond: 100_000, delay: .milliseconds(100), jitter: .milliseconds(30), seed: 3), start: 0)
        let segments = shaper.transmit(50_000, .toClient, at: 0)
        #expect(segments.reduce(0) { $0 + $1.length } == 50_000)
        #expect(zip(segments, segments.dropFirst()).allSatisfy { $0.deliverAt <= $1.deliverAt })
        // 0.5 s on the link, then 100 ms plus up to 30 ms of jitter.
        let last = segments.last!.deliverAt
        #expect(last >= 600_000_000 && last <= 630_000_000, "\(last)")
    }

    @Test func theOutageScheduleCountsFromTheProfile() {
        let start = 1_000_000_000
        let shaper = LinkShaper(profile: .rural256k, start: start)
        let s = 1_000_000_000
        #expect(shaper.phase(at: start + 19 * s) == .up)
        #expect(shaper.phase(at: start + 21 * s) == .cut(until: start + 22 * s))
        #expect(shaper.cutsStarted(by: start + 19 * s) == 0 && shaper.cutsStarted(by: start + 41 * s) == 2)
        #expect(shaper.nextChange(after: start + 21 * s) == start + 22 * s)
        #expect(shaper.nextChange(after: start + 23 * s) == start + 40 * s)
        #expect(LinkProfile.mobile1Mbit.toClientBytesPerSecond == 125_000 && LinkProfile.mobile1Mbit.cuts == nil)
    }
}

/// A byte server behind a proxy with `profile`.
private func withLink(_ profile: LinkProfile, _ body: (FaultProxy, _ port: Int) async throws -> Void) async throws {
    let server = try ByteServer()
    defer { server.stop() }
    let proxy = try FaultProxy(upstreamPort: server.port)
    proxy.link = profile
    proxy.start()
    defer { proxy.stop() }
    try await body(proxy, proxy.port)
}

/// Runs blocking socket work on its own thread, off the cooperative pool.
private func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

struct PeerError: Error { let what: String }

/// A blocking TCP client socket on 127.0.0.1.
private final class Peer: Sendable {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { close(fd); throw PeerError(what: "connect: errno \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close(fd) }

    func write(_ text: String) throws {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw PeerError(what: "send: errno \(errno)") }
            offset += n
        }
    }

    /// Reads up to `count` bytes, until end of stream, a reset or `timeout` seconds; the count and
    /// the seconds from the first byte to the last.
    func read(_ count: Int, timeout: Double = 20) throws -> (count: Int, transferSeconds: Double) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var got = 0
        var first: Date?
        let deadline = Date().addingTimeInterval(timeout)
        while got < count {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let left = Int32(max(0, deadline.timeIntervalSinceNow * 1_000))
            guard poll(&p, 1, left) > 0 else { break }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, min($0.count, count - got), 0) }
            if n <= 0 { break }
            if first == nil { first = Date() }
            got += n
        }
        return (got, first.map { Date().timeIntervalSince($0) } ?? 0)
    }
}

/// Answers lines on each connection: `N` with N bytes, `sink N` by reading N bytes, then one byte.
private final class ByteServer: Sendable {
    let port: Int
    private let listener: Int32

    init() throws {
        let listening = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { ptr in
            ptr.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listening, $0, len) == 0 && listen(listening, 16) == 0 && getsockname(listening, $0, &len) == 0
            }
        }
        guard ok else { close(listening); throw PeerError(what: "listen: errno \(errno)") }
        port = Int(UInt16(bigEndian: addr.sin_port))
        listener = listening
        Thread {
            defer { close(listening) }  // here, so the fd number is never reused under `accept`
            while true {
                let fd = accept(listening, nil, nil)
                if fd < 0 { if errno == EINTR { continue } else { return } }
                Thread { Self.serve(fd) }.start()
            }
        }.start()
    }

    /// Ends the accept loop (connections end when their clients close).
    func stop() { shutdown(listener, Int32(SHUT_RDWR)) }

    private static func serve(_ fd: Int32) {
        defer { close(fd) }
        var line: [UInt8] = []
        var byte: UInt8 = 0
        let chunk = [UInt8](repeating: 0x61, count: 64 * 1024)
        var sink = [UInt8](repeating: 0, count: 64 * 1024)
        while recv(fd, &byte, 1, 0) == 1 {
            guard byte == 10 else { line.append(byte); continue }
            let words = String(decoding: line, as: UTF8.self).split(separator: " ")
            line = []
            if words.count == 2, words[0] == "sink", var left = Int(words[1]) {
                while left > 0 {
                    let n = sink.withUnsafeMutableBytes { recv(fd, $0.baseAddress, min($0.count, left), 0) }
                    if n <= 0 { return }
                    left -= n
                }
                guard send(fd, chunk, 1, Int32(MSG_NOSIGNAL)) == 1 else { return }
            } else if words.count == 1, var left = Int(words[0]) {
                while left > 0 {
                    let n = chunk.withUnsafeBytes { send(fd, $0.baseAddress, min($0.count, left), Int32(MSG_NOSIGNAL)) }
                    if n <= 0 { return }
                    left -= n
                }
            } else {
                return
            }
        }
    }
}
