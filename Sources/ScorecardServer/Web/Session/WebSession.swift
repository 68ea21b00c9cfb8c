import Foundation
import HTTPTypes
import Hummingbird
import ScorecardCore

/// A signed-in browser: the person behind the session cookie, what they may see, and the CSRF
/// token every form of theirs carries.
struct WebSession: Sendable {
    var scope: AccessScope
    /// The cookie's value (the server stores only its hash).
    var token: String
    /// `Credentials.csrfToken(forSession:)` of ``token``.
    var csrf: String

    var person: Person { scope.caller }

    /// True when the person manages a team (or is an admin): they get the team pages.
    var managesTeams: Bool {
        switch scope.visible {
        case .everyone: return true
        case .people(let ids): return ids.contains { $0 != person.id }
        }
    }

    /// True when `submitted` is this session's CSRF token.
    func acceptsCSRF(_ submitted: String?) -> Bool {
        guard let submitted else { return false }
        return Credentials.constantTimeEqual(submitted, csrf)
    }
}

/// The cookies the pages set.
enum PageCookie {
    /// The session: a 43-character random token, stored hashed as a `web` token.
    static let session = "scorecard_session"
    /// The sign-in form's double-submit CSRF token (there is no session yet to derive one from).
    static let loginCSRF = "scorecard_login_csrf"

    /// True when cookies must be marked `Secure`: configured so, or the request came over TLS
    /// through a proxy that says so (`X-Forwarded-Proto: https`).
    static func secure(_ request: Request, _ configuration: ServerConfiguration) -> Bool {
        configuration.secureCookies || request.headers[.forwardedProto]?.lowercased() == "https"
    }

    static func make(_ name: String, _ value: String, maxAge: Int, path: String = "/", request: Request, configuration: ServerConfiguration) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: path, secure: secure(request, configuration), httpOnly: true, sameSite: .lax)
    }
}

extension HTTPField.Name {
    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!
}
