import ScorecardCore

/// A cookie as WebDriver reports it.
public struct WebCookie: Sendable, Equatable {
    public var name: String
    public var value: String
    public var path: String?
    public var domain: String?
    public var secure: Bool
    public var httpOnly: Bool
    /// `Strict`, `Lax` or `None`.
    public var sameSite: String?
    /// Seconds since 1970; nil for a session cookie.
    public var expiry: Int?

    public init(
        name: String, value: String, path: String? = "/", domain: String? = nil, secure: Bool = false, httpOnly: Bool = false,
        sameSite: String? = nil, expiry: Int? = nil
    ) {
        self.name = name
        self.value = value
        self.path = path
        self.domain = domain
        self.secure = secure
        self.httpOnly = httpOnly
        self.sameSite = sameSite
        self.expiry = expiry
    }

    init(json: JSONValue) throws {
        guard let name = json.member("name")?.asString, let value = json.member("value")?.asString else {
            throw WebDriverError(code: WebDriverError.invalidResponse, message: "not a cookie: \(json)", command: "GET /cookie")
        }
        self.init(
            name: name, value: value, path: json.member("path")?.asString, domain: json.member("domain")?.asString,
            secure: json.member("secure")?.asBool ?? false, httpOnly: json.member("httpOnly")?.asBool ?? false,
            sameSite: json.member("sameSite")?.asString, expiry: json.member("expiry")?.asInt)
    }

    var json: JSONValue {
        var object: [String: JSONValue] = ["name": .string(name), "value": .string(value), "secure": .bool(secure), "httpOnly": .bool(httpOnly)]
        if let path { object["path"] = .string(path) }
        if let domain { object["domain"] = .string(domain) }
        if let sameSite { object["sameSite"] = .string(sameSite) }
        if let expiry { object["expiry"] = .number(Double(expiry)) }
        return .object(object)
    }
}
