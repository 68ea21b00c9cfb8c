import Foundation
import Synchronization

/// The one rule for tests that need a browser: run them when chromedriver and Chromium are
/// installed; otherwise skip them with one note, except on CI (`CI=true`), where a missing browser
/// is a failure (a test checks ``ciFailure`` and records it as an issue).
///
/// In Swift Testing: `@Suite(.enabled(if: BrowserRequirement.canRun, "…"))` on browser suites,
/// and one test that records ``ciFailure`` when it is not nil.
public enum BrowserRequirement {
    /// Why there is no browser here, nil when there is one (``ChromeDriver/unavailableReason``).
    public static var unavailableReason: String? { ChromeDriver.unavailableReason }

    /// Whether a missing browser fails the run: `CI` is `true` (or `1`).
    public static var isRequired: Bool {
        let value = ProcessInfo.processInfo.environment["CI"]?.lowercased()
        return value == "true" || value == "1"
    }

    /// Whether browser tests can run. When they cannot, the first call prints ``skipNote`` to
    /// standard error (once per process, however many suites ask).
    public static var canRun: Bool {
        guard let reason = unavailableReason else { return true }
        if !noted.exchange(true, ordering: .relaxed) {
            FileHandle.standardError.write(Data("note: \(skipNote(reason))\n".utf8))
        }
        return false
    }

    /// The skip message: what is missing, and how to install it.
    public static func skipNote(_ reason: String) -> String {
        "browser tests skipped: \(reason) (apt-get install chromium chromium-driver; with CI=true this fails the run)"
    }

    /// On CI with no browser, the failure to record; nil otherwise.
    public static var ciFailure: String? {
        guard isRequired, let reason = unavailableReason else { return nil }
        return "CI=true but browser tests cannot run: \(reason)"
    }

    private static let noted = Atomic<Bool>(false)
}
