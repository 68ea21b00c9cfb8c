import Foundation

/// The storage backend a test runs on. Tests that start a server or a store take one as an
/// argument, so one set of tests covers both:
///
/// ```swift
/// @Test(arguments: TestBackend.all)
/// func loginReturnsAToken(backend: TestBackend) async throws {
///     try await withServer(backend: backend) { server in … }
/// }
/// ```
public enum TestBackend: String, CaseIterable, Sendable, CustomStringConvertible {
    /// A SQLite file in a fresh temp directory.
    case sqlite
    /// A fresh database of the process's throwaway PostgreSQL cluster (``PostgresCluster``).
    case postgres

    /// Shown in test names: `sqlite`, `postgres`.
    public var description: String { rawValue }

    /// The backends this run covers: both, unless `SCORECARD_TEST_BACKENDS` names some
    /// (`sqlite`, `postgres`, comma-separated), or the PostgreSQL binaries are missing outside CI
    /// (then SQLite only, said once on stderr). Under `CI=true`, or when `SCORECARD_TEST_BACKENDS`
    /// asks for it, PostgreSQL stays in even without binaries, so its tests fail saying why.
    public static let all: [TestBackend] = {
        let environment = ProcessInfo.processInfo.environment
        let selection = select(environment: environment, postgresFound: PostgresCluster.binDirectory(environment: environment) != nil)
        if let message = selection.message {
            FileHandle.standardError.write(Data("scorecard tests: \(message)\n".utf8))
        }
        return selection.backends
    }()

    /// The rule behind ``all``, as a function of the environment and of whether the PostgreSQL
    /// binaries were found; `message` is what to tell the person running the tests, if anything.
    public static func select(environment: [String: String], postgresFound: Bool) -> (backends: [TestBackend], message: String?) {
        var requested = TestBackend.allCases
        var explicit = false
        var notes: [String] = []
        if let list = environment["SCORECARD_TEST_BACKENDS"]?.trimmingCharacters(in: .whitespaces), !list.isEmpty {
            let names = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
            let unknown = names.filter { TestBackend(rawValue: $0) == nil }
            if !unknown.isEmpty {
                notes.append("SCORECARD_TEST_BACKENDS: unknown backend \(unknown.joined(separator: ", ")) ignored (known: sqlite, postgres)")
            }
            let known = TestBackend.allCases.filter { names.contains($0.rawValue) }
            if !known.isEmpty {
                requested = known
                explicit = true
            }
        }
        if requested.contains(.postgres), !postgresFound, !explicit, environment["CI"] != "true" {
            requested.removeAll { $0 == .postgres }
            notes.append(
                "PostgreSQL 15 binaries not found in \(PostgresCluster.searchedDescription); the PostgreSQL half of the suite is skipped")
        }
        return (requested, notes.isEmpty ? nil : notes.joined(separator: "\n"))
    }
}
