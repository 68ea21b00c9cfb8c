import Foundation
import Hummingbird
import Logging
import ScorecardCore
import ScorecardTesting
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The browser harness against a real Chromium (through the shared chromedriver) and a real
/// loopback HTTP server: every harness method does what it says.
@Suite("BrowserHarness", .requiresBrowser)
struct BrowserHarnessTests {
    @Test func navigatesAndReadsThePage() async throws {
        try await withPages { pages, browser in
            try await browser.navigate(to: pages.url("/"))
            #expect(try await browser.title == "Harness home")
            #expect(try await browser.currentURL == pages.url("/"))
            #expect(try await browser.findElement(css: "h1").text() == "Calls this week")
            #expect(try await browser.pageSource.contains("<svg id=\"chart\""))
            #expect(try await browser.findElements(css: "#chart rect").count == 3)
            #expect(try await browser.findElements(css: ".nothing-here").isEmpty)
            let chart = try await browser.findElement(css: "#chart")
            #expect(try await chart.isDisplayed())
            #expect(try await chart.tagName() == "svg")
            #expect(try await chart.attribute("aria-label") == "Calls per day")
            #expect(try await chart.attribute("data-missing") == nil)
            #expect(try await chart.findElements(css: "rect").count == 3)
            #expect(try await browser.findElement(css: "#hidden").isDisplayed() == false)
        }
    }

    @Test func fillsAndSubmitsAForm() async throws {
        try await withPages { pages, browser in
            try await browser.navigate(to: pages.url("/"))
            let name = try await browser.findElement(css: "input[name=name]")
            #expect(try await name.property("value") == "placeholder")
            try await name.clear()
            try await name.sendKeys("Ana Silva")
            #expect(try await name.property("value") == "Ana Silva")
            try await name.submit()
            #expect(try await browser.currentURL == pages.url("/greet"))
            #expect(try await browser.findElement(css: "#greeting").text() == "Hello, Ana Silva")

            // A real click on the button submits too; back returns to the form.
            try await browser.back()
            #expect(try await browser.title == "Harness home")
            let field = try await browser.findElement(css: "input[name=name]")
            try await field.clear()
            try await field.sendKeys("Bo & Co")
            try await browser.findElement(css: "button[type=submit]").clickAndWaitForNavigation()
            #expect(try await browser.findElement(css: "#greeting").text() == "Hello, Bo & Co")
        }
    }

    @Test func readsAddsAndDeletesCookies() async throws {
        try await withPages { pages, browser in
            try await browser.navigate(to: pages.url("/"))
            let visit = try #require(try await browser.cookie(named: "harness_visit"))
            #expect(visit.value == "1")
            #expect(visit.path == "/")
            #expect(visit.httpOnly)

            try await browser.addCookie(WebCookie(name: "harness_theme", value: "compact"))
            #expect(try await browser.cookies().map(\.name).sorted() == ["harness_theme", "harness_visit"])
            // The server receives both.
            try await browser.navigate(to: pages.url("/cookies"))
            let echoed = try await browser.findElement(css: "#cookies").text()
            #expect(echoed.contains("harness_theme=compact") && echoed.contains("harness_visit=1"))

            try await browser.deleteAllCookies()
            #expect(try await browser.cookies().isEmpty)
        }
    }

    @Test func reportsConsoleErrors() async throws {
        try await withPages { pages, browser in
            try await browser.navigate(to: pages.url("/"))
            #expect(try await browser.consoleErrors() == [])

            try await browser.navigate(to: pages.url("/console"))
            let logs = try await browser.browserLogs()
            let errors = logs.filter(\.isScriptError)
            #expect(errors.count == 2, "\(logs)")
            #expect(errors.contains { $0.source == "console-api" && $0.message.contains("harness: the chart has no data") })
            #expect(errors.contains { $0.source == "javascript" && $0.message.contains("harness: uncaught") })
            // console.log is in the log too, but not an error.
            #expect(logs.contains { $0.level == "INFO" && $0.message.contains("harness: just saying") })
            // Reading empties the log.
            #expect(try await browser.browserLogs() == [])
        }
    }

    @Test func reportsFailedSubresources() async throws {
        try await withPages { pages, browser in
            try await browser.navigate(to: pages.url("/"))
            #expect(try await browser.failedRequests() == [])

            try await browser.navigate(to: pages.url("/broken"))
            let failed = try await browser.failedRequests()
            #expect(failed.contains(FailedRequest(url: pages.url("/missing.png"), status: 404, resourceType: "Image")), "\(failed)")
            #expect(failed.contains(FailedRequest(url: pages.url("/missing.css"), status: 404, resourceType: "Stylesheet")), "\(failed)")
            #expect(failed.contains { $0.url.hasPrefix("http://127.0.0.1:9/") && $0.status == nil && $0.error != nil }, "\(failed)")
            #expect(failed.count == 3, "\(failed)")
            // The page itself (200) is not a failure; a page that is a 404 is one.
            try await browser.navigate(to: pages.url("/no-such-page"))
            let page = try await browser.failedRequests()
            #expect(page == [FailedRequest(url: pages.url("/no-such-page"), status: 404, resourceType: "Document")], "\(page)")
        }
    }

    @Test func emulatesTheDarkScheme() async throws {
        try await withPages { pages, browser in
            try await browser.navigate(to: pages.url("/"))
            let body = try await browser.findElement(css: "body")
            #expect(try await body.cssValue("background-color") == "rgba(255, 255, 255, 1)")
            try await browser.emulateDarkScheme(true)
            #expect(try await body.cssValue("background-color") == "rgba(17, 24, 39, 1)")
            #expect(try await browser.executeScript("return matchMedia('(prefers-color-scheme: dark)').matches") == true)
            // It lasts across navigations, until turned off.
            try await browser.navigate(to: pages.url("/console"))
            try await browser.navigate(to: pages.url("/"))
            let again = try await browser.findElement(css: "body")
            #expect(try await again.cssValue("background-color") == "rgba(17, 24, 39, 1)")
            try await browser.emulateDarkScheme(false)
            #expect(try await again.cssValue("background-color") == "rgba(255, 255, 255, 1)")
        }
    }

    @Test func phoneWidthHasNoHorizontalScrollUnlessThePageOverflows() async throws {
        try await withPages { pages, browser in
            try await browser.setViewportSize(width: 390, height: 844)
            let viewport = try await browser.viewportSize()
            #expect(viewport.width == 390 && viewport.height == 844)
            try await browser.navigate(to: pages.url("/"))
            #expect(try await browser.hasHorizontalScroll() == false)
            try await browser.navigate(to: pages.url("/wide"))
            #expect(try await browser.hasHorizontalScroll() == true)
        }
    }

    @Test func takesScreenshots() async throws {
        try await withPages { pages, browser in
            try await browser.setViewportSize(width: 390, height: 844)
            try await browser.navigate(to: pages.url("/"))
            let viewport = try await browser.screenshotPNG()
            #expect(PNGInfo(viewport) == PNGInfo(width: 390, height: 844))

            // The whole page: as wide as the viewport, as tall as the page.
            try await browser.navigate(to: pages.url("/tall"))
            let full = try await browser.fullPageScreenshotPNG()
            #expect(try await browser.executeScript("return document.documentElement.scrollHeight") == 2000)
            #expect(PNGInfo(full) == PNGInfo(width: 390, height: 2000))
            #expect(PNGInfo(try await browser.screenshotPNG()) == PNGInfo(width: 390, height: 844))

            try await browser.navigate(to: pages.url("/"))
            let chart = try await browser.findElement(css: "#chart").screenshotPNG()
            #expect(PNGInfo(chart).map { $0.width > 0 && $0.height > 0 } == true)

            if let directory = ProcessInfo.processInfo.environment["SCORECARD_BROWSER_ARTIFACTS"] {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                try viewport.write(to: URL(fileURLWithPath: directory + "/harness-home-390.png"))
                try full.write(to: URL(fileURLWithPath: directory + "/harness-tall-full.png"))
                try chart.write(to: URL(fileURLWithPath: directory + "/harness-chart.png"))
            }
        }
    }

    @Test func runsScriptsWithArguments() async throws {
        try await withPages { pages, browser in
            try await browser.navigate(to: pages.url("/"))
            let chart = try await browser.findElement(css: "#chart")
            let result = try await browser.executeScript(
                "return {tag: arguments[0].tagName, doubled: arguments[1] * 2, text: arguments[2], none: null}",
                args: [chart.scriptArgument, 21, "hi"])
            #expect(result == ["tag": "svg", "doubled": 42, "text": "hi", "none": nil])
            // An element comes back as a usable element.
            let heading = try #require(WebElement(scriptResult: try await browser.executeScript("return document.querySelector('h1')"), session: browser))
            #expect(try await heading.text() == "Calls this week")
        }
    }

    @Test func failuresAreWebDriverErrorsWithTheW3CCode() async throws {
        try await withPages { pages, browser in
            try await browser.navigate(to: pages.url("/"))
            let missing = await #expect(throws: WebDriverError.self) { try await browser.findElement(css: "#nope") }
            #expect(missing?.code == "no such element")
            #expect(missing?.httpStatus == 404)
            #expect(missing.map { "\($0)" }?.hasPrefix("WebDriver error 'no such element' (HTTP 404) for POST /session/") == true)
            let script = await #expect(throws: WebDriverError.self) { try await browser.executeScript("throw new Error('harness: bad script')") }
            #expect(script?.code == "javascript error")
            #expect(script?.message.contains("harness: bad script") == true)
            // The session still works afterwards.
            #expect(try await browser.title == "Harness home")
        }
    }

    /// Starts the pages, borrows the shared browser, stops the pages.
    func withPages(_ body: (HarnessPages, WebDriverSession) async throws -> Void) async throws {
        let pages = try await HarnessPages.start()
        do {
            try await SharedBrowser.withSession { browser in try await body(pages, browser) }
        } catch {
            await pages.stop()
            throw error
        }
        await pages.stop()
    }
}

/// A missing browser fails the run on CI (and only there): the one place the rule is checked.
@Suite("BrowserHarness requirement")
struct BrowserHarnessRequirementTests {
    @Test func browserIsInstalledWhereCIRequiresIt() {
        if let failure = BrowserRequirement.ciFailure {
            Issue.record(Comment(rawValue: failure))
        }
    }

    @Test func theRuleReadsTheEnvironment() {
        let missing = ChromeBinaries.locate(environment: ["PATH": "/nonexistent", "SCORECARD_CHROMEDRIVER": "/nonexistent/chromedriver"])
        guard case .failure(let error) = missing else {
            Issue.record("a chromedriver that does not exist was found")
            return
        }
        #expect(error.code == WebDriverError.unavailable)
        #expect(error.message.contains("SCORECARD_CHROMEDRIVER=/nonexistent/chromedriver is not an executable file"))
        // /usr/bin is searched even without PATH, so only the override is reported missing here
        // when Chromium is installed.
        if case .success = ChromeBinaries.locate(environment: ["PATH": ""]) {
            #expect(!error.message.contains("chromium not found"))
        }
    }
}

/// A chromedriver that stops answering fails the call at its deadline instead of hanging the
/// suite; stopping the driver kills it. Needs no browser: the "chromedriver" is a shell script
/// that announces a port served by a loopback server whose `POST /session` never answers.
@Suite("BrowserHarness deadlines")
struct BrowserHarnessDeadlineTests {
    @Test func aHungChromedriverFailsAtTheDeadline() async throws {
        let hung = try await HungDriverServer.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("harness-fake-driver-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let script = directory + "/chromedriver"
        // Written through a close-on-exec descriptor: one inherited by a process another test
        // spawns meanwhile would keep the file open for writing, and exec would fail (ETXTBSY).
        let fd = open(script, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        try #require(fd >= 0)
        let text = """
            #!/bin/sh
            echo $$ > "\(directory)/pid"
            echo "ChromeDriver was started successfully on port \(hung.port)."
            exec sleep 600
            """
        #expect(write(fd, text, text.utf8.count) == text.utf8.count)
        close(fd)

        let driver = try await ChromeDriver.start(binaries: ChromeBinaries(chromedriver: script, chromium: "/bin/false"))
        #expect(driver.port == hung.port)
        #expect(try await driver.isReady())
        let started = ContinuousClock.now
        let error = await #expect(throws: WebDriverError.self) {
            _ = try await driver.newSession(BrowserOptions(sessionStartTimeout: .milliseconds(500)))
        }
        #expect(error?.code == WebDriverError.deadlineExceeded)
        #expect(error?.command == "POST /session")
        #expect(ContinuousClock.now - started < .seconds(5))
        await hung.stop()

        // Stopping the driver kills the fake chromedriver (and its process group).
        let pid = try #require(pid_t(try String(contentsOfFile: directory + "/pid", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(pid, 0) == 0)
        #expect(driver.isRunning)
        driver.stop()
        #expect(!driver.isRunning)
        #expect(kill(pid, 0) != 0)
    }

    @Test func aDriverThatNeverStartsFailsWithItsOutput() async throws {
        let error = await #expect(throws: WebDriverError.self) {
            _ = try await ChromeDriver.start(binaries: ChromeBinaries(chromedriver: "/bin/false", chromium: "/bin/false"), timeout: .seconds(2))
        }
        #expect(error?.code == WebDriverError.startFailed)
    }
}

// MARK: - The pages

/// A small site on a free loopback port: a home page with a form, a cookie, light and dark CSS and
/// an inline SVG; a page that logs errors; one with missing sub-resources; one wider than a phone;
/// a tall one.
struct HarnessPages {
    let port: Int
    let task: Task<Void, any Error>

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    static func start() async throws -> HarnessPages {
        let router = Router()
        router.get("/") { _, _ in
            html(home, headers: [.setCookie: "harness_visit=1; Path=/; HttpOnly; SameSite=Lax"])
        }
        router.post("/greet") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 16)
            let name = form(String(decoding: body.readableBytesView, as: UTF8.self))["name"] ?? ""
            return html(page("Greeting", "<p id=\"greeting\">Hello, \(escape(name))</p>"))
        }
        router.get("/cookies") { request, _ in
            html(page("Cookies", "<p id=\"cookies\">\(escape(request.headers[.cookie] ?? ""))</p>"))
        }
        router.get("/console") { _, _ in
            html(
                page(
                    "Console", "<p>Logs</p>",
                    script: """
                        console.log('harness: just saying');
                        console.error('harness: the chart has no data');
                        setTimeout(() => { throw new Error('harness: uncaught'); }, 0);
                        """))
        }
        router.get("/broken") { _, _ in
            html(
                page(
                    "Broken", "<img src=\"/missing.png\" alt=\"missing\"><img src=\"http://127.0.0.1:9/refused.png\" alt=\"refused\">",
                    head: "<link rel=\"stylesheet\" href=\"/missing.css\">"))
        }
        router.get("/wide") { _, _ in
            html(page("Wide", "<table style=\"width: 1200px\"><tr><td>A table wider than a phone</td></tr></table>"))
        }
        router.get("/tall") { _, _ in
            html(page("Tall", "<div style=\"height: 2000px; background: linear-gradient(#2563eb, #f59e0b)\"></div>", head: "<style>body{margin:0}</style>"))
        }
        let (port, task) = try await LoopbackApp.start(router, name: "the harness pages")
        return HarnessPages(port: port, task: task)
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }

    static let home = page(
        "Harness home",
        """
        <h1>Calls this week</h1>
        <svg id="chart" viewBox="0 0 300 120" width="100%" role="img" aria-label="Calls per day">
          <rect x="10" y="40" width="80" height="80" fill="#2563eb"/>
          <rect x="110" y="10" width="80" height="110" fill="#2563eb"/>
          <rect x="210" y="70" width="80" height="50" fill="#f59e0b"/>
        </svg>
        <form method="post" action="/greet">
          <label>Name <input name="name" value="placeholder"></label>
          <button type="submit">Greet</button>
        </form>
        <p id="hidden" hidden>Not shown</p>
        """,
        head: """
            <style>
              :root { color-scheme: light dark; }
              body { margin: 0 auto; padding: 16px; max-width: 720px; font-family: sans-serif;
                     background: rgb(255, 255, 255); color: rgb(17, 24, 39); }
              @media (prefers-color-scheme: dark) { body { background: rgb(17, 24, 39); color: rgb(243, 244, 246); } }
              svg { display: block; max-width: 100%; height: auto; }
              input { max-width: 100%; }
            </style>
            """)

    static func page(_ title: String, _ body: String, head: String = "", script: String? = nil) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title)</title><link rel="icon" href="data:,">\(head)</head>
        <body>\(body)\(script.map { "<script>\($0)</script>" } ?? "")</body></html>
        """
    }

    static func html(_ text: String, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "text/html; charset=utf-8"
        return Response(status: .ok, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: Array(text.utf8))))
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// `application/x-www-form-urlencoded` fields.
    static func form(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            fields[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return fields
    }
}

/// Answers `GET /status` as a ready chromedriver would, and never answers `POST /session`.
struct HungDriverServer {
    let port: Int
    let task: Task<Void, any Error>
    let released: Flag

    final class Flag: Sendable {
        private let value = Atomic<Bool>(false)
        var isSet: Bool { value.load(ordering: .relaxed) }
        func set() { value.store(true, ordering: .relaxed) }
    }

    static func start() async throws -> HungDriverServer {
        let released = Flag()
        let router = Router()
        router.get("/status") { _, _ in #"{"value":{"ready":true,"message":"fake"}}"# }
        router.post("/session") { _, _ -> String in
            // Hang (until the test is done with us).
            let start = ContinuousClock.now
            while !released.isSet, ContinuousClock.now - start < .seconds(30) {
                try await Task.sleep(for: .milliseconds(20))
            }
            return "{}"
        }
        let (port, task) = try await LoopbackApp.start(router, name: "the hung driver")
        return HungDriverServer(port: port, task: task, released: released)
    }

    func stop() async {
        released.set()
        task.cancel()
        _ = try? await task.value
    }
}
