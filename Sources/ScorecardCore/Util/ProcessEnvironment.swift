#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Environment variables, read one at a time.
///
/// The process's own environment is read with `getenv`. `ProcessInfo.processInfo.environment`
/// copies every variable into a dictionary and initialises Foundation's process info first: on
/// `scorecard -c "stats month"` that was a third of the whole process (docs/performance.md).
/// Tests build one from a dictionary literal.
public struct ProcessEnvironment: Sendable, ExpressibleByDictionaryLiteral {
    private let lookup: @Sendable (String) -> String?

    /// This process's environment.
    public static let current = ProcessEnvironment { name in getenv(name).map { String(cString: $0) } }

    private init(lookup: @escaping @Sendable (String) -> String?) {
        self.lookup = lookup
    }

    /// Fixed values, for tests.
    public init(_ values: [String: String]) {
        self.lookup = { values[$0] }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    /// The value of `name`, or nil when it is not set.
    public subscript(name: String) -> String? { lookup(name) }
}
