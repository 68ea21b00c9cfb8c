import ScorecardTesting
import Testing

extension Trait where Self == ConditionTrait {
    /// For suites and tests that drive Chromium: skipped, with one note for the whole run, where
    /// chromedriver or Chromium is missing (``BrowserRequirement``). On CI a missing browser fails
    /// the run through `BrowserHarnessRequirementTests` instead.
    static var requiresBrowser: Self {
        .enabled("needs chromium and chromium-driver (see docs/testing.md)") { BrowserRequirement.canRun }
    }
}
