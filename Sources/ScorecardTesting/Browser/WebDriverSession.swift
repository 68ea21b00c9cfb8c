import Foundation
import ScorecardCore

/// A W3C WebDriver session with one headless Chromium: a minimal client over plain HTTP + JSON.
///
/// Every call has a deadline (``BrowserOptions/commandTimeout``); errors are ``WebDriverError``s.
/// Chromium-specific helpers (logs, DevTools commands, full-page screenshots, dark scheme) are in
/// `WebDriverSession+Chromium.swift`.
public final class WebDriverSession: Sendable {
    /// chromedriver's session id.
    public let id: String
    /// The driver serving this session (kept alive by the session).
    public let driver: ChromeDriver
    /// The options the session was created with.
    public let options: BrowserOptions
    /// The capabilities chromedriver answered with.
    public let capabilities: JSONValue
    let transport: WebDriverTransport

    private init(id: String, driver: ChromeDriver, options: BrowserOptions, capabilities: JSONValue, transport: WebDriverTransport) {
        self.id = id
        self.driver = driver
        self.options = options
        self.capabilities = capabilities
        self.transport = transport
    }

    /// `POST /session` with headless Chromium capabilities, browser and performance logging on.
    static func create(driver: ChromeDriver, chromium: String, options: BrowserOptions) async throws -> WebDriverSession {
        let transport = WebDriverTransport(port: driver.port, timeout: options.commandTimeout)
        let capabilities: JSONValue = [
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "timeouts": [
                "implicit": 0,
                "pageLoad": .number(Double(BrowserOptions.milliseconds(options.pageLoadTimeout))),
                "script": .number(Double(BrowserOptions.milliseconds(options.scriptTimeout))),
            ],
            "goog:chromeOptions": ["binary": .string(chromium), "args": .array(options.chromiumArguments.map { .string($0) })],
            "goog:loggingPrefs": ["browser": "ALL", "performance": "ALL"],
        ]
        let value = try await transport.send(
            "POST", "/session", ["capabilities": ["alwaysMatch": capabilities]], timeout: options.sessionStartTimeout)
        guard let id = value.member("sessionId")?.asString else {
            throw WebDriverError(code: WebDriverError.invalidResponse, message: "no sessionId in \(value)", command: "POST /session")
        }
        return WebDriverSession(id: id, driver: driver, options: options, capabilities: value.member("capabilities") ?? .null, transport: transport)
    }

    /// Sends `method /session/{id}{path}` and returns the answer's `value`.
    @discardableResult
    public func command(_ method: String, _ path: String, _ body: JSONValue? = nil, timeout: Duration? = nil) async throws -> JSONValue {
        try await transport.send(method, "/session/\(id)\(path)", body, timeout: timeout)
    }

    func element(from value: JSONValue) throws -> WebElement {
        guard let element = WebElement(scriptResult: value, session: self) else {
            throw WebDriverError(code: WebDriverError.invalidResponse, message: "not an element reference: \(value)", command: "element")
        }
        return element
    }

    // MARK: Navigation

    /// Loads `url` and waits until it has loaded (chromedriver's page-load strategy `normal`).
    public func navigate(to url: String) async throws { try await command("POST", "/url", ["url": .string(url)]) }

    /// The address of the page shown.
    public var currentURL: String {
        get async throws { try await command("GET", "/url").asString ?? "" }
    }

    /// The page's title.
    public var title: String {
        get async throws { try await command("GET", "/title").asString ?? "" }
    }

    /// The page's current DOM, serialised.
    public var pageSource: String {
        get async throws { try await command("GET", "/source").asString ?? "" }
    }

    /// History back.
    public func back() async throws { try await command("POST", "/back") }

    /// Reloads the page.
    public func refresh() async throws { try await command("POST", "/refresh") }

    // MARK: Elements

    /// The first element matching `css`; throws `no such element` when there is none.
    public func findElement(css: String) async throws -> WebElement {
        try element(from: try await command("POST", "/element", ["using": "css selector", "value": .string(css)]))
    }

    /// Every element matching `css` (empty when none).
    public func findElements(css: String) async throws -> [WebElement] {
        let value = try await command("POST", "/elements", ["using": "css selector", "value": .string(css)])
        return try (value.asArray ?? []).map { try element(from: $0) }
    }

    /// Waits until an element matching `css` exists (for pages that build it from a script).
    public func waitForElement(css: String, timeout: Duration = .seconds(5)) async throws -> WebElement {
        var found: WebElement?
        try await waitUntil(timeout: timeout, "an element matching \(css)") {
            found = try await self.findElements(css: css).first
            return found != nil
        }
        return found!
    }

    /// Polls `condition` until it is true; throws ``WebDriverError/deadlineExceeded`` after `timeout`.
    public func waitUntil(
        timeout: Duration = .seconds(5), poll: Duration = .milliseconds(50), _ what: String = "a condition", _ condition: () async throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await !condition() {
            guard ContinuousClock.now < deadline else {
                throw WebDriverError(code: WebDriverError.deadlineExceeded, message: "waited \(timeout) for \(what)", command: "waitUntil")
            }
            try await Task.sleep(for: poll)
        }
    }

    /// Marks the current document (a property on `window`) so that its replacement can be told apart.
    func markDocument() async throws -> String {
        let marker = "__scorecardHarness" + UUID().uuidString.prefix(8)
        try await executeScript("window[arguments[0]] = true", args: [.string(marker)])
        return marker
    }

    /// Waits until the document marked by ``markDocument()`` is gone and its successor has loaded.
    /// Errors while the page changes (no document to run a script in) count as "not yet".
    func waitForNewDocument(replacing marker: String, timeout: Duration) async throws {
        var last = "the page did not change"
        do {
            try await waitUntil(timeout: timeout, "a new page") {
                do {
                    let loaded = try await self.executeScript(
                        "return window[arguments[0]] === undefined && document.readyState === 'complete'", args: [.string(marker)])
                    return loaded == .bool(true)
                } catch {
                    last = "\(error)"
                    return false
                }
            }
        } catch var error as WebDriverError where error.code == WebDriverError.deadlineExceeded {
            error.message += " (\(last))"
            throw error
        }
    }

    // MARK: Scripts

    /// Runs `script` as a function body in the page (`arguments[i]` are `args`; pass elements as
    /// ``WebElement/scriptArgument``) and returns what it returns, as JSON (elements as references).
    @discardableResult
    public func executeScript(_ script: String, args: [JSONValue] = []) async throws -> JSONValue {
        try await command("POST", "/execute/sync", ["script": .string(script), "args": .array(args)])
    }

    // MARK: Window

    /// The outer window size.
    public func windowSize() async throws -> (width: Int, height: Int) {
        let rect = try await command("GET", "/window/rect")
        return (rect.member("width")?.asInt ?? 0, rect.member("height")?.asInt ?? 0)
    }

    /// Sets the outer window size. In headless Chromium the viewport is as wide as the window
    /// but shorter (by the height of the browser's frame); see ``setViewportSize(width:height:)``.
    public func setWindowSize(width: Int, height: Int) async throws {
        try await command("POST", "/window/rect", ["width": .number(Double(width)), "height": .number(Double(height))])
    }

    /// The layout viewport (`window.innerWidth`, `window.innerHeight`) in CSS pixels.
    public func viewportSize() async throws -> (width: Int, height: Int) {
        let value = try await executeScript("return [window.innerWidth, window.innerHeight]")
        let numbers = (value.asArray ?? []).compactMap(\.asInt)
        guard numbers.count == 2 else {
            throw WebDriverError(code: WebDriverError.invalidResponse, message: "viewport size: \(value)", command: "viewportSize")
        }
        return (numbers[0], numbers[1])
    }

    /// Sizes the window so that the viewport is exactly `width` × `height` CSS pixels (e.g. 390 ×
    /// 844 for a phone); throws when Chromium will not go that small.
    public func setViewportSize(width: Int, height: Int) async throws {
        try await setWindowSize(width: width, height: height)
        for _ in 0..<3 {
            let viewport = try await viewportSize()
            if viewport == (width, height) { return }
            let window = try await windowSize()
            try await setWindowSize(width: window.width + width - viewport.width, height: window.height + height - viewport.height)
        }
        let viewport = try await viewportSize()
        guard viewport == (width, height) else {
            throw WebDriverError(
                code: WebDriverError.harness, message: "asked for a \(width)×\(height) viewport, got \(viewport.width)×\(viewport.height)",
                command: "setViewportSize")
        }
    }

    /// Whether the page is wider than the viewport (`scrollWidth > clientWidth` of the root).
    public func hasHorizontalScroll() async throws -> Bool {
        try await executeScript("return document.documentElement.scrollWidth > document.documentElement.clientWidth").asBool ?? false
    }

    // MARK: Screenshots

    /// A PNG of the viewport (`GET /screenshot`), as large as ``viewportSize()``.
    public func screenshotPNG() async throws -> Data {
        try decodePNG(try await command("GET", "/screenshot"), command: "GET /screenshot")
    }

    func decodePNG(_ value: JSONValue, command: String) throws -> Data {
        guard let base64 = value.asString, let data = Data(base64Encoded: base64), PNGInfo(data) != nil else {
            throw WebDriverError(code: WebDriverError.invalidResponse, message: "not a base64 PNG", command: command)
        }
        return data
    }

    // MARK: Cookies

    /// The cookies visible to the current page (WebDriver scopes cookies to the current document).
    public func cookies() async throws -> [WebCookie] {
        try (try await command("GET", "/cookie").asArray ?? []).map(WebCookie.init(json:))
    }

    /// The cookie `name` visible to the current page, nil when there is none.
    public func cookie(named name: String) async throws -> WebCookie? {
        try await cookies().first { $0.name == name }
    }

    /// Sets a cookie for the current page's domain.
    public func addCookie(_ cookie: WebCookie) async throws {
        try await command("POST", "/cookie", ["cookie": cookie.json])
    }

    /// Deletes the cookies of the current page's domain (W3C scope; ``clearAllCookies()`` clears
    /// the whole browser).
    public func deleteAllCookies() async throws { try await command("DELETE", "/cookie") }

    // MARK: End

    /// Ends the session; chromedriver closes this Chromium.
    public func quit() async throws { try await command("DELETE", "") }
}
