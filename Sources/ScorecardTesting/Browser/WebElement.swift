import Foundation
import ScorecardCore

/// An element of the page a ``WebDriverSession`` shows, found by CSS selector.
///
/// Valid until the page changes (then commands answer `stale element reference`).
public struct WebElement: Sendable {
    /// chromedriver's element id.
    public let id: String
    /// The session the element belongs to.
    public let session: WebDriverSession

    /// The W3C key of an element reference in JSON.
    static let referenceKey = "element-6066-11e4-a52e-4f735466cecf"

    init(id: String, session: WebDriverSession) {
        self.id = id
        self.session = session
    }

    /// The element as a script argument (`arguments[i]` is the DOM element).
    public var scriptArgument: JSONValue { [Self.referenceKey: .string(id)] }

    /// The element a script returned (``WebDriverSession/executeScript(_:args:)``), nil when the
    /// result is not an element reference.
    public init?(scriptResult: JSONValue, session: WebDriverSession) {
        guard case .object(let object) = scriptResult, let id = object[Self.referenceKey]?.asString else { return nil }
        self.init(id: id, session: session)
    }

    private var path: String { "/element/\(id)" }

    /// Clicks it (scrolls it into view first; fails if something else would get the click).
    public func click() async throws { try await session.command("POST", path + "/click") }

    /// Types `text` into it.
    public func sendKeys(_ text: String) async throws {
        try await session.command("POST", path + "/value", ["text": .string(text)])
    }

    /// Empties an input or textarea.
    public func clear() async throws { try await session.command("POST", path + "/clear") }

    /// Its rendered text (what a user sees, whitespace collapsed).
    public func text() async throws -> String {
        try await session.command("GET", path + "/text").asString ?? ""
    }

    /// The attribute as written in the HTML, nil when absent.
    public func attribute(_ name: String) async throws -> String? {
        try await session.command("GET", path + "/attribute/\(name)").asString
    }

    /// The DOM property (`value`, `checked`…), as JSON.
    public func property(_ name: String) async throws -> JSONValue {
        try await session.command("GET", path + "/property/\(name)")
    }

    /// A computed CSS value, e.g. `cssValue("color")` → `rgba(0, 0, 0, 1)`.
    public func cssValue(_ property: String) async throws -> String {
        try await session.command("GET", path + "/css/\(property)").asString ?? ""
    }

    /// The lower-case tag name.
    public func tagName() async throws -> String {
        try await session.command("GET", path + "/name").asString ?? ""
    }

    /// Whether it is displayed (chromedriver's `displayed` endpoint: the WebDriver visibility atom).
    public func isDisplayed() async throws -> Bool {
        try await session.command("GET", path + "/displayed").asBool ?? false
    }

    /// The first descendant matching `css`; throws `no such element` when there is none.
    public func findElement(css: String) async throws -> WebElement {
        let value = try await session.command("POST", path + "/element", ["using": "css selector", "value": .string(css)])
        return try session.element(from: value)
    }

    /// Every descendant matching `css`.
    public func findElements(css: String) async throws -> [WebElement] {
        let value = try await session.command("POST", path + "/elements", ["using": "css selector", "value": .string(css)])
        return try (value.asArray ?? []).map { try session.element(from: $0) }
    }

    /// Clicks it and waits until a new document has replaced the page and finished loading
    /// (a link, a submit button). chromedriver does not always wait for a navigation a click
    /// starts, so a plain ``click()`` may return while the old page is still shown.
    public func clickAndWaitForNavigation(timeout: Duration = .seconds(10)) async throws {
        let marker = try await session.markDocument()
        try await click()
        try await session.waitForNewDocument(replacing: marker, timeout: timeout)
    }

    /// Submits the form this element is (or is in) the way a user does: by clicking its submit
    /// button (`button[type=submit]`, `input[type=submit]`, or a `button` without a type), then,
    /// unless `waitForNavigation` is false (a form a script submits in place), waits for the
    /// page the form leads to.
    public func submit(waitForNavigation: Bool = true, timeout: Duration = .seconds(10)) async throws {
        let script = """
            const e = arguments[0];
            const form = e.tagName === 'FORM' ? e : (e.form || e.closest('form'));
            if (!form) return null;
            return form.querySelector('button[type=submit], input[type=submit], button:not([type])');
            """
        let value = try await session.executeScript(script, args: [scriptArgument])
        guard let button = WebElement(scriptResult: value, session: session) else {
            throw WebDriverError(code: WebDriverError.harness, message: "no form with a submit button around element \(id)", command: "submit")
        }
        if waitForNavigation {
            try await button.clickAndWaitForNavigation(timeout: timeout)
        } else {
            try await button.click()
        }
    }

    /// A PNG of just this element.
    public func screenshotPNG() async throws -> Data {
        try session.decodePNG(try await session.command("GET", path + "/screenshot"), command: "GET \(path)/screenshot")
    }
}
