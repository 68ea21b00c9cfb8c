/// A storage failure a caller can act on.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, for matching.
    public enum Code: String, Sendable {
        case conflict, notFound = "not_found", cursorExpired = "cursor_expired", invalid, unsupported, forbidden
        /// The database cannot be reached now (restarting, overloaded); retrying later can succeed.
        case unavailable
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
