import Foundation
import Hummingbird
import ScorecardCore

/// The sign-in form's context.
struct LoginView {
    var csrf: String
    var next: String?
    var personID: String
    var error: String?
    var notice: String?
}

extension Routes {
    mutating func addLoginPages() {
        let services = services
        page(.get, "/") { request, _ in
            guard let session = try await services.webSession(request) else { return PageRedirect("/login").response }
            return PageRedirect(Routes.home(session)).response
        }
        page(.get, "/admin/performance") { request, _ in
            PageRedirect(Routes.home(try await services.requireSession(request))).response
        }
        page(.get, "/login") { request, _ in
            if let session = try? await services.webSession(request) {
                return PageRedirect(PageRedirect.safeNext(request.uri.queryParameters.get("next")) ?? Routes.home(session)).response
            }
            let query = request.uri.queryParameters
            let notice = query.get("expired") != nil
                ? "Your session has expired; sign in again."
                : (query.get("signed_out") != nil ? "You have signed out." : nil)
            return Routes.loginForm(request, services, next: PageRedirect.safeNext(query.get("next")), personID: "", error: nil, notice: notice, status: .ok)
        }
        page(.post, "/login") { request, _ in
            let form = try await FormBody.read(request)
            guard let cookie = request.cookies[PageCookie.loginCSRF]?.value, !cookie.isEmpty,
                Credentials.constantTimeEqual(form["csrf_token"] ?? "", cookie)
            else { throw PageError.csrf }
            let personID = form.text("person_id") ?? ""
            let next = PageRedirect.safeNext(form["next"])
            let issued: IssuedToken
            do {
                issued = try await services.login.login(
                    personID: personID, password: form["password"] ?? "", kind: .web, lifetime: services.configuration.sessionLifetimeSeconds,
                    now: Int(Date().timeIntervalSince1970))
            } catch let refusal as LoginRefusal {
                var response = Routes.loginForm(
                    request, services, next: next, personID: personID, error: refusal.message, notice: nil,
                    status: refusal.code == .throttled ? .tooManyRequests : .unauthorized)
                if let wait = refusal.retryAfter { response.headers[.retryAfter] = String(wait) }
                return response
            }
            let scope = try await AccessScope.resolve(for: issued.person, in: services.store)
            let session = WebSession(scope: scope, token: issued.token, csrf: Credentials.csrfToken(forSession: issued.token))
            var response = PageRedirect(next ?? Routes.home(session)).response
            response.setCookie(PageCookie.make(PageCookie.session, issued.token, maxAge: services.configuration.sessionLifetimeSeconds, request: request, configuration: services.configuration))
            response.setCookie(PageCookie.make(PageCookie.loginCSRF, "", maxAge: 0, path: "/login", request: request, configuration: services.configuration))
            return response
        }
        page(.post, "/logout") { request, _ in
            let (session, _) = try await services.requirePost(request)
            try await services.store.revokeToken(hash: Credentials.tokenHash(session.token))
            var response = PageRedirect("/login?signed_out=1").response
            response.setCookie(PageCookie.make(PageCookie.session, "", maxAge: 0, request: request, configuration: services.configuration))
            return response
        }
    }

    /// Where a signed-in person starts: the team overview for managers and admins, else their scorecard.
    static func home(_ session: WebSession) -> String {
        session.managesTeams ? "/admin/performance/team" : "/agent/my-performance"
    }

    /// The sign-in form with a fresh double-submit CSRF cookie.
    static func loginForm(
        _ request: Request, _ services: ServerServices, next: String?, personID: String, error: String?, notice: String?, status: HTTPResponse.Status
    ) -> Response {
        let csrf = Credentials.newToken()
        let view = LoginView(csrf: csrf, next: next, personID: personID, error: error, notice: notice)
        var response = WebPage.render("login", view, chrome: Chrome(title: "Sign in", session: nil, section: .none), status: status)
        response.setCookie(PageCookie.make(PageCookie.loginCSRF, csrf, maxAge: 3600, path: "/login", request: request, configuration: services.configuration))
        return response
    }
}
