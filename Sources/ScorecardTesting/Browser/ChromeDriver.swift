import Foundation
import ScorecardCore

/// A chromedriver process on a free loopback port, serving headless Chromium sessions.
///
/// ```swift
/// let driver = try await ChromeDriver.start()
/// defer { driver.stop() }
/// let session = try await driver.newSession()
/// try await session.navigate(to: "http://127.0.0.1:8080/")
/// ```
///
/// chromedriver runs under a watchdog that kills it and every Chromium process when ``stop()`` is
/// called, when the driver is deinitialised, at exit, or when this process dies; no browser
/// outlives the test process. Tests normally share one through ``SharedBrowser``.
public final class ChromeDriver: Sendable {
    /// The executables in use.
    public let binaries: ChromeBinaries
    /// The loopback port chromedriver listens on.
    public let port: Int
    private let watchdog: DriverWatchdog
    private let transport: WebDriverTransport

    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { transport.base }

    /// Why browser tests cannot run here ("chromedriver not found…"), nil when both binaries exist.
    public static var unavailableReason: String? {
        switch ChromeBinaries.locate() {
        case .success: nil
        case .failure(let error): error.message
        }
    }

    private init(binaries: ChromeBinaries, port: Int, watchdog: DriverWatchdog) {
        self.binaries = binaries
        self.port = port
        self.watchdog = watchdog
        self.transport = WebDriverTransport(port: port, timeout: .seconds(10))
    }

    deinit { watchdog.stop() }

    /// Starts `chromedriver --port=0`, reads the port it picked from its log, and waits until
    /// `GET /status` says it is ready. Throws ``WebDriverError`` (``WebDriverError/unavailable``
    /// or ``WebDriverError/startFailed``, with chromedriver's output) otherwise.
    public static func start(binaries: ChromeBinaries? = nil, timeout: Duration = .seconds(20)) async throws -> ChromeDriver {
        let binaries = try binaries ?? ChromeBinaries.locate().get()
        let watchdog = try DriverWatchdog(chromedriver: binaries.chromedriver)
        let deadline = ContinuousClock.now + timeout
        do {
            var port: Int?
            while port == nil {
                port = Self.port(inLog: watchdog.log)
                if port != nil { break }
                if ContinuousClock.now > deadline || !watchdog.isRunning || watchdog.driverExited || watchdog.log.contains("failed to start") {
                    try? await Task.sleep(for: .milliseconds(50))  // the rest of its output
                    throw WebDriverError(code: WebDriverError.startFailed, message: "chromedriver did not report its port: \(watchdog.log)")
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            let driver = ChromeDriver(binaries: binaries, port: port!, watchdog: watchdog)
            var answer = "no answer yet"
            while true {
                do {
                    if try await driver.isReady() { return driver }
                    answer = "not ready"
                } catch {
                    answer = "\(error)"
                }
                if ContinuousClock.now > deadline {
                    throw WebDriverError(
                        code: WebDriverError.startFailed, message: "chromedriver never said it was ready (\(answer)); its output: \(watchdog.log)")
                }
                try await Task.sleep(for: .milliseconds(20))
            }
        } catch {
            watchdog.stop()
            throw error
        }
    }

    /// "ChromeDriver was started successfully on port 46783." (only once the full stop is there:
    /// the log may be read while the line is being written).
    static func port(inLog log: String) -> Int? {
        guard let range = log.range(of: "started successfully on port ") else { return nil }
        let rest = log[range.upperBound...]
        let digits = rest.prefix { $0.isNumber }
        guard rest.dropFirst(digits.count).first == "." else { return nil }
        return Int(digits)
    }

    /// `GET /status`: whether chromedriver is ready for new sessions.
    public func isReady() async throws -> Bool {
        let status = try await transport.send("GET", "/status", timeout: .seconds(2))
        if case .object(let fields) = status, case .bool(let ready)? = fields["ready"] { return ready }
        return false
    }

    /// Whether chromedriver's watchdog is still running (false after ``stop()``).
    public var isRunning: Bool { watchdog.isRunning }

    /// chromedriver's output so far (its start banner, warnings, and the Chromium launcher's output).
    public var log: String { watchdog.log }

    /// Starts headless Chromium (about a second) and opens a WebDriver session with it.
    /// When Chromium does not start (`session not created`), the error ends with the last lines
    /// of its output.
    public func newSession(_ options: BrowserOptions = BrowserOptions()) async throws -> WebDriverSession {
        do {
            return try await WebDriverSession.create(driver: self, chromium: binaries.chromium, options: options)
        } catch var error as WebDriverError where error.code == "session not created" {
            let output = log.split(separator: "\n").suffix(12).joined(separator: "\n")
            error.message += "\nchromedriver and Chromium output (last lines):\n" + output
            throw error
        }
    }

    /// Kills chromedriver and every browser it started, and removes their temporary files.
    /// Synchronous (up to about 5 s) and idempotent; sessions of this driver stop working.
    public func stop() { watchdog.stop() }
}
