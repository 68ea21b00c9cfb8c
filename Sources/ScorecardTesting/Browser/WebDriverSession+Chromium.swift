import Foundation
import ScorecardCore

/// Chromium-only commands: logs, DevTools (CDP) commands, full-page screenshots, emulation.
///
/// Endpoints (verified with chromedriver 156): `POST /session/{id}/se/log` reads and empties a
/// log (`browser`, `performance`); `POST /session/{id}/goog/cdp/execute` runs a DevTools command.
extension WebDriverSession {
    /// Runs a Chrome DevTools Protocol command in the page's target and returns its result.
    @discardableResult
    public func cdp(_ method: String, _ params: JSONValue = [:]) async throws -> JSONValue {
        try await command("POST", "/goog/cdp/execute", ["cmd": .string(method), "params": params])
    }

    // MARK: Logs

    /// The browser log since the last read (reading empties it): console messages, uncaught
    /// exceptions, and resources that failed to load.
    public func browserLogs() async throws -> [BrowserLogEntry] {
        try await log("browser").map { entry in
            BrowserLogEntry(
                level: entry.member("level")?.asString ?? "", source: entry.member("source")?.asString ?? "",
                message: entry.member("message")?.asString ?? "", timestamp: entry.member("timestamp")?.asDouble ?? 0)
        }
    }

    /// The script errors (console.error, uncaught exceptions) since the browser log was last read.
    public func consoleErrors() async throws -> [BrowserLogEntry] {
        try await browserLogs().filter(\.isScriptError)
    }

    /// Reads (and empties) one of chromedriver's logs: `browser`, `performance` or `driver`.
    func log(_ type: String) async throws -> [JSONValue] {
        try await command("POST", "/se/log", ["type": .string(type)]).asArray ?? []
    }

    /// The page's requests that failed since the performance log was last read (reading empties
    /// it): responses with status 400 or more, and loads that failed without being cancelled.
    /// Requests the browser makes by itself count too: give test pages an icon
    /// (`<link rel="icon" href="data:,">`) or `/favicon.ico` is one.
    public func failedRequests() async throws -> [FailedRequest] {
        var urls: [String: String] = [:]
        var types: [String: String] = [:]
        var failed: [FailedRequest] = []
        var answered: Set<String> = []
        for entry in try await log("performance") {
            guard let text = entry.member("message")?.asString,
                let event = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)).member("message"),
                let method = event.member("method")?.asString, let params = event.member("params")
            else { continue }
            let requestID = params.member("requestId")?.asString ?? ""
            switch method {
            case "Network.requestWillBeSent":
                urls[requestID] = params.member("request")?.member("url")?.asString
                types[requestID] = params.member("type")?.asString
            case "Network.responseReceived":
                let response = params.member("response")
                if let status = response?.member("status")?.asInt, status >= 400 {
                    answered.insert(requestID)
                    let url = response?.member("url")?.asString ?? urls[requestID] ?? requestID
                    failed.append(FailedRequest(url: url, status: status, resourceType: params.member("type")?.asString))
                }
            case "Network.loadingFailed":
                // A cancelled load is not a failure; an error status already counted is not another
                // (Chromium adds net::ERR_HTTP_RESPONSE_CODE_FAILURE to a 404 page with no body).
                if params.member("canceled")?.asBool == true || answered.contains(requestID) { continue }
                var error = params.member("errorText")?.asString ?? "failed"
                if let blocked = params.member("blockedReason")?.asString { error += " (blocked: \(blocked))" }
                failed.append(
                    FailedRequest(url: urls[requestID] ?? requestID, error: error, resourceType: params.member("type")?.asString ?? types[requestID]))
            default:
                continue
            }
        }
        return failed
    }

    /// Empties the browser and performance logs.
    public func drainLogs() async throws {
        _ = try await log("browser")
        _ = try await log("performance")
    }

    // MARK: Screenshots

    /// A PNG of the whole page, beyond the viewport: DevTools `Page.captureScreenshot` with
    /// `captureBeyondViewport`, clipped to the page's scroll size (at least the viewport's).
    public func fullPageScreenshotPNG() async throws -> Data {
        let size = try await executeScript(
            """
            const root = document.documentElement;
            return [Math.max(root.scrollWidth, window.innerWidth), Math.max(root.scrollHeight, window.innerHeight)];
            """)
        let numbers = (size.asArray ?? []).compactMap(\.asDouble)
        guard numbers.count == 2, numbers[0] > 0, numbers[1] > 0 else {
            throw WebDriverError(code: WebDriverError.invalidResponse, message: "page size: \(size)", command: "fullPageScreenshotPNG")
        }
        let (width, height) = (numbers[0].rounded(.up), numbers[1].rounded(.up))
        let shot = try await cdp(
            "Page.captureScreenshot",
            [
                "format": "png", "captureBeyondViewport": true,
                "clip": ["x": 0, "y": 0, "width": .number(width), "height": .number(height), "scale": 1],
            ])
        return try decodePNG(shot.member("data") ?? .null, command: "Page.captureScreenshot")
    }

    // MARK: Emulation

    /// Makes `prefers-color-scheme` match `dark` (on) or `light` (off) for this tab, across
    /// navigations (DevTools `Emulation.setEmulatedMedia`).
    public func emulateDarkScheme(_ on: Bool) async throws {
        try await cdp(
            "Emulation.setEmulatedMedia",
            ["media": "", "features": [["name": "prefers-color-scheme", "value": .string(on ? "dark" : "light")]]])
    }

    /// Deletes every cookie of every domain (DevTools `Network.clearBrowserCookies`); cookies do
    /// not depend on the port, so pages of different loopback servers share them otherwise.
    public func clearAllCookies() async throws { try await cdp("Network.clearBrowserCookies") }
}
