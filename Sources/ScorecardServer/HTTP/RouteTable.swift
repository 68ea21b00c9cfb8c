import Hummingbird

/// The (method, path) pairs the server registers; used for 405 answers and checked against
/// `docs/openapi.yaml` by a test.
public struct RouteTable: Sendable {
    /// One registered route; `path` uses `{name}` for parameters.
    public struct Entry: Sendable, Hashable {
        public var method: HTTPRequest.Method
        public var path: String
    }

    /// The API's routes (documented in `docs/openapi.yaml`).
    public private(set) var entries: [Entry] = []
    /// The web pages' routes (documented in `docs/web.md`).
    public private(set) var pages: [Entry] = []

    mutating func add(_ method: HTTPRequest.Method, _ path: String) { entries.append(Entry(method: method, path: path)) }
    mutating func addPage(_ method: HTTPRequest.Method, _ path: String) { pages.append(Entry(method: method, path: path)) }

    /// The methods registered for a concrete request path, as the router resolves it: segment by
    /// segment a literal beats a parameter, so `/reviews/generate` is the literal route (`POST`)
    /// and not also `GET /reviews/{id}`.
    func methods(for path: String) -> Set<HTTPRequest.Method> {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        var matches: [(pattern: [Substring], method: HTTPRequest.Method)] = []
        for entry in entries + pages {
            let pattern = entry.path.split(separator: "/", omittingEmptySubsequences: true)
            guard pattern.count == parts.count else { continue }
            if zip(pattern, parts).allSatisfy({ $0.first == "{" || $0 == $1 }) { matches.append((pattern, entry.method)) }
        }
        // The router's choice: the most literal pattern, compared from the first segment on.
        func literals(_ pattern: [Substring]) -> [Bool] { pattern.map { $0.first != "{" } }
        guard let best = matches.map({ literals($0.pattern) }).max(by: { $0.lexicographicallyPrecedes($1) { !$0 && $1 } }) else { return [] }
        return Set(matches.filter { literals($0.pattern) == best }.map(\.method))
    }
}
