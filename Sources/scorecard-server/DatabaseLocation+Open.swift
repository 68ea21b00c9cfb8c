import Logging
import ScorecardServer
import ScorecardStorePostgres
import ScorecardStoreSQLite

extension DatabaseLocation {
    /// Opens the store this location names: the one place that knows every backend.
    func open(logger: Logger) async throws -> any ServerStore {
        switch self {
        case .sqlite(let path): return try SQLiteStore(path: path)
        case .postgres(let url): return try await PostgresStore.open(try PostgresSettings(url: url), logger: logger)
        }
    }
}
