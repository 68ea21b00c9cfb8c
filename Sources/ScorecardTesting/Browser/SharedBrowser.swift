import Foundation

/// One chromedriver and one Chromium session for the whole test process, lent to one test at a
/// time: Chromium takes about a second to start, so tests share it instead of starting their own.
///
/// ```swift
/// try await SharedBrowser.withSession { browser in
///     try await browser.navigate(to: server.baseURL + "/")
///     #expect(try await browser.title == "Scorecard")
/// }
/// ```
///
/// Before each loan the session is reset: a blank page, no cookies (any domain), light colour
/// scheme, the default window size, empty logs. A session that fails to reset (Chromium crashed)
/// is replaced. chromedriver and Chromium are killed at exit (``ChromeDriver``'s watchdog).
public actor SharedBrowser {
    /// The process-wide instance.
    public static let shared = SharedBrowser()

    private let options: BrowserOptions
    private var driver: ChromeDriver?
    private var session: WebDriverSession?
    /// Why the browser cannot be used (chromedriver did not start, sessions keep dying), once known.
    private var unusable: (any Error)?
    /// Resets that failed in a row.
    private var failedResets = 0
    /// Whether the session is lent out, and who waits for it.
    private var lent = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    public init(options: BrowserOptions = BrowserOptions()) {
        self.options = options
    }

    /// Runs `body` with the session of `browser` (normally the process-wide one), alone: other
    /// callers wait their turn. The session is reset first; it is given back however `body` ends.
    public static func withSession<T>(
        of browser: SharedBrowser = .shared, isolation: isolated (any Actor)? = #isolation, _ body: (WebDriverSession) async throws -> T
    ) async throws -> T {
        let session = try await browser.borrow()
        do {
            let result = try await body(session)
            await browser.giveBack()
            return result
        } catch {
            await browser.giveBack()
            throw error
        }
    }

    /// Waits for the session, then resets (or starts) it.
    private func borrow() async throws -> WebDriverSession {
        if lent {
            await withCheckedContinuation { waiting.append($0) }
        }
        lent = true
        do {
            return try await readySession()
        } catch {
            giveBack()
            throw error
        }
    }

    private func giveBack() {
        if waiting.isEmpty {
            lent = false
        } else {
            waiting.removeFirst().resume()  // `lent` stays true: handed straight on
        }
    }

    private func readySession() async throws -> WebDriverSession {
        if let unusable { throw unusable }
        if let session {
            do {
                try await reset(session)
                failedResets = 0
                return session
            } catch {
                // Chromium crashed or hung: start another one, unless that keeps happening (then
                // every later test would wait as long for the same failure: fail them at once).
                failedResets += 1
                _ = try? await session.command("DELETE", "", timeout: .seconds(5))
                self.session = nil
                if failedResets >= 2 {
                    unusable = WebDriverError(
                        code: WebDriverError.harness, message: "the shared browser failed to reset twice in a row; last: \(error)",
                        command: "SharedBrowser")
                    throw unusable!
                }
            }
        }
        if driver == nil || driver?.isRunning == false {
            driver?.stop()
            do {
                driver = try await ChromeDriver.start()
            } catch {
                unusable = error  // the next test would wait as long for the same failure
                throw error
            }
        }
        let session = try await driver!.newSession(options)
        self.session = session
        try await session.drainLogs()
        return session
    }

    private func reset(_ session: WebDriverSession) async throws {
        try await session.navigate(to: "about:blank")
        try await session.clearAllCookies()
        try await session.emulateDarkScheme(false)
        let size = try await session.windowSize()
        if size != (options.windowWidth, options.windowHeight) {
            try await session.setWindowSize(width: options.windowWidth, height: options.windowHeight)
        }
        try await session.drainLogs()
    }

    /// Ends the session and stops chromedriver now (normally left to the exit hook).
    public func shutDown() async {
        if let session { _ = try? await session.quit() }
        session = nil
        driver?.stop()
        driver = nil
    }
}
