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

    /// The skip-or-fail rule with this reason.
    static let rule = ExternalRequirement(
        tests: "browser tests", remedy: "apt-get install chromium chromium-driver", reason: { ChromeDriver.unavailableReason })

    /// Whether a missing browser fails the run: `CI` is `true` (or `1`).
    public static var isRequired: Bool { ExternalRequirement.isRequired }
    /// Whether browser tests can run (one note on stderr per process when they cannot).
    public static var canRun: Bool { rule.canRun }
    /// The skip message: what is missing, and how to install it.
    public static func skipNote(_ reason: String) -> String { rule.skipNote(reason) }
    /// On CI with no browser, the failure to record; nil otherwise.
    public static var ciFailure: String? { rule.ciFailure }
}
