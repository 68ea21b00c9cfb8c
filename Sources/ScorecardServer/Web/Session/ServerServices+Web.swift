import Foundation
import Hummingbird
import ScorecardCore

extension ServerServices {
    /// The session named by the request's cookie: nil without one or for an unknown one,
    /// ``PageRedirect/login(next:expired:)`` thrown for an expired one (the caller decides).
    func webSession(_ request: Request) async throws -> WebSession? {
        guard let token = request.cookies[PageCookie.session]?.value, !token.isEmpty, token.count <= 64 else { return nil }
        switch try await store.lookUpToken(hash: Credentials.tokenHash(token), now: Int(Date().timeIntervalSince1970), kind: .web) {
        case .valid(let person):
            return WebSession(scope: try await AccessScope.resolve(for: person, in: store), token: token, csrf: Credentials.csrfToken(forSession: token))
        case .expired:
            throw PageRedirect.login(next: PageRedirect.here(request), expired: true)
        case .unknown:
            return nil
        }
    }

    /// The signed-in session; a redirect to the sign-in page otherwise.
    func requireSession(_ request: Request) async throws -> WebSession {
        guard let session = try await webSession(request) else {
            throw PageRedirect.login(next: PageRedirect.here(request), expired: false)
        }
        return session
    }

    /// The session of a form post, whose `csrf_token` must be the session's: 403 otherwise,
    /// before anything is changed.
    func requirePost(_ request: Request) async throws -> (WebSession, FormBody) {
        let session = try await requireSession(request)
        let form = try await FormBody.read(request)
        guard session.acceptsCSRF(form["csrf_token"]) else { throw PageError.csrf }
        return (session, form)
    }
}
