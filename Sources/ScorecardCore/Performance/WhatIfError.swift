/// Why a what-if cannot be computed: a code to match on and a one-line message.
public struct WhatIfError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: Sendable, Equatable {
        /// Nothing to change, or a word that is not `METRIC=VALUE`.
        case malformed
        /// A key that is not one of the catalogue's scored metrics.
        case unknownMetric
        /// A value that is not a number, negative, a percentage over 100, a rating outside 1–5
        /// or a count that is not whole.
        case badValue
        /// The same metric given twice.
        case repeated
        /// A metric of a domain the week has no score in (no activity in it that week).
        case domainNotScored
        /// A metric compared with a team baseline, in a snapshot scored before baselines were stored.
        case baselinesNotStored
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// True when the error is in what was typed (the shell's exit 2), false when it is in the
    /// week the what-if is computed on (exit 1).
    public var isUsage: Bool { code != .domainNotScored && code != .baselinesNotStored }

    public var description: String { message }
}
