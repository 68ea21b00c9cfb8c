import ArgumentParser
import Foundation
import Glibc
import ScorecardCore
import ScorecardServer
import ScorecardTesting

/// Waiting long-poll clients held by one release `scorecard-server` process: its RSS with them,
/// how fast a commit reaches a waiting client, how fast clients that go away are let go, and
/// how fast a graceful stop answers the rest.
struct LongPollHold: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "long-poll",
        abstract: "Waiting long-poll clients on one release scorecard-server: RSS, wake-up latency, release on disconnect and shutdown.",
        discussion: """
            Needs a release scorecard-server next to this binary (swift build -c release). The clients are plain sockets of
            this process (one request each, `wait=60`), spread over --people agents; the server and the clients share the
            machine's file-descriptor limit (ulimit -n) and its cores.
            """)

    @Option(help: "Waiting clients.") var clients = 5000
    @Option(help: "Agents they belong to (clients per agent = clients / people).") var people = 500
    @Option(help: "Wake-ups measured (one commit each, for one agent's clients).") var samples = 20
    @Option(help: "Also run on PostgreSQL: postgres://USER@HOST:PORT/DB (a throwaway database is created; needs CREATEDB).")
    var database: String?
    @Option(help: "The scorecard-server binary (default: next to this one).") var server: String?

    func run() async throws {
        let binary = try siblingExecutable("scorecard-server", given: server, hint: "; build it with -c release")
        guard people > 0, clients >= people, samples < people else { throw ValidationError("need clients >= people > samples") }
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        print("long-poll: \(clients) waiting clients over \(people) agents; ulimit -n \(limit.rlim_cur)")
        for backend in try BenchBackend.all(database) {
            let (store, location, cleanup) = try await BenchServer.openStore(backend)
            do {
                try await runOne(backend: backend, store: store, location: location, binary: binary)
            } catch {
                await cleanup()
                throw error
            }
            await cleanup()
        }
    }

    func runOne(backend: BenchBackend, store: any ServerStore, location: String, binary: String) async throws {
        // People and tokens straight into the store: no logins to pay for.
        var tokens: [String] = []
        let expires = Int(Date().timeIntervalSince1970) + 86_400
        for p in 0..<people {
            let id = "a\(p)"
            try await store.createPerson(Person(id: id, name: id, email: "\(id)@example.test", role: .agent, teamID: nil, active: true), passwordHash: "-")
            let token = Credentials.newToken()
            try await store.insertToken(hash: Credentials.tokenHash(token), personID: id, expiresAt: expires)
            tokens.append(token)
        }
        try await store.createPerson(Person(id: "root", name: "root", email: "root@example.test", role: .admin, teamID: nil, active: true), passwordHash: "-")
        let admin = Credentials.newToken()
        try await store.insertToken(hash: Credentials.tokenHash(admin), personID: "root", expiresAt: expires)

        let child = try ServerProcess(database: location, arguments: ["--log-level", "error"], binary: binary)
        defer { child.signal(SIGKILL) }
        try await child.waitUntilReady()
        let idleRSS = Self.rss(child.pid)

        // Open the clients.
        var sockets: [Int32] = []
        var owner: [Int] = []  // the agent index of each socket
        let opening = ContinuousClock.now
        for c in 0..<clients {
            let p = c % people
            let fd = try Self.connect(port: child.port)
            let request = "GET /api/v1/sync/pull?since=0&wait=60 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(tokens[p])\r\n\r\n"
            let bytes = Array(request.utf8)
            guard write(fd, bytes, bytes.count) == bytes.count else { throw ValidationError("client \(c): write failed (\(errno))") }
            sockets.append(fd)
            owner.append(p)
        }
        let waiting = try await Self.waitForWaiting(child.baseURL, atLeast: clients, timeout: .seconds(120))
        let opened = ContinuousClock.now - opening
        let heldRSS = Self.rss(child.pid)
        let peakRSS = Self.rssPeak(child.pid)

        // Wake-ups: one commit for agent p, time until each of its clients has the answer's first byte.
        var latencies: [Double] = []
        var answered = Set<Int32>()
        for s in 0..<samples {
            let p = s
            let fds = sockets.indices.filter { owner[$0] == p }.map { sockets[$0] }
            let body = try CDRFixture.json([CDRFixture.record(id: "wake-\(s)", agent: "a\(p)", start: "2026-11-20 09:\(String(format: "%02d", s % 60)):00")])
            let written = ContinuousClock.now
            let response = try await TestHTTP.send("POST", child.baseURL + "/api/v1/ingest/cdr", token: admin, body: body)
            guard response.status == 200 else { throw TestHTTPError(status: response.status, body: response.text) }
            for fd in fds {
                guard Self.waitReadable(fd, timeout: .seconds(10)) else { throw ValidationError("agent a\(p): a waiting client was not woken within 10 s") }
                let d = ContinuousClock.now - written
                latencies.append(Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
                answered.insert(fd)
            }
        }

        // Clients going away: close a fifth of the rest.
        let remaining = sockets.filter { !answered.contains($0) }
        let leaving = Array(remaining.prefix(remaining.count / 5))
        let staying = Array(remaining.dropFirst(leaving.count))
        let closing = ContinuousClock.now
        for fd in leaving { close(fd) }
        _ = try await Self.waitForWaiting(child.baseURL, atMost: staying.count, timeout: .seconds(60))
        let released = ContinuousClock.now - closing

        // A graceful stop with the rest waiting.
        let stopping = ContinuousClock.now
        child.signal(SIGTERM)
        var ok = 0
        for fd in staying {
            if Self.waitReadable(fd, timeout: .seconds(30)) {
                var head = [UInt8](repeating: 0, count: 16)
                if read(fd, &head, head.count) >= 12, String(decoding: head.prefix(12), as: UTF8.self) == "HTTP/1.1 200" { ok += 1 }
            }
        }
        let status = await child.wait()
        let stopped = ContinuousClock.now - stopping
        let gone = Set(leaving)
        for fd in sockets where !gone.contains(fd) { close(fd) }

        let sorted = latencies.sorted()
        func pct(_ q: Double) -> String { String(format: "%.0f ms", sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * q))]) }
        print("\n\(backend.description): one release process")
        print("  waiting clients held:      \(waiting) (opened in \(Self.seconds(opened)))")
        print("  server RSS:                \(Self.mb(idleRSS)) idle -> \(Self.mb(heldRSS)) holding them (peak \(Self.mb(peakRSS)); target <= 256 MB)")
        print("  per waiting client:        \(String(format: "%.1f", Double(heldRSS - idleRSS) / Double(max(1, waiting)))) KB")
        print("  commit -> waiting client:  p50 \(pct(0.5)), p95 \(pct(0.95)), max \(pct(1)) (\(latencies.count) clients, \(samples) commits)")
        print("  \(leaving.count) clients gone:        released by the server in \(Self.seconds(released))")
        print("  SIGTERM with \(staying.count) waiting: \(ok) answered 200, exit \(status) after \(Self.seconds(stopped))")
    }

    // MARK: Plumbing

    static func connect(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ValidationError("socket() failed (\(errno)); raise ulimit -n") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw ValidationError("connect() failed (\(errno))")
        }
        return fd
    }

    static func waitReadable(_ fd: Int32, timeout: Duration) -> Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&p, 1, Int32(timeout.components.seconds * 1000)) == 1
    }

    /// `scorecard_pull_waiting` from /metrics.
    static func waiting(_ baseURL: String) async throws -> Int {
        let text = try await TestHTTP.send("GET", baseURL + "/metrics").text
        return text.split(separator: "\n").first { $0.hasPrefix("scorecard_pull_waiting ") }.flatMap { Int($0.split(separator: " ")[1]) } ?? -1
    }

    static func waitForWaiting(_ baseURL: String, atLeast: Int = 0, atMost: Int = .max, timeout: Duration) async throws -> Int {
        let deadline = ContinuousClock.now + timeout
        while true {
            let n = try await waiting(baseURL)
            if n >= atLeast && n <= atMost { return n }
            guard ContinuousClock.now < deadline else { throw ValidationError("\(n) clients waiting after \(timeout); expected \(atLeast)…\(atMost)") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// VmRSS / VmHWM of a process, in KB.
    static func rss(_ pid: Int32) -> Int { status(pid, "VmRSS:") }
    static func rssPeak(_ pid: Int32) -> Int { status(pid, "VmHWM:") }
    static func status(_ pid: Int32, _ key: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        return text.split(separator: "\n").first { $0.hasPrefix(key) }.flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true)[1]) } ?? 0
    }

    static func mb(_ kb: Int) -> String { String(format: "%.1f MB", Double(kb) / 1024) }
    static func seconds(_ d: Duration) -> String {
        String(format: "%.2f s", Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }
}
