/// A failed WebDriver command: the W3C error code and message chromedriver answered with
/// (`value.error`, `value.message`), or one of the harness's own codes when there was no answer.
///
/// The harness's own codes are not W3C codes: ``deadlineExceeded``, ``unavailable``,
/// ``startFailed``, ``invalidResponse``, ``connectionFailed`` and ``harness``.
public struct WebDriverError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The W3C error code (`no such element`, `timeout`, `invalid argument`…) or a harness code.
    public var code: String
    /// What went wrong, as chromedriver or the harness put it.
    public var message: String
    /// The command, e.g. `POST /session/{id}/element`.
    public var command: String
    /// The HTTP status of chromedriver's answer; nil when there was none.
    public var httpStatus: Int?

    public init(code: String, message: String, command: String = "", httpStatus: Int? = nil) {
        self.code = code
        self.message = message
        self.command = command
        self.httpStatus = httpStatus
    }

    /// The call got no answer before its deadline (chromedriver or the browser hung).
    public static let deadlineExceeded = "deadline exceeded"
    /// chromedriver or Chromium is not installed (see ``ChromeDriver/unavailableReason``).
    public static let unavailable = "browser unavailable"
    /// chromedriver did not start or did not become ready.
    public static let startFailed = "chromedriver failed to start"
    /// chromedriver answered with something that is not a WebDriver JSON answer.
    public static let invalidResponse = "invalid response"
    /// chromedriver could not be reached.
    public static let connectionFailed = "connection failed"
    /// The harness could not do what was asked (no submit button, a PNG it cannot read…).
    public static let harness = "harness"

    public var description: String {
        var text = "WebDriver error '\(code)'"
        if let httpStatus { text += " (HTTP \(httpStatus))" }
        if !command.isEmpty { text += " for \(command)" }
        // chromedriver appends "(Session info: chrome=…)" on a line of its own: noise in a test failure.
        let lines = message.split(separator: "\n", omittingEmptySubsequences: true)
            .filter { !$0.trimmingPrefix(while: \.isWhitespace).hasPrefix("(Session info:") }
        return text + ": " + lines.joined(separator: "\n")
    }
}
