import Foundation
import GRDB
import ScorecardCache
import ScorecardCore
import Synchronization
import Testing

/// Files that are not mirrors are refused without being touched; the schema matches the golden file.
@Suite struct MirrorFileTests {
    static func withTempDirectory(_ body: (String) throws -> Void) throws {
        let sandbox = try Sandbox.make()
        defer { sandbox.remove() }
        try body(sandbox.root.path)
    }

    static func expectNotAMirror(_ path: String, isWAL: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try #require(FileManager.default.contents(atPath: path), sourceLocation: sourceLocation)
        let attributesBefore = try FileManager.default.attributesOfItem(atPath: path)
        do {
            _ = try Mirror(path: path)
            Issue.record("opened a file that is not a mirror", sourceLocation: sourceLocation)
        } catch let error as MirrorError {
            #expect(error.code == .notAMirror, "\(error)", sourceLocation: sourceLocation)
            #expect(error.message.contains(path), sourceLocation: sourceLocation)
        }
        #expect(FileManager.default.contents(atPath: path) == before, "the file's bytes are unchanged", sourceLocation: sourceLocation)
        let attributesAfter = try FileManager.default.attributesOfItem(atPath: path)
        #expect(
            attributesAfter[.modificationDate] as? Date == attributesBefore[.modificationDate] as? Date, "not even rewritten",
            sourceLocation: sourceLocation)
        #expect(!FileManager.default.fileExists(atPath: path + "-journal"), sourceLocation: sourceLocation)
        // A WAL-mode database gets the empty -wal/-shm any SQLite reader creates; nothing is written to them.
        let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
        #expect(wal == 0, "nothing written to the WAL", sourceLocation: sourceLocation)
        if !isWAL {
            for suffix in ["-wal", "-shm"] {
                #expect(!FileManager.default.fileExists(atPath: path + suffix), "no \(suffix) left behind", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func aFileThatIsNotSQLiteIsRefusedUntouched() throws {
        try Self.withTempDirectory { dir in
            let path = dir + "/notes.sqlite"
            #expect(FileManager.default.createFile(atPath: path, contents: Data("my shopping list\nmilk\neggs\n".utf8)))
            try Self.expectNotAMirror(path)
            // Short files too (shorter than the 16-byte SQLite header).
            let short = dir + "/short.sqlite"
            #expect(FileManager.default.createFile(atPath: short, contents: Data("SQLite".utf8)))
            try Self.expectNotAMirror(short)
        }
    }

    @Test(arguments: ["DELETE", "WAL"])
    func anotherApplicationsSQLiteFileIsRefusedUntouched(journalMode: String) throws {
        try Self.withTempDirectory { dir in
            let path = dir + "/other.sqlite"
            do {
                let queue = try DatabaseQueue(path: path)
                try queue.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA journal_mode = \(journalMode)")
                    try db.execute(sql: "CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
                    try db.execute(sql: "INSERT INTO recipes(name) VALUES ('bread'), ('soup')")
                }
                try queue.close()
            }
            try Self.expectNotAMirror(path, isWAL: journalMode == "WAL")
        }
    }

    /// `kill -9` between GRDB creating `grdb_migrations` and the first migration's commit leaves a
    /// file with no application_id and only GRDB's table: still ours, opened and migrated.
    @Test(arguments: ["DELETE", "WAL"])
    func aMirrorKilledWhileBeingCreatedStillOpens(journalMode: String) throws {
        try Self.withTempDirectory { dir in
            let path = dir + "/agent.sqlite"
            do {
                let queue = try DatabaseQueue(path: path)
                try queue.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA journal_mode = \(journalMode)")
                    try db.execute(sql: "CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
                }
                try queue.close()
            }
            let mirror = try Mirror(path: path)
            try mirror.bind(server: "http://127.0.0.1:1", person: "a1")
            #expect(try mirror.cursor() == 0)
            #expect(try mirror.schemaSQL() == (try Mirror(path: dir + "/fresh.sqlite").schemaSQL()))
        }
    }

    @Test func aSQLiteFileWithAnotherApplicationIDIsRefused() throws {
        try Self.withTempDirectory { dir in
            let path = dir + "/tagged.sqlite"
            do {
                let queue = try DatabaseQueue(path: path)
                try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA application_id = 1234") }
                try queue.close()
            }
            try Self.expectNotAMirror(path)
        }
    }

    @Test func aMirrorReopensAndIsPrivate() throws {
        try Self.withTempDirectory { dir in
            let path = dir + "/nested/dir/agent.sqlite"
            do {
                let mirror = try Mirror(path: path)
                try mirror.bind(server: "http://127.0.0.1:1", person: "a1")
                try mirror.enqueue(.ackReview(reviewID: "r1", acknowledgedAt: "2026-11-20T10:00:00Z"), id: "m1")
            }
            let reopened = try Mirror(path: path)
            #expect(try reopened.personID() == "a1")
            #expect(try reopened.outboxIDs() == ["m1"])
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            do {
                try reopened.bind(server: "http://127.0.0.1:1", person: "someone-else")
                Issue.record("a mirror of a1 was rebound to another person")
            } catch let error as MirrorError {
                #expect(error.code == .notAMirror)
            }
        }
    }

    /// Several commands meeting a mirror that is not there yet: one creates it, the others wait for
    /// it and open it; none fails, and one file with the whole schema results (each opener has its
    /// own descriptor, so the lock excludes them exactly as it excludes processes).
    @Test func concurrentFirstOpensAllSucceed() throws {
        try Self.withTempDirectory { dir in
            for round in 0..<10 {
                let path = dir + "/round-\(round)/agent.sqlite"
                let failures = Mutex<[String]>([])
                DispatchQueue.concurrentPerform(iterations: 6) { i in
                    do {
                        let mirror = try Mirror(path: path, concurrentReads: i % 2 == 0)
                        _ = try mirror.outboxIDs()
                    } catch {
                        failures.withLock { $0.append("\(error)") }
                    }
                }
                #expect(failures.withLock { $0 } == [], "round \(round)")
                let mirror = try Mirror(path: path)
                #expect(try mirror.outboxIDs() == [])
                #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o600)
            }
        }
    }

    /// `cache/schema.sql` is the mirror's schema contract; a fresh mirror must match it byte for byte.
    @Test func schemaMatchesTheGoldenFile() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let golden = root.appendingPathComponent("cache/schema.sql").path
        let expected = try #require(FileManager.default.contents(atPath: golden), "missing \(golden)")
        try Self.withTempDirectory { dir in
            let schema = try Mirror(path: dir + "/fresh.sqlite").schemaSQL()
            #expect(Data(schema.utf8) == expected, "cache/schema.sql differs from the mirror's schema:\n\(schema)")
        }
    }
}
