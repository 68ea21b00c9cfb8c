import Foundation
import ScorecardCore
import Testing

/// `ProcessEnvironment` reads the live environment one variable at a time, as `ProcessInfo` does.
@Suite struct ProcessEnvironmentTests {
    @Test func readsTheProcessEnvironment() {
        let name = "SCORECARD_TEST_\(UUID().uuidString.prefix(8))"
        #expect(ProcessEnvironment.current[name] == nil)
        setenv(name, "a value with spaces = and é", 1)
        defer { unsetenv(name) }
        #expect(ProcessEnvironment.current[name] == "a value with spaces = and é")
        #expect(ProcessEnvironment.current["PATH"] == ProcessInfo.processInfo.environment["PATH"])
        setenv(name, "", 1)
        #expect(ProcessEnvironment.current[name] == "")
    }

    @Test func fixedValuesForTests() {
        let environment: ProcessEnvironment = ["COLUMNS": "100"]
        #expect(environment["COLUMNS"] == "100")
        #expect(environment["LINES"] == nil)
    }
}
