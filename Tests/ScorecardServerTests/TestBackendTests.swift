import Foundation
import ScorecardTesting
import Testing

/// The test support itself: which backends a run covers, and the throwaway PostgreSQL cluster.
@Suite("Test backends")
struct TestBackendTests {
    @Test func bothBackendsByDefault() {
        let selection = TestBackend.select(environment: [:], postgresFound: true)
        #expect(selection.backends == [.sqlite, .postgres])
        #expect(selection.message == nil)
    }

    @Test func missingPostgresOutsideCISkipsItsHalfWithOneMessage() throws {
        let selection = TestBackend.select(environment: [:], postgresFound: false)
        #expect(selection.backends == [.sqlite])
        let message = try #require(selection.message)
        #expect(message.contains("PostgreSQL 15 binaries not found"))
        #expect(message.contains("the PostgreSQL half of the suite is skipped"))
    }

    @Test func missingPostgresUnderCIKeepsItSoItsTestsFail() {
        let selection = TestBackend.select(environment: ["CI": "true"], postgresFound: false)
        #expect(selection.backends == [.sqlite, .postgres])
        #expect(selection.message == nil)
    }

    @Test(arguments: [
        ("sqlite", true, [TestBackend.sqlite]),
        ("postgres", true, [.postgres]),
        (" Postgres , sqlite ", true, [.sqlite, .postgres]),
        ("postgres", false, [.postgres]),  // asked for by name: kept, so its tests say what is missing
        ("sqlite,mysql", true, [.sqlite]),
        ("mysql", true, [.sqlite, .postgres]),
    ])
    func backendsNamedInTheEnvironment(_ example: (String, Bool, [TestBackend])) {
        let (list, found, expected) = example
        let selection = TestBackend.select(environment: ["SCORECARD_TEST_BACKENDS": list], postgresFound: found)
        #expect(selection.backends == expected)
        #expect((selection.message?.contains("unknown backend mysql") ?? false) == list.contains("mysql"))
    }

    @Test func binariesAreFoundWhereSCORECARD_PG_BINSays() {
        #expect(PostgresCluster.candidateBinDirectories(environment: ["SCORECARD_PG_BIN": "/opt/pg/bin"]) == ["/opt/pg/bin"])
        #expect(PostgresCluster.binDirectory(environment: ["SCORECARD_PG_BIN": "/nonexistent"]) == nil)
        #expect(PostgresCluster.candidateBinDirectories(environment: [:]).first == "/usr/lib/postgresql/15/bin")
    }

    /// The cluster on its own: databases copied from a template, queried and dropped with psql.
    @Test(.enabled(if: TestBackend.all.contains(.postgres), "the PostgreSQL half of the suite is skipped"))
    func clusterCopiesATemplateIntoFreshDatabases() async throws {
        let cluster = PostgresCluster.shared
        let port = try await cluster.start()
        #expect(port > 0)
        try await cluster.prepareTemplate("cluster_test_template") { _ in
            try await cluster.psql("CREATE TABLE seeded (id INTEGER PRIMARY KEY); INSERT INTO seeded VALUES (1), (2)", database: "cluster_test_template")
        }
        let a = try await cluster.createDatabase(template: "cluster_test_template")
        let b = try await cluster.createDatabase(template: "cluster_test_template")
        #expect(a != b)
        #expect(try await cluster.psql("SELECT 1", database: a) == "1")
        try await cluster.psql("INSERT INTO seeded VALUES (3)", database: a)
        #expect(try await cluster.psql("SELECT COUNT(*) FROM seeded", database: a) == "3")
        #expect(try await cluster.psql("SELECT COUNT(*) FROM seeded", database: b) == "2", "each copy is its own")
        #expect(try await cluster.url(database: a, poolSize: 3) == "postgres://postgres@127.0.0.1:\(port)/\(a)?pool_size=3")
        try await cluster.dropDatabase(a)
        try await cluster.dropDatabase(b)
        let left = try await cluster.psql("SELECT COUNT(*) FROM pg_database WHERE datname IN ('\(a)', '\(b)')")
        #expect(left == "0")
        // The template takes no connections (so copies never wait for one to close).
        await #expect(throws: (any Error).self) { try await cluster.psql("SELECT 1", database: "cluster_test_template") }
    }

    /// A server on PostgreSQL gets a migrated database of its own, dropped when it stops.
    @Test(.enabled(if: TestBackend.all.contains(.postgres), "the PostgreSQL half of the suite is skipped"))
    func aPostgresServerHasItsOwnDatabaseUntilItStops() async throws {
        let server = try await TestServer.start(backend: .postgres)
        let name = try #require(server.database.postgresName)
        let exists = "SELECT COUNT(*) FROM pg_database WHERE datname = '\(name)'"
        #expect(try await PostgresCluster.shared.psql(exists) == "1")
        #expect(server.database.postgresURL?.hasSuffix("/\(name)?pool_size=\(TestDatabase.postgresPoolSize)") == true)
        #expect(try await server.count("SELECT COUNT(*) FROM people") == 0)
        try await server.addPerson("agent-1")
        #expect(try await server.count("SELECT COUNT(*) FROM people WHERE active = true") == 1)
        await server.stop()
        #expect(try await PostgresCluster.shared.psql(exists) == "0")
    }
}
