import Foundation
import Glibc
import Synchronization

/// A throwaway PostgreSQL cluster for the test process: `initdb` into `/tmp/scorecard-pg-<pid>-<random>`,
/// `pg_ctl start` on a free loopback port with durability off, one database per test, all of it
/// stopped and deleted when the process exits.
///
/// Started once, lazily, by the first test that asks for a database. Clusters left behind by test
/// processes that were killed (their pid is dead) are stopped and deleted on the next start.
///
/// SQL goes through `psql` (installed with the server binaries) rather than PostgresNIO: the
/// cluster's own housekeeping (creating and dropping databases, counting rows for assertions)
/// then shares no code with the `PostgresStore` under test, and works before any store opens.
public actor PostgresCluster {
    public static let shared = PostgresCluster()

    /// A started cluster.
    struct Running: Sendable {
        /// `/tmp/scorecard-pg-<pid>-<random>`: the data directory (`data/`), the socket and the log.
        var root: String
        var port: Int
        var bin: String

        /// The server's options for `pg_ctl start -o`.
        static func options(root: String, port: Int) -> String {
            [
                "-p \(port)", "-k \(root)", "-c listen_addresses=127.0.0.1", "-c fsync=off", "-c synchronous_commit=off",
                "-c full_page_writes=off", "-c max_connections=400",
            ].joined(separator: " ")
        }
    }

    private var starting: Task<Running, any Error>?
    private var templates: [String: Task<Void, any Error>] = [:]
    private var counter = 0

    public init() {}

    // MARK: Finding the binaries

    /// Where the PostgreSQL binaries are looked for, in order: `SCORECARD_PG_BIN`, then
    /// `/usr/lib/postgresql/15/bin`, then the newest other `/usr/lib/postgresql/*/bin`.
    public static func candidateBinDirectories(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        if let configured = environment["SCORECARD_PG_BIN"], !configured.isEmpty { return [configured] }
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
            .compactMap(Int.init).filter { $0 != 15 }.sorted(by: >)
        return ["/usr/lib/postgresql/15/bin"] + versions.map { "/usr/lib/postgresql/\($0)/bin" }
    }

    /// The first candidate directory holding `initdb`, `pg_ctl`, `postgres` and `psql`, if any.
    public static func binDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        candidateBinDirectories(environment: environment).first { directory in
            ["initdb", "pg_ctl", "postgres", "psql"].allSatisfy { FileManager.default.isExecutableFile(atPath: "\(directory)/\($0)") }
        }
    }

    /// Where the binaries were looked for, for messages.
    public static var searchedDescription: String {
        let environment = ProcessInfo.processInfo.environment
        if let configured = environment["SCORECARD_PG_BIN"], !configured.isEmpty { return "\(configured) (SCORECARD_PG_BIN)" }
        return "/usr/lib/postgresql/15/bin (or /usr/lib/postgresql/*/bin; SCORECARD_PG_BIN overrides)"
    }

    // MARK: Databases

    /// Starts the cluster if it is not running yet; returns its port.
    @discardableResult
    public func start() async throws -> Int { try await running().port }

    /// `postgres://postgres@127.0.0.1:PORT/DATABASE?pool_size=N`.
    public func url(database: String, poolSize: Int) async throws -> String {
        "postgres://postgres@127.0.0.1:\(try await running().port)/\(database)?pool_size=\(poolSize)"
    }

    /// Creates the template database `name` once per process and runs `prepare` with its URL (to
    /// migrate it); later calls wait for that and return. The template then takes no connections,
    /// so ``createDatabase(template:)`` can copy it at any time.
    public func prepareTemplate(_ name: String, _ prepare: @escaping @Sendable (_ url: String) async throws -> Void) async throws {
        if let task = templates[name] { return try await task.value }
        let task = Task {
            try await self.psql("CREATE DATABASE \(name)")
            try await prepare(try await self.url(database: name, poolSize: 2))
            try await self.psql("ALTER DATABASE \(name) WITH IS_TEMPLATE true ALLOW_CONNECTIONS false")
            try await self.closeSessions(on: name)
        }
        templates[name] = task
        do {
            try await task.value
        } catch {
            templates[name] = nil  // the next caller tries again (from a clean slate)
            _ = try? await psql("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            throw error
        }
    }

    /// Creates a fresh database `t_<n>`, a copy of `template` when given (see ``prepareTemplate(_:_:)``).
    public func createDatabase(template: String? = nil) async throws -> String {
        counter += 1
        let name = "t_\(counter)"
        try await psql("CREATE DATABASE \(name)" + (template.map { " TEMPLATE \($0)" } ?? ""))
        return name
    }

    /// Waits until no session is left on the template `name` (which takes no new ones), ending
    /// those still there after a second: `CREATE DATABASE … TEMPLATE` fails while one is. What
    /// it had to end is said once on stderr, as it is not expected (a closed store leaves none).
    private func closeSessions(on name: String) async throws {
        let sessions = "SELECT pid, backend_type, state, application_name, backend_start FROM pg_stat_activity WHERE datname = '\(name)'"
        for attempt in 0..<100 {
            let left = try await psql(sessions)
            if left.isEmpty { return }
            if attempt >= 20 {
                if attempt == 20 {
                    FileHandle.standardError.write(
                        Data("scorecard tests: ending sessions still open on \(name) a second after its store closed: \(left.split(separator: "\n").joined(separator: "; "))\n".utf8))
                }
                try await psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(name)'")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw PostgresClusterError("sessions on \(name) would not end: \(try await psql(sessions))")
    }

    /// Drops a database, closing any connection still open to it.
    public func dropDatabase(_ name: String) async throws {
        try await psql("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// Runs `sql` with `psql` on `database` and returns its unaligned, tuples-only output.
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres") async throws -> String {
        let cluster = try await running()
        let outcome = try await Subprocess.run(
            cluster.bin + "/psql",
            ["-X", "-q", "-A", "-t", "-h", "127.0.0.1", "-p", "\(cluster.port)", "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-c", sql])
        return outcome.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    // MARK: Starting

    private func running() async throws -> Running {
        if let starting { return try await starting.value }
        let task = Task { try await PostgresCluster.startCluster() }
        starting = task
        return try await task.value
    }

    /// Whether this process runs as root: then the cluster belongs to the `postgres` user
    /// (PostgreSQL refuses to run as root).
    static let asRoot = geteuid() == 0

    private static func startCluster() async throws -> Running {
        guard let bin = binDirectory() else {
            throw PostgresClusterError(
                "PostgreSQL binaries (initdb, pg_ctl, postgres, psql) not found in \(searchedDescription)"
                    + (ProcessInfo.processInfo.environment["CI"] == "true"
                        ? "; CI=true needs them: `.ci/run` installs postgresql-15" : "; install postgresql-15"))
        }
        sweepStaleClusters()
        let root = "/tmp/scorecard-pg-\(getpid())-\(UUID().uuidString.prefix(8).lowercased())"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: false)
        ClusterRegistry.record(root: root)  // removed at exit even if initdb fails half-way
        if asRoot {
            guard let user = getpwnam("postgres") else {
                throw PostgresClusterError("running as root needs the `postgres` OS user (created by the postgresql-15 package)")
            }
            guard chown(root, user.pointee.pw_uid, user.pointee.pw_gid) == 0 else {
                throw PostgresClusterError("cannot chown \(root) to postgres: \(String(cString: strerror(errno)))")
            }
        }
        let data = root + "/data"
        try await asOwner(bin + "/initdb", ["-D", data, "--auth=trust", "-U", "postgres", "--encoding=UTF8", "--locale=C", "--no-sync"])
        var lastError: (any Error)?
        for _ in 0..<5 {
            let port = try freePort()
            let options = Running.options(root: root, port: port)
            do {
                try await asOwner(bin + "/pg_ctl", ["-D", data, "-w", "-t", "60", "-l", root + "/log", "start", "-o", options])
                ClusterRegistry.record(root: root, postmasterPIDFile: data + "/postmaster.pid")
                return Running(root: root, port: port, bin: bin)
            } catch {
                // Most likely another process took the port between our probe and the bind: try another.
                let log = (try? String(contentsOfFile: root + "/log", encoding: .utf8)) ?? ""
                lastError = PostgresClusterError("\(error)\n\(log.split(separator: "\n").suffix(10).joined(separator: "\n"))")
            }
        }
        throw lastError ?? PostgresClusterError("the cluster did not start")
    }

    /// Runs a PostgreSQL tool as the cluster's owner: `postgres` through `runuser` when root,
    /// else the current user.
    private static func asOwner(_ tool: String, _ arguments: [String]) async throws {
        if asRoot {
            try await Subprocess.run("/usr/sbin/runuser", ["-u", "postgres", "--", tool] + arguments)
        } else {
            try await Subprocess.run(tool, arguments)
        }
    }

    /// A port the kernel just handed out on 127.0.0.1 (released again, so it may be taken by the
    /// time the server binds it: the caller retries).
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw PostgresClusterError("socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw PostgresClusterError("bind: \(String(cString: strerror(errno)))") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    // MARK: Outages

    /// Stops the server as a crash would (`pg_ctl -m immediate stop`), keeping its data: for tests
    /// of what a live server does while its database is away. Use a cluster of the test's own
    /// (`PostgresCluster()`), never ``shared``, which other tests are using.
    public func stopServer() async throws {
        let cluster = try await running()
        try await PostgresCluster.asOwner(cluster.bin + "/pg_ctl", ["-D", cluster.root + "/data", "-w", "-m", "immediate", "stop"])
    }

    /// Starts the server again after ``stopServer()``, on the same port.
    public func startServer() async throws {
        let cluster = try await running()
        try await PostgresCluster.asOwner(
            cluster.bin + "/pg_ctl",
            ["-D", cluster.root + "/data", "-w", "-t", "60", "-l", cluster.root + "/log", "start", "-o", Running.options(root: cluster.root, port: cluster.port)])
    }

    /// Stops the cluster for good and deletes it (the exit hook does this for clusters still running).
    public func destroy() async {
        guard let starting, let cluster = try? await starting.value else { return }
        self.starting = nil
        PostgresCluster.stopAndRemove(root: cluster.root, postmasterPIDFile: cluster.root + "/data/postmaster.pid")
        ClusterRegistry.forget(root: cluster.root)
    }

    // MARK: Stopping

    /// Stops the clusters of test processes that are gone (killed before their exit hook ran) and
    /// deletes their directories.
    static func sweepStaleClusters() {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []
        for entry in entries where entry.hasPrefix("scorecard-pg-") {
            let parts = entry.dropFirst("scorecard-pg-".count).split(separator: "-")
            guard parts.count == 2, let pid = pid_t(parts[0]), pid != getpid() else { continue }
            if kill(pid, 0) == 0 || errno == EPERM { continue }  // its test process is still running
            stopAndRemove(root: "/tmp/" + entry, postmasterPIDFile: "/tmp/\(entry)/data/postmaster.pid")
        }
    }

    /// What `pg_ctl -m immediate stop` does, without starting a process (this also runs in the
    /// exit hook): SIGQUIT to the postmaster, wait for it to go (SIGKILL after 10 s), delete the directory.
    static func stopAndRemove(root: String, postmasterPIDFile: String?) {
        if let postmasterPIDFile, let text = try? String(contentsOfFile: postmasterPIDFile, encoding: .utf8),
            let line = text.split(separator: "\n").first, let pid = pid_t(line.trimmingCharacters(in: .whitespaces)), pid > 1
        {
            if kill(pid, SIGQUIT) == 0 {
                var waited = 0
                while kill(pid, 0) == 0 {
                    if waited == 10_000 { kill(pid, SIGKILL) }
                    if waited > 15_000 { break }
                    usleep(10_000)
                    waited += 10
                }
            }
        }
        try? FileManager.default.removeItem(atPath: root)
    }
}

/// The clusters this process started, for the exit hook (which cannot await the actors).
enum ClusterRegistry {
    private struct Entry {
        var postmasterPIDFile: String?
    }

    private static let entries = Mutex<[String: Entry]>([:])
    private static let hook = Mutex(false)

    static func record(root: String, postmasterPIDFile: String? = nil) {
        entries.withLock { $0[root] = Entry(postmasterPIDFile: postmasterPIDFile) }
        let install = hook.withLock { installed in
            defer { installed = true }
            return !installed
        }
        if install { atexit { ClusterRegistry.stopAtExit() } }
    }

    static func forget(root: String) { _ = entries.withLock { $0.removeValue(forKey: root) } }

    static func stopAtExit() {
        let all = entries.withLock { e in
            defer { e = [:] }
            return e
        }
        for (root, entry) in all { PostgresCluster.stopAndRemove(root: root, postmasterPIDFile: entry.postmasterPIDFile) }
    }
}

/// The cluster could not be started or used.
public struct PostgresClusterError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
