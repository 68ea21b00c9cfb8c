import Foundation
import Glibc

/// What ``FaultProxy`` does to one accepted TCP connection.
public enum FaultMode: Sendable, Equatable {
    /// Forward bytes both ways untouched.
    case pass
    /// Accept, read the request head (waiting at most 1 s), then reset the connection (RST via `SO_LINGER` 0)
    /// without contacting upstream: looks like a dropped connection.
    case refuse
    /// Hold the upstream's first response byte on this connection for `milliseconds`, then forward normally.
    case delay(milliseconds: Int)
    /// Accept and read the request but never answer, until the client gives up or the proxy stops.
    case stall
    /// Forward the request, forward only the first `afterBytes` bytes of the response stream, then reset the client.
    case cutResponse(afterBytes: Int)
    /// Answer `503 Service Unavailable` with `Retry-After` and a JSON error body, without contacting upstream.
    case status503(retryAfterSeconds: Int)
}

/// A socket call failed while setting up a ``FaultProxy``.
public struct FaultProxyError: Error, Sendable, CustomStringConvertible {
    /// The call that failed, e.g. `"bind"`.
    public let operation: String
    /// The `errno` (or `getaddrinfo` code) it reported.
    public let code: Int32
    public var description: String { "FaultProxy: \(operation) failed (\(code))" }
}

/// A fault-injecting TCP proxy on 127.0.0.1 for end-to-end tests: put it between a real HTTP client and a
/// real server, then choose per connection whether to pass bytes through or misbehave (see ``FaultMode``).
///
/// Faults apply per TCP connection; with HTTP keep-alive every request on that connection shares its fate.
/// On top of them, ``link`` emulates a slow, distant or unreliable network for the whole proxy
/// (bandwidth, delay, jitter, cuts and stalls; see ``LinkProfile``).
/// Each connection runs on its own thread with POSIX sockets and `poll()`.
public final class FaultProxy: Sendable {
    /// The port the proxy listens on (on 127.0.0.1).
    public let port: Int
    // All mutable state lives in the core, which the worker threads retain; `self` is never captured by
    // them, so dropping the last reference to the proxy runs `deinit`, which stops everything.
    private let core: FaultProxyCore

    /// Binds 127.0.0.1 on `listenPort` (0: an ephemeral port); connections are forwarded to
    /// `upstreamHost:upstreamPort`. Nothing is accepted until ``start()``. A stopped proxy refuses
    /// connections (the client is offline); a new proxy on the same `listenPort` brings it back.
    public init(upstreamHost: String = "127.0.0.1", upstreamPort: Int, listenPort: Int = 0) throws {
        core = try FaultProxyCore(host: upstreamHost, port: upstreamPort, listenPort: listenPort)
        port = core.port
    }

    deinit { core.stop() }

    /// Starts accepting connections. Does nothing if already started or stopped.
    public func start() { core.start() }

    /// Closes the listener, resets every live connection and waits for their threads to end. Idempotent.
    public func stop() { core.stop() }

    /// The fault for new connections when the schedule is empty. Setting it also cancels ``randomFaults(seed:failureRate:modes:)``.
    public var mode: FaultMode {
        get { core.state.withLock { $0.mode } }
        set { core.state.withLock { $0.mode = newValue; $0.random = nil } }
    }

    /// Replaces the schedule: each newly accepted connection takes the next mode from `modes`;
    /// once it is used up, connections fall back to random faults (if set) or ``mode``.
    public func schedule(_ modes: [FaultMode]) {
        core.state.withLock { $0.schedule = modes }
    }

    /// After the schedule, gives each new connection one of `modes` (uniformly) with probability
    /// `failureRate`, else `.pass`. Deterministic for a given `seed` and order of connections.
    public func randomFaults(seed: UInt64, failureRate: Double, modes: [FaultMode]) {
        let plan = FaultProxyCore.RandomFaults(rng: .init(state: seed), rate: min(max(failureRate, 0), 1), modes: modes)
        core.state.withLock { $0.random = plan }
    }

    /// Back to a healthy network: `.pass`, no schedule, no random faults. Live connections keep their mode.
    public func heal() {
        core.state.withLock { $0.mode = .pass; $0.schedule = []; $0.random = nil }
    }

    /// The emulated link every connection shares (``LinkProfile/unlimited`` until set). Setting it
    /// applies at once to live connections too, and starts its outage schedule from now.
    public var link: LinkProfile {
        get { core.state.withLock { $0.link.profile } }
        set {
            let now = FaultProxyCore.nowNs()
            core.state.withLock { s in
                s.cutsBefore += s.link.cutsStarted(by: now)
                s.link = LinkShaper(profile: newValue, start: now)
            }
        }
    }

    /// How many connections the proxy has accepted.
    public var connectionsAccepted: Int { core.state.withLock { $0.accepted } }
    /// How many bytes the proxy has read from upstream (including any it then withheld from the client).
    public var bytesFromUpstream: Int { core.state.withLock { $0.fromUpstream } }
    /// How many bytes the proxy has written to upstream.
    public var bytesToUpstream: Int { core.state.withLock { $0.toUpstream } }
    /// How many bytes the proxy has written to clients. Counted once each send returns, so a client
    /// may hold bytes a moment before they show here: wait with ``waitForBytesToClient(_:timeout:)``.
    public var bytesToClient: Int { core.state.withLock { $0.toClient } }
    /// How many cuts of the link's schedule have started, over every profile set.
    public var cuts: Int {
        let now = FaultProxyCore.nowNs()
        return core.state.withLock { $0.cutCount(at: now) }
    }

    /// Waits until clients have received at least `count` bytes in all; false if `timeout` passed first.
    public func waitForBytesToClient(_ count: Int, timeout: Duration = .seconds(30)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while bytesToClient < count {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return true
    }
}

/// A value guarded by an `NSLock`. `@unchecked Sendable` is sound because `value` is only reachable
/// inside `withLock`. (Not `Synchronization.Mutex`: on Linux it is futex-based and invisible to
/// ThreadSanitizer, which then reports false races in test runs using `--sanitize=thread`.)
final class FaultProxyLocked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}

/// Shared by the proxy and its threads. Thread safety: `state` is lock-protected; every other stored
/// property is an immutable fd number, byte array or `DispatchGroup` (itself thread-safe).
final class FaultProxyCore: Sendable {
    struct State: Sendable {
        var mode: FaultMode = .pass
        var schedule: [FaultMode] = []
        var random: RandomFaults?
        var accepted = 0, fromUpstream = 0, toUpstream = 0, toClient = 0
        /// The link every connection shares, and the cuts of the profiles it replaced.
        var link = LinkShaper(profile: .unlimited, start: FaultProxyCore.nowNs())
        var cutsBefore = 0
        var started = false, stopped = false
        /// Open connection sockets. An fd is removed (under the lock) before it is closed, so `stop()`
        /// can `shutdown()` these without ever touching a reused fd number.
        var live: Set<Int32> = []

        /// Cuts started by `now`, over every profile: a connection whose count changes was cut.
        func cutCount(at now: Int) -> Int { cutsBefore + link.cutsStarted(by: now) }

        mutating func nextMode() -> FaultMode {
            if !schedule.isEmpty { return schedule.removeFirst() }
            guard var plan = random else { return mode }
            let roll = plan.rng.nextDouble(), pick = plan.rng.next()
            random = plan
            guard roll < plan.rate, !plan.modes.isEmpty else { return .pass }
            return plan.modes[Int(pick % UInt64(plan.modes.count))]
        }
    }

    /// SplitMix64: tiny, fast, deterministic; plenty for choosing faults.
    struct SplitMix64: Sendable {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        /// Uniform in [0, 1).
        mutating func nextDouble() -> Double { Double(next() >> 11) * 0x1.0p-53 }
    }

    struct RandomFaults: Sendable {
        var rng: SplitMix64
        let rate: Double
        let modes: [FaultMode]
    }

    let state = FaultProxyLocked(State())
    let port: Int
    let listenFD: Int32
    /// A pipe whose write end `stop()` closes: its read end then polls readable in every thread.
    let wakeRead: Int32, wakeWrite: Int32
    let upstreamAddress: [UInt8]  // a sockaddr_in / sockaddr_in6
    let threads = DispatchGroup()

    init(host: String, port upstreamPort: Int, listenPort: Int) throws {
        upstreamAddress = try Self.resolve(host: host, port: upstreamPort)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw FaultProxyError(operation: "socket", code: errno) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(listenPort).bigEndian
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let setupFailure = withUnsafeMutablePointer(to: &addr) { ptr in
            ptr.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa -> String? in
                if bind(fd, sa, len) != 0 { return "bind" }
                if listen(fd, 128) != 0 { return "listen" }
                if getsockname(fd, sa, &len) != 0 { return "getsockname" }
                if fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0 { return "fcntl" }
                return nil
            }
        }
        var pipeFDs: [Int32] = [-1, -1]
        let failed = setupFailure ?? (pipe(&pipeFDs) != 0 ? "pipe" : nil)
        if let failed {
            let code = errno
            close(fd)
            throw FaultProxyError(operation: failed, code: code)
        }
        pipeFDs.forEach { Self.setCloseOnExec($0) }
        listenFD = fd
        port = Int(UInt16(bigEndian: addr.sin_port))
        (wakeRead, wakeWrite) = (pipeFDs[0], pipeFDs[1])
    }

    /// Now on the monotonic clock the link's times use, in nanoseconds.
    static func nowNs() -> Int { Int(DispatchTime.now().uptimeNanoseconds) }

    /// Keeps `fd` out of child processes that tests may spawn.
    private static func setCloseOnExec(_ fd: Int32) { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }

    private static func resolve(host: String, port: Int) throws -> [UInt8] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        defer { if let list { freeaddrinfo(list) } }
        guard rc == 0, let info = list?.pointee, let sa = info.ai_addr else {
            throw FaultProxyError(operation: "getaddrinfo(\(host))", code: rc)
        }
        return Array(UnsafeRawBufferPointer(start: sa, count: Int(info.ai_addrlen)))
    }

    func start() {
        let go = state.withLock { s in
            defer { s.started = true }
            return !s.started && !s.stopped
        }
        guard go else { return }
        threads.enter()
        Thread { [self] in
            acceptLoop()
            threads.leave()
        }.start()
    }

    func stop() {
        let first = state.withLock { s in
            guard !s.stopped else { return false }
            s.stopped = true
            for fd in s.live { shutdown(fd, Int32(SHUT_RDWR)) }  // also unblocks a thread stuck in send()
            return true
        }
        guard first else { return }
        close(wakeWrite)
        // Every blocking point polls `wakeRead` or is unblocked by the shutdown above, so this is quick;
        // the timeout only guards against a hung upstream connect(). If it fires, `wakeRead` is leaked
        // rather than closed under a thread that may still poll it.
        if threads.wait(timeout: .now() + .seconds(10)) == .success { close(wakeRead) }
        close(listenFD)
    }

    private func acceptLoop() {
        while true {
            var fds = [pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            if poll(&fds, 2, -1) < 0, errno != EINTR { return }
            if fds[1].revents != 0 { return }
            guard fds[0].revents != 0 else { continue }
            let client = accept(listenFD, nil, nil)
            if client < 0 {
                if errno != EAGAIN, errno != EINTR, errno != ECONNABORTED { usleep(10_000) }  // e.g. EMFILE
                continue
            }
            Self.setCloseOnExec(client)
            let now = Self.nowNs()
            enum Admission { case stopped, cut, open(FaultMode, cutMark: Int) }
            let admission = state.withLock { s -> Admission in
                guard !s.stopped else { return .stopped }
                s.accepted += 1
                if case .cut = s.link.phase(at: now) { return .cut }
                s.live.insert(client)
                return .open(s.nextMode(), cutMark: s.cutCount(at: now))
            }
            let mode: FaultMode, cutMark: Int
            switch admission {
            case .stopped:
                close(client)
                return
            case .cut:  // the link is lost: reset at once
                var option = linger(l_onoff: 1, l_linger: 0)
                setsockopt(client, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
                close(client)
                continue
            case .open(let m, let mark):
                (mode, cutMark) = (m, mark)
            }
            threads.enter()
            Thread { [self] in
                handle(client, mode, cutMark: cutMark)
                threads.leave()
            }.start()
        }
    }
}
