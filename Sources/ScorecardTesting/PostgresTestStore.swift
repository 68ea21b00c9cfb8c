import Foundation
import ScorecardServer

/// Opens the PostgreSQL store the tests run on.
///
/// `ScorecardStorePostgres` is not on this branch yet: until it lands, opening one fails with
/// this sentence, so every PostgreSQL test fails saying why (run `SCORECARD_TEST_BACKENDS=sqlite`).
enum PostgresTestStore {
    static func open(url: String) async throws -> any ServerStore {
        throw PostgresClusterError("PostgresStore is not on this branch yet (ScorecardStorePostgres); cannot open \(url)")
    }
}
