import Foundation
import GRDB
import ScorecardCore

/// The client's local SQLite mirror of one account: server truth, the sync cursor and the outbox.
///
/// One file per account at `$XDG_DATA_HOME/scorecard/<server-host>/<person>.sqlite`, created 0600,
/// in WAL mode. Every page is applied in one transaction together with its cursor, so a crash at
/// any instant leaves the mirror at a page boundary.
public final class Mirror: Sendable {
    /// The file.
    public let path: String
    /// A `DatabasePool` (concurrent reads) or a `DatabaseQueue` (one connection).
    let pool: any DatabaseWriter

    /// Opens (creating when needed) the mirror at `path`.
    ///
    /// Refuses files that are not Scorecard mirrors and files written by a newer Scorecard,
    /// without writing to them.
    ///
    /// - Parameter concurrentReads: true (a pool of connections) when reads must go on while a
    ///   sync writes in the same process, as in the interactive shell with its background sync;
    ///   false for a single connection, which opens in about half the time (a one-shot command
    ///   or a script). Either way other processes may read and write the file at the same time.
    public init(path: String, concurrentReads: Bool = true) throws {
        self.path = path
        let fm = FileManager.default
        // `stat`, not FileManager's attributes: those look up the owner's user and group names
        // (NSS: /etc/nsswitch.conf, passwd, group) at every command.
        let size = Mirror.fileSize(path)
        let isNew = (size ?? 0) == 0
        if isNew {
            let directory = (path as NSString).deletingLastPathComponent
            do {
                try fm.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw MirrorError(.unwritable, "cannot create \(directory): \(error.localizedDescription)", underlying: error)
            }
        } else {
            try Mirror.checkHeader(path)
        }
        // Two commands may meet a mirror that is not there yet (or not yet migrated): the file is
        // created in place (never replaced: a command already writing it keeps its file), and the
        // first to take this lock sets it up while the others wait and then find it ready. An
        // advisory `flock` on the file itself, independent of SQLite's own (fcntl) locks; a mirror
        // that is current never takes it.
        let creation = isNew ? try CreationLock(path: path) : nil
        defer { creation?.release() }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // NORMAL: a commit is durable once the WAL is synced at checkpoint; a kill never corrupts.
            // A larger checkpoint interval keeps bulk syncs from fsyncing after every page.
            try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 16384")
        }
        do {
            // A new file gets the pool, which switches it to WAL mode; a queue opens it in whatever
            // mode the file has, and every mirror is WAL from its creation.
            if concurrentReads || isNew {
                pool = try DatabasePool(path: path, configuration: configuration)
            } else {
                pool = try DatabaseQueue(path: path, configuration: configuration)
            }
        } catch {
            throw MirrorError(.unreadable, "cannot open the mirror at \(path): \(error)", underlying: error)
        }
        let current = try pool.read { db in
            let appID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
            let tables = try Int.fetchOne(db, sql: Mirror.foreignObjectsSQL) ?? 0
            if appID != MirrorSchema.applicationID && (appID != 0 || tables > 0) {
                throw MirrorError(.notAMirror, "\(path) is not a Scorecard mirror; move it away or remove it")
            }
            if try MirrorSchema.migrator.hasBeenSuperseded(db) {
                throw MirrorError(.newerSchema, "\(path) was written by a newer Scorecard; upgrade this client (the file was left untouched)")
            }
            return try MirrorSchema.migrator.hasCompletedMigrations(db)
        }
        // Nothing to migrate in the usual case: no write transaction at every command.
        if current { return }
        let upgrade = creation == nil ? try CreationLock(path: path) : nil
        defer { upgrade?.release() }
        do {
            // Under the lock: what another command migrated meanwhile is not migrated again.
            try MirrorSchema.migrator.migrate(pool)
            for suffix in ["-wal", "-shm"] { try? fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path + suffix) }
        } catch let error as DatabaseError {
            throw Mirror.writeError(error, path: path)
        }
    }

    /// An exclusive `flock` on the mirror file, held while it is created or migrated.
    struct CreationLock {
        let descriptor: Int32

        /// Opens (creating it, 0600, when missing; never truncating) and locks the file at `path`.
        init(path: String) throws {
            descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else {
                throw MirrorError(
                    .unwritable, "cannot create the mirror at \(path) (\(String(cString: strerror(errno)))); check the directory's permissions and free space")
            }
            while flock(descriptor, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    let reason = String(cString: strerror(errno))
                    close(descriptor)
                    throw MirrorError(.unwritable, "cannot lock \(path) to create the mirror: \(reason)")
                }
            }
        }

        func release() {
            flock(descriptor, LOCK_UN)
            close(descriptor)
        }
    }

    /// Schema objects that are neither SQLite's nor GRDB's own. A mirror killed between GRDB creating
    /// `grdb_migrations` and the first migration's commit has only those, and is still ours.
    static let foreignObjectsSQL = #"SELECT COUNT(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite\_%' ESCAPE '\' AND name NOT LIKE 'grdb\_%' ESCAPE '\'"#

    /// Refuses a non-SQLite file, or another application's database, before the pool opens it:
    /// opening a pool switches a rollback-journal file to WAL and writes to it.
    static func checkHeader(_ path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw MirrorError(.unreadable, "cannot read \(path); check its permissions")
        }
        defer { try? handle.close() }
        let header = [UInt8]((try? handle.read(upToCount: 100)) ?? Data())
        guard header.count == 100, header.prefix(16).elementsEqual("SQLite format 3\0".utf8) else {
            throw MirrorError(.notAMirror, "\(path) is not a Scorecard mirror (not even SQLite); move it away or remove it")
        }
        let appID = Int32(bitPattern: header[68...71].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })  // big-endian, offset 68
        if appID == MirrorSchema.applicationID { return }
        if appID != 0 { throw MirrorError(.notAMirror, "\(path) is not a Scorecard mirror; move it away or remove it") }
        // No application_id: ours only if it holds nothing but SQLite's and GRDB's objects. With a
        // non-empty WAL the main file is not the whole story; the pool (which then writes nothing)
        // and the check after opening decide.
        guard (fileSize(path + "-wal") ?? 0) == 0 else { return }
        var configuration = Configuration()
        configuration.readonly = true
        guard let queue = try? DatabaseQueue(path: path, configuration: configuration) else { return }
        let objects = try? queue.read { db in try Int.fetchOne(db, sql: foreignObjectsSQL) }
        try? queue.close()
        if let objects, objects > 0 {
            throw MirrorError(.notAMirror, "\(path) is not a Scorecard mirror; move it away or remove it")
        }
    }

    /// The size of the file at `path`, nil when there is none.
    static func fileSize(_ path: String) -> Int? {
        var status = stat()
        return stat(path, &status) == 0 ? Int(status.st_size) : nil
    }

    static func writeError(_ error: DatabaseError, path: String) -> MirrorError {
        if error.resultCode == .SQLITE_IOERR, let reason = noRoom(path) {
            return MirrorError(.unwritable, "cannot write \(path): \(reason); nothing was written", underlying: error)
        }
        switch error.resultCode {
        case .SQLITE_FULL: return MirrorError(.unwritable, "the disk holding \(path) is full; nothing was written", underlying: error)
        case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_IOERR:
            return MirrorError(.unwritable, "cannot write \(path) (read-only or I/O error); nothing was written", underlying: error)
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return MirrorError(.notAMirror, "\(path) is damaged or not a Scorecard mirror; move it away and sync again", underlying: error)
        default: return MirrorError(.unreadable, "mirror error: \(error.message ?? "\(error)")", underlying: error)
        }
    }

    /// Why a write to the mirror at `path` found no room, when that is why: SQLite reports a write
    /// refused for want of space or by the file size limit (`ulimit -f`, EFBIG) as an I/O error.
    static func noRoom(_ path: String) -> String? {
        let directory = (path as NSString).deletingLastPathComponent
        var fs = statvfs()
        if statvfs(directory, &fs) == 0, UInt64(fs.f_bavail) * UInt64(fs.f_frsize) < 1 << 20 {
            return "the disk is full"
        }
        var limit = rlimit()
        if getrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max {
            let largest = max(fileSize(path) ?? 0, fileSize(path + "-wal") ?? 0)
            if UInt64(largest) + 65_536 >= UInt64(limit.rlim_cur) {
                return "the file size limit (ulimit -f, \(limit.rlim_cur) bytes) is reached"
            }
        }
        return nil
    }

    /// Runs a write transaction, mapping SQLite failures to ``MirrorError``.
    func write<T>(_ block: (Database) throws -> T) throws -> T {
        do {
            return try pool.write(block)
        } catch let error as DatabaseError {
            throw Mirror.writeError(error, path: path)
        }
    }

    /// Runs a read on a snapshot.
    func read<T>(_ block: (Database) throws -> T) throws -> T {
        do {
            return try pool.read(block)
        } catch let error as DatabaseError {
            throw Mirror.writeError(error, path: path)
        }
    }
}

// MARK: - Meta

/// The keys of the `meta` table.
public enum MetaKey: String, Sendable, CaseIterable {
    case server, person, cursor, clientID = "client_id"
    case lastSyncAt = "last_sync_at", lastSyncResult = "last_sync_result"
    /// Set while a full resync is in progress: its cursor in the fresh tables.
    case resyncCursor = "resync_cursor"
    /// The feed mark of the cursor, and of a full resync's cursor (docs/sync.md, "Feed marks").
    case feedMark = "feed_mark", resyncMark = "resync_mark"
    /// A new mirror's window (``Mirror/apply(_:window:)``): the first day whose calls, and the
    /// first day whose day summaries, it holds in full.
    case windowCallsFrom = "window_calls_from", windowSummariesFrom = "window_summaries_from"
    /// Set while the history behind the window is still coming: the feed's head when the window
    /// was read (the history's progress is the cursor against it).
    case historyHead = "history_head"
    /// When the mirror was last verified against the server (`scorecard verify`, or the shell's
    /// daily check), and what it found: `ok` or `differs: …`.
    case lastVerifyAt = "last_verify_at", lastVerifyResult = "last_verify_result"
}

extension Mirror {
    /// One meta value.
    public func meta(_ key: MetaKey) throws -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key.rawValue]) }
    }

    /// Sets meta values in one transaction (nil removes).
    public func setMeta(_ values: [MetaKey: String?]) throws {
        try write { db in
            for (key, value) in values { try Mirror.setMeta(db, key, value) }
        }
    }

    static func setMeta(_ db: Database, _ key: MetaKey, _ value: String?) throws {
        if let value {
            try db.execute(
                sql: "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                arguments: [key.rawValue, value])
        } else {
            try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: [key.rawValue])
        }
    }

    /// Binds a new mirror to its server and person; checks an existing one belongs to them.
    public func bind(server: String, person: String) throws {
        try write { db in
            let existing = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'person'")
            if let existing, existing != person {
                throw MirrorError(.notAMirror, "\(path) mirrors '\(existing)', not '\(person)'")
            }
            try Mirror.setMeta(db, .server, server)
            try Mirror.setMeta(db, .person, person)
            if try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'client_id'") == nil {
                try Mirror.setMeta(db, .clientID, UUID().uuidString.lowercased())
            }
            if try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'cursor'") == nil {
                try Mirror.setMeta(db, .cursor, "0")
            }
        }
    }

    /// The pull cursor (0 for a fresh mirror).
    public func cursor() throws -> Int64 { Int64(try meta(.cursor) ?? "0") ?? 0 }

    /// Records a sync's outcome.
    public func recordSync(result: String, at time: String = Timestamp.now()) throws {
        try setMeta([.lastSyncAt: time, .lastSyncResult: result])
    }
}
