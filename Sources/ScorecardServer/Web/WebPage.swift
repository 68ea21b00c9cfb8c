import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Mustache
import ScorecardCore

/// Page responses: rendering through the templates, the security headers every page carries,
/// and HTML error pages.
enum WebPage {
    /// No inline scripts or styles, nothing from other sites, no framing.
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    /// Adds the pages' security headers (and keeps personal pages out of caches).
    static func secure(_ response: inout Response) {
        response.headers[.contentSecurityPolicy] = contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "same-origin"
        response.headers[.xFrameOptions] = "DENY"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
    }

    /// Renders `template` with `view`, wraps it in the layout with `chrome`, and answers HTML.
    static func render(_ template: String, _ view: Any, chrome: Chrome, status: HTTPResponse.Status = .ok, bodyClass: String = "") -> Response {
        let body = WebTemplates.render(view, template)
        let page = WebTemplates.render(LayoutView(chrome: chrome, body: body, bodyClass: bodyClass), "layout")
        return html(page, status: status)
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The HTML error page for any error a page handler threw.
    static func errorResponse(_ error: any Error, session: WebSession? = nil, logger: Logger) -> Response {
        let page = PageError.from(error, logger: logger)
        var response = render("error", page, chrome: Chrome(title: page.title, session: session, section: .none), status: page.status)
        for field in page.headers { response.headers.append(field) }
        return response
    }
}

/// What an error page says: a status, a title and a sentence a person can act on.
struct PageError: Error {
    var status: HTTPResponse.Status
    var title: String
    var message: String
    var headers: HTTPFields = [:]
    var code: Int { status.code }

    /// A form posted without this session's CSRF token.
    static let csrf = PageError(
        status: .forbidden, title: "This form has expired",
        message: "The form was sent without a valid security token (it may come from an old tab or another site). Nothing was changed; reload the page and try again.")

    static func notFound(_ message: String = "There is no such page, or it is about someone you may not see.") -> PageError {
        PageError(status: .notFound, title: "Not found", message: message)
    }

    static func forbidden(_ message: String) -> PageError {
        PageError(status: .forbidden, title: "Not permitted", message: message)
    }

    /// Maps an error to the page a person sees (the same statuses the API answers).
    static func from(_ error: any Error, logger: Logger) -> PageError {
        switch error {
        case let e as PageError: return e
        case let e as StoreError:
            switch e.code {
            case .notFound: return .notFound(e.message)
            case .forbidden: return .forbidden(e.message)
            case .invalid: return PageError(status: .unprocessableContent, title: "That did not work", message: e.message)
            case .conflict: return PageError(status: .conflict, title: "Conflict", message: e.message)
            case .cursorExpired, .unsupported: return PageError(status: .badRequest, title: "Bad request", message: e.message)
            case .unavailable:
                logger.warning("database unavailable: \(e.message)")
                return PageError(
                    status: .serviceUnavailable, title: "Try again shortly",
                    message: "The server cannot reach its database just now; nothing was changed. Reload the page in a moment.",
                    headers: [.retryAfter: "5"])
            }
        case let e as APIError:
            return PageError(status: e.status, title: e.status.reasonPhrase, message: e.message, headers: e.headers)
        case let e as HTTPError where e.status == .notFound:
            return .notFound()
        case let e as any HTTPResponseError where e.status == .contentTooLarge:
            return PageError(status: .contentTooLarge, title: "Too large", message: "The form is larger than this server accepts.")
        case let e as HTTPError:
            return PageError(status: e.status, title: e.status.reasonPhrase, message: e.body ?? e.status.reasonPhrase)
        default:
            logger.error("page failed: \(String(reflecting: error))")
            return PageError(
                status: .internalServerError, title: "Something went wrong",
                message: "The server failed to show this page. Try again; if it keeps failing, tell the operator the time it happened.")
        }
    }
}

extension HTTPField.Name {
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
}
