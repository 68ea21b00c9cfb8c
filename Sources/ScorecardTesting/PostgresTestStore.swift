import Foundation
import Logging
import ScorecardServer
import ScorecardStorePostgres

/// Opens the PostgreSQL store the tests run on, quiet (tests never bootstrap logging).
enum PostgresTestStore {
    static func open(url: String) async throws -> any ServerStore {
        var logger = Logger(label: "test-postgres-store")
        logger.logLevel = .critical
        return try await PostgresStore.open(try PostgresSettings(url: url, environment: [:]), logger: logger)
    }
}
