/// A mirror failure with a code callers match on and a message a person can act on.
public struct MirrorError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable {
        /// The file exists but is not a Scorecard mirror.
        case notAMirror = "not_a_mirror"
        /// The file was written by a newer Scorecard.
        case newerSchema = "newer_schema"
        /// The file cannot be written (read-only, disk full, permissions).
        case unwritable
        /// The file could not be opened or read.
        case unreadable
        /// No such entry (an outbox entry, a conflict).
        case notFound = "not_found"
        /// The request does not fit the entry (e.g. `--set` on a cancel).
        case invalid
    }

    public var code: Code
    public var message: String
    /// The underlying error, if any.
    public var underlying: (any Error)?

    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String { message }
}
