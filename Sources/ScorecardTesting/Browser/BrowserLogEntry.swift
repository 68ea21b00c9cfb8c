/// One entry of Chromium's browser log: a console message, an uncaught exception, or a resource
/// that failed to load.
public struct BrowserLogEntry: Sendable, Equatable {
    /// `SEVERE`, `WARNING`, `INFO` or `DEBUG` (console.error is SEVERE, console.log INFO).
    public var level: String
    /// Where it came from: `console-api`, `javascript` (uncaught errors), `network`, `security`…
    public var source: String
    /// The text, prefixed by Chromium with the script's URL and position.
    public var message: String
    /// Milliseconds since 1970.
    public var timestamp: Double

    public init(level: String, source: String, message: String, timestamp: Double) {
        self.level = level
        self.source = source
        self.message = message
        self.timestamp = timestamp
    }

    /// A SEVERE entry from a script: console.error or an uncaught exception (not a failed load).
    public var isScriptError: Bool { level == "SEVERE" && source != "network" }
}
