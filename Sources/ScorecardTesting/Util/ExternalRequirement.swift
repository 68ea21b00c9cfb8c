import Foundation
import Synchronization

/// The one rule for tests that need something outside Swift (a browser, a model server): run them
/// when it is there; otherwise skip them with one note per process, except on CI (`CI=true` or
/// `1`), where its absence is a failure (a test records ``ciFailure``).
public final class ExternalRequirement: Sendable {
    /// What the tests are, as the notes name them ("browser tests").
    let tests: String
    /// How to get what is missing, for the skip note.
    let remedy: String
    private let reason: @Sendable () -> String?
    private let noted = Atomic<Bool>(false)

    /// `reason` says why the thing is missing, nil when it is there.
    public init(tests: String, remedy: String, reason: @escaping @Sendable () -> String?) {
        self.tests = tests
        self.remedy = remedy
        self.reason = reason
    }

    /// Why the tests cannot run here, nil when they can.
    public var unavailableReason: String? { reason() }

    /// Whether a missing requirement fails the run: `CI` is `true` (or `1`).
    public static var isRequired: Bool {
        let value = ProcessInfo.processInfo.environment["CI"]?.lowercased()
        return value == "true" || value == "1"
    }

    /// Whether the tests can run. When they cannot, the first call prints ``skipNote(_:)`` to
    /// standard error (once per process, however many suites ask).
    public var canRun: Bool {
        guard let reason = unavailableReason else { return true }
        if !noted.exchange(true, ordering: .relaxed) {
            FileHandle.standardError.write(Data("note: \(skipNote(reason))\n".utf8))
        }
        return false
    }

    /// The skip message: what is missing, and how to get it.
    public func skipNote(_ reason: String) -> String {
        "\(tests) skipped: \(reason) (\(remedy); with CI=true this fails the run)"
    }

    /// On CI with the requirement missing, the failure to record; nil otherwise.
    public var ciFailure: String? {
        guard Self.isRequired, let reason = unavailableReason else { return nil }
        return "CI=true but \(tests) cannot run: \(reason)"
    }
}
