import Foundation
import ScorecardCore
import ScorecardServer
import ScorecardStoreSQLite
import Testing

/// `docs/openapi.yaml` documents exactly the routes the server registers.
@Suite("OpenAPI agreement")
struct OpenAPITests {
    struct Route: Hashable, CustomStringConvertible {
        var method: String
        var path: String
        var description: String { "\(method) \(path)" }
    }

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath)  // …/Tests/ScorecardServerTests/OpenAPITests.swift
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// (METHOD, path) pairs of the `paths:` section: path keys are indented two spaces, methods four.
    static func documentedRoutes() throws -> Set<Route> {
        let text = try String(contentsOf: packageRoot.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)
        let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]
        var routes = Set<Route>()
        var inPaths = false
        var currentPath: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if !line.isEmpty, !line.hasPrefix(" "), !line.hasPrefix("#") {
                inPaths = line.hasPrefix("paths:")
                currentPath = nil
                continue
            }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), !line.hasPrefix("   "), line.hasSuffix(":") {
                currentPath = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let key = String(line.dropFirst(4).dropLast())
                if methods.contains(key), let path = currentPath { routes.insert(Route(method: key.uppercased(), path: path)) }
            }
        }
        return routes
    }

    /// SQLite only: the route table does not depend on the store (nothing is read or written).
    @Test func documentedRoutesEqualRegisteredRoutes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scorecard-openapi-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("server.sqlite").path)
        let services = ServerServices(store: store, configuration: ServerConfiguration())
        let table = ScorecardApplication.router(services: services).1
        let registered = Set(table.entries.map { Route(method: $0.method.rawValue, path: $0.path) })
        #expect(registered.count == table.entries.count, "no route registered twice")

        let documented = try Self.documentedRoutes()
        #expect(documented.count >= 12, "the parser found the paths section")
        let undocumented = registered.subtracting(documented).map(\.description).sorted()
        let unimplemented = documented.subtracting(registered).map(\.description).sorted()
        #expect(undocumented.isEmpty, "registered but not in docs/openapi.yaml: \(undocumented)")
        #expect(unimplemented.isEmpty, "in docs/openapi.yaml but not registered: \(unimplemented)")
        #expect(documented.contains(Route(method: "DELETE", path: "/api/v1/calls/{id}")))
    }
}
