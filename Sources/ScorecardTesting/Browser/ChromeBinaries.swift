import Foundation

/// Where `chromedriver` and `chromium` are: `SCORECARD_CHROMEDRIVER` / `SCORECARD_CHROMIUM` when
/// set, else the first executable on `PATH`, then in `/usr/bin` (and `/usr/lib/chromium`).
public struct ChromeBinaries: Sendable, Equatable {
    public var chromedriver: String
    public var chromium: String

    public init(chromedriver: String, chromium: String) {
        self.chromedriver = chromedriver
        self.chromium = chromium
    }

    /// Environment variable naming the chromedriver executable.
    public static let chromedriverVariable = "SCORECARD_CHROMEDRIVER"
    /// Environment variable naming the Chromium executable.
    public static let chromiumVariable = "SCORECARD_CHROMIUM"

    /// Both binaries, or why not (one line naming what is missing and how to get it).
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> Result<ChromeBinaries, WebDriverError> {
        let driver = find(
            override: environment[chromedriverVariable], names: ["chromedriver"], extraDirectories: ["/usr/lib/chromium"], environment: environment)
        let browser = find(
            override: environment[chromiumVariable], names: ["chromium", "chromium-browser"], extraDirectories: [], environment: environment)
        switch (driver, browser) {
        case (.success(let driver), .success(let browser)):
            return .success(ChromeBinaries(chromedriver: driver, chromium: browser))
        default:
            let missing = [driver, browser].compactMap { result -> String? in
                if case .failure(let reason) = result { return reason.message }
                return nil
            }
            return .failure(WebDriverError(code: WebDriverError.unavailable, message: missing.joined(separator: "; ")))
        }
    }

    private struct Missing: Error { var message: String }

    private static func find(override: String?, names: [String], extraDirectories: [String], environment: [String: String]) -> Result<String, Missing> {
        let variable = names[0] == "chromedriver" ? chromedriverVariable : chromiumVariable
        if let override, !override.isEmpty {
            if FileManager.default.isExecutableFile(atPath: override) { return .success(override) }
            return .failure(Missing(message: "\(variable)=\(override) is not an executable file"))
        }
        let path = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        for directory in path + ["/usr/bin"] + extraDirectories where !directory.isEmpty {
            for name in names {
                let candidate = directory + "/" + name
                if FileManager.default.isExecutableFile(atPath: candidate) { return .success(candidate) }
            }
        }
        let package = names[0] == "chromedriver" ? "chromium-driver" : "chromium"
        return .failure(Missing(message: "\(names[0]) not found on PATH or in /usr/bin (apt-get install \(package), or set \(variable))"))
    }
}
