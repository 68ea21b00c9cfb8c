import Foundation
import ScorecardServer

/// A store without a server, on its own fresh database, for service-level tests (scoring,
/// reviews, the scheduler) on either backend.
///
/// ```swift
/// try await TestStore.with(.postgres) { store, temp in
///     try await ScoringJob(store: store, logger: logger).score(period: week)
///     #expect(try await temp.count("SELECT COUNT(*) FROM snapshots") == 1)
/// }
/// ```
public final class TestStore: Sendable {
    public let store: any ServerStore
    public let database: TestDatabase

    public var backend: TestBackend { database.backend }

    private init(store: any ServerStore, database: TestDatabase) {
        self.store = store
        self.database = database
    }

    /// Opens a store on a fresh database. On PostgreSQL it holds one of ``TestServerSlots``' slots
    /// until ``remove()``, so that stores and servers together keep to a few pools at a time.
    public static func open(_ backend: TestBackend) async throws -> TestStore {
        if backend == .postgres { await TestServerSlots.shared.acquire() }
        do {
            let database = try await TestDatabase.create(backend)
            do {
                return TestStore(store: try await database.openStore(), database: database)
            } catch {
                await database.remove()
                throw error
            }
        } catch {
            if backend == .postgres { await TestServerSlots.shared.release() }
            throw error
        }
    }

    /// Counts rows with plain SQL outside the store (see ``TestDatabase/count(_:)``).
    public func count(_ sql: String) async throws -> Int { try await database.count(sql) }

    /// Closes the store and removes its database. Call it once.
    public func remove() async {
        await store.close()
        await database.remove()
        if backend == .postgres { await TestServerSlots.shared.release() }
    }

    /// Opens a store on `backend`, runs `body`, and removes the store whether `body` returned or threw.
    public static func with<R>(_ backend: TestBackend, _ body: (any ServerStore, TestStore) async throws -> R) async throws -> R {
        let temp = try await open(backend)
        do {
            let result = try await body(temp.store, temp)
            await temp.remove()
            return result
        } catch {
            await temp.remove()
            throw error
        }
    }
}
