/// How a ``WebDriverSession`` starts headless Chromium, and its time limits.
public struct BrowserOptions: Sendable {
    /// The initial window size (`--window-size`). Chromium enforces a minimum width of 500 for this
    /// flag; use ``WebDriverSession/setViewportSize(width:height:)`` for narrower (phone) widths.
    public var windowWidth: Int
    public var windowHeight: Int
    /// More Chromium arguments, after the harness's own.
    public var extraArguments: [String]
    /// chromedriver's page-load timeout (a navigation that takes longer fails with `timeout`).
    public var pageLoadTimeout: Duration
    /// chromedriver's script timeout.
    public var scriptTimeout: Duration
    /// The deadline of each WebDriver HTTP call; longer than the page-load timeout, so a slow page
    /// fails with chromedriver's own error and only a hung chromedriver hits this deadline.
    public var commandTimeout: Duration
    /// The deadline of creating the session (starting Chromium).
    public var sessionStartTimeout: Duration

    public init(
        windowWidth: Int = 1280, windowHeight: Int = 800, extraArguments: [String] = [],
        pageLoadTimeout: Duration = .seconds(20), scriptTimeout: Duration = .seconds(10),
        commandTimeout: Duration = .seconds(30), sessionStartTimeout: Duration = .seconds(60)
    ) {
        self.windowWidth = windowWidth
        self.windowHeight = windowHeight
        self.extraArguments = extraArguments
        self.pageLoadTimeout = pageLoadTimeout
        self.scriptTimeout = scriptTimeout
        self.commandTimeout = commandTimeout
        self.sessionStartTimeout = sessionStartTimeout
    }

    /// The Chromium command line: headless, no sandbox (we may run as root), no GPU, /tmp instead
    /// of /dev/shm, device scale 1 (so screenshots are CSS pixels), nothing that phones home.
    /// (Not `--disable-crashpad-for-testing`: with it, chromedriver 156 never hears from the
    /// renderer and every navigation times out.)
    public var chromiumArguments: [String] {
        [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--window-size=\(windowWidth),\(windowHeight)", "--force-device-scale-factor=1",
            "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
        ] + extraArguments
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }
}
