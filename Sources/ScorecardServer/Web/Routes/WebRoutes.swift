import Foundation
import Hummingbird
import ScorecardCore

extension Routes {
    /// Every page (seed 002's routes, seed 000's page, seed 001's dashboard) and their assets.
    mutating func addWebRoutes() {
        addStaticRoutes()
        addLoginPages()
        addTeamPages()
        addScorecardPages()
        addGoalForms()
        addCallsPages()
        addReviewPages()
        addFeedbackPages()
        addSettingsPages()
    }

    /// Registers a page: its errors become HTML error pages (the API keeps its JSON errors), its
    /// redirects 303s, and every answer carries the pages' security headers.
    mutating func page(
        _ method: HTTPRequest.Method, _ path: String,
        _ handler: @escaping @Sendable (Request, ScorecardContext) async throws -> Response
    ) {
        table.addPage(method, path)
        router?.on(RouterPath(path), method: method) { request, context in
            var response: Response
            do {
                response = try await handler(request, context)
            } catch let redirect as PageRedirect {
                response = redirect.response
            } catch {
                response = WebPage.errorResponse(error, logger: context.logger)
            }
            WebPage.secure(&response)
            return response
        }
    }

    mutating func addStaticRoutes() {
        page(.get, "/static/scorecard.css") { request, _ in
            StaticAssets.response(StaticAssets.stylesheet, hash: StaticAssets.stylesheetHash, contentType: "text/css; charset=utf-8", request: request)
        }
        page(.get, "/static/scorecard.js") { request, _ in
            StaticAssets.response(StaticAssets.script, hash: StaticAssets.scriptHash, contentType: "text/javascript; charset=utf-8", request: request)
        }
    }
}

/// Which paths are pages (HTML errors) rather than API endpoints (JSON errors).
enum WebPaths {
    static func isPage(_ path: String) -> Bool {
        path == "/login" || path == "/logout" || path.hasPrefix("/admin/") || path == "/admin" || path.hasPrefix("/agent/")
            || path == "/agent" || path.hasPrefix("/static/")
    }
}
