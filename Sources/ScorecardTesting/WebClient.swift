import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// A browser stand-in for page tests: keeps the cookies the server sets, never follows
/// redirects (tests look at each 303), and fills in the CSRF token of the last page it read.
public final class WebClient: Sendable {
    public let baseURL: String
    private let state = Mutex<(cookies: [String: String], csrf: String?)>(([:], nil))

    public init(baseURL: String) { self.baseURL = baseURL }

    /// The cookies held now, by name.
    public var cookies: [String: String] { state.withLock { $0.cookies } }

    /// Sets or removes (nil) a cookie by hand (to replay an old one, or send a forged one).
    public func setCookie(_ name: String, _ value: String?) { state.withLock { $0.cookies[name] = value } }

    /// The `csrf_token` of the last HTML page read, if it had a form.
    public var csrf: String? { state.withLock { $0.csrf } }

    public func get(_ path: String, headers: [String: String] = [:]) async throws -> TestResponse {
        try await send("GET", path, body: nil, headers: headers)
    }

    /// Posts a form; `csrf: true` adds the token of the last page read.
    public func post(_ path: String, form: [String: String], csrf: Bool = true, headers: [String: String] = [:]) async throws -> TestResponse {
        var fields = form
        if csrf, fields["csrf_token"] == nil, let token = self.csrf { fields["csrf_token"] = token }
        let body = fields.sorted { $0.key < $1.key }.map { "\(WebClient.escape($0.key))=\(WebClient.escape($0.value))" }.joined(separator: "&")
        var all = headers
        all["Content-Type"] = "application/x-www-form-urlencoded"
        return try await send("POST", path, body: Data(body.utf8), headers: all)
    }

    /// Signs in through the form (reading it first for its CSRF cookie and token).
    @discardableResult
    public func signIn(_ personID: String, password: String) async throws -> TestResponse {
        _ = try await get("/login")
        return try await post("/login", form: ["person_id": personID, "password": password])
    }

    public func send(_ method: String, _ path: String, body: Data?, headers: [String: String]) async throws -> TestResponse {
        var request = URLRequest(url: URL(string: baseURL + path)!)
        request.httpMethod = method
        request.httpBody = body
        request.httpShouldHandleCookies = false
        let cookieHeader = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        if !cookieHeader.isEmpty { request.setValue(cookieHeader, forHTTPHeaderField: "Cookie") }
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        let (data, response) = try await WebClient.session.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (k, v) in http.allHeaderFields { fields["\(k)"] = "\(v)" }
        let result = TestResponse(status: http.statusCode, headers: fields, body: data)
        if let setCookie = result.header("Set-Cookie") { absorb(setCookie) }
        if let token = WebClient.firstMatch(#"name="csrf_token" value="([^"]+)""#, in: result.text) { state.withLock { $0.csrf = token } }
        return result
    }

    /// Reads `Set-Cookie` (several may arrive joined by commas; these cookies carry no `Expires`).
    func absorb(_ header: String) {
        for cookie in header.components(separatedBy: ",") {
            let parts = cookie.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let pair = parts.first, let eq = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<eq]), value = String(pair[pair.index(after: eq)...])
            let expired = parts.contains { $0.lowercased() == "max-age=0" } || value.isEmpty
            state.withLock { $0.cookies[name] = expired ? nil : value }
        }
    }

    /// The first capture group of `pattern` in `text`.
    public static func firstMatch(_ pattern: String, in text: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
            let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)), match.numberOfRanges > 1,
            let range = Range(match.range(at: 1), in: text)
        else { return nil }
        return String(text[range])
    }

    /// Every first capture group of `pattern` in `text`.
    public static func allMatches(_ pattern: String, in text: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    static func escape(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    /// A session that never follows redirects.
    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 30
        configuration.httpShouldSetCookies = false
        return URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
    }()
}

/// Hands every redirect back to the caller instead of following it.
final class NoRedirects: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse, newRequest request: URLRequest,
        completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
