/// What a stored token opens: the JSON API (a bearer token) or the web pages (a session cookie).
///
/// Both live in the same table, hashed the same way; a lookup names the kind it accepts, so a
/// session cookie is never a bearer token and a bearer token never a session.
public enum TokenKind: String, Sendable, Codable, CaseIterable {
    case api
    case web
}
