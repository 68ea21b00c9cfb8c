/// What Tab completes for one command: its positional arguments in order and its options.
public struct CompletionSpec: Sendable {
    /// The kind of word a position or option takes.
    public enum Value: Sendable, Equatable {
        /// A flag: no value.
        case none
        /// One of these words.
        case words([String])
        /// A period word, a date or a `FROM..TO` range.
        case period
        /// A single day: a date, `today` or `yesterday`.
        case day
        /// A review id from the mirror.
        case reviewID
        /// A goal id from the mirror.
        case goalID
        /// An account (`host/person`).
        case account
        /// A command name (for `help`).
        case command
        /// `METRIC=VALUE`: the catalogue's scored metric keys, each offered as `key=` (not yet on the line).
        case metricAssignment
        /// Free text or a number: nothing to offer.
        case free
    }

    public var arguments: [Value]
    public var options: [String: Value]
    /// The last positional argument repeats (`scores what-if M=V M=V …`).
    public var repeatsLast: Bool

    public init(arguments: [Value] = [], options: [String: Value] = [:], repeatsLast: Bool = false) {
        self.arguments = arguments
        self.options = options
        self.repeatsLast = repeatsLast
    }

    /// `--format table|csv|json`, which every reading command takes.
    public static let formatOption: [String: Value] = ["--format": .words(OutputFormat.allCases.map(\.rawValue)), "--help": .none]
}

/// One completion candidate: the text inserted, and a short label shown when listing.
public struct Completion: Sendable, Equatable {
    public var value: String
    public var label: String?

    public init(_ value: String, label: String? = nil) {
        self.value = value
        self.label = label
    }
}

/// Where completion finds ids: the mirror in the shell, fixed lists in tests.
public protocol CompletionSource: Sendable {
    /// Review ids with labels such as `2026-W46 · 64.0 · not acknowledged`.
    func reviews() -> [Completion]
    /// Goal ids with their labels.
    func goals() -> [Completion]
    /// Account keys.
    func accounts() -> [String]
}
