import ScorecardServer
import ScorecardStoreSQLite

extension DatabaseLocation {
    /// Opens the store this location names.
    func open() throws -> any ServerStore {
        switch self {
        case .sqlite(let path): return try SQLiteStore(path: path)
        case .postgres:
            throw StoreError(
                .unsupported, "PostgreSQL storage is not implemented yet; use the embedded default (sqlite:PATH). See docs/operations.md.")
        }
    }
}
