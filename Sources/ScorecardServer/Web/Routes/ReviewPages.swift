import Foundation
import Hummingbird
import ScorecardCore

extension Routes {
    mutating func addReviewPages() {
        let services = services
        page(.get, "/admin/performance/reviews/{id}") { request, context in
            let session = try await services.requireSession(request)
            let review = try await services.reviews.visibleReview(id: try context.parameters.require("id"), scope: session.scope)
            if review.personID == session.person.id { throw PageRedirect("/agent/my-performance/reviews/\(PageRedirect.escape(review.id))") }
            let notice = request.uri.queryParameters.get("generated") != nil ? "Review written." : nil
            return try await Routes.reviewPage(services, session, review, isSelf: false, notice: notice)
        }
        page(.get, "/agent/my-performance/reviews/{id}") { request, context in
            let session = try await services.requireSession(request)
            let review = try await services.reviews.visibleReview(id: try context.parameters.require("id"), scope: session.scope)
            guard review.personID == session.person.id else { throw PageError.notFound() }
            let notice = request.uri.queryParameters.get("acknowledged") != nil ? "Thank you: the review is acknowledged." : nil
            return try await Routes.reviewPage(services, session, review, isSelf: true, notice: notice)
        }
        page(.post, "/agent/my-performance/reviews/{id}/ack") { request, context in
            let (session, _) = try await services.requirePost(request)
            let id = try context.parameters.require("id")
            let review = try await services.reviews.visibleReview(id: id, scope: session.scope)
            guard review.personID == session.person.id else { throw PageError.notFound() }
            _ = try await services.reviews.acknowledge(id: id, scope: session.scope)
            return PageRedirect("/agent/my-performance/reviews/\(PageRedirect.escape(id))?acknowledged=1").response
        }
    }

    static func reviewPage(_ services: ServerServices, _ session: WebSession, _ review: Review, isSelf: Bool, notice: String?) async throws -> Response {
        async let person = services.store.person(id: review.personID)
        async let settings = services.store.settings()
        let view = ReviewView.make(
            review: review, person: try await person, isSelf: isSelf, threshold: try await settings.double("flagged_threshold"), session: session, notice: notice)
        return WebPage.render("review", view, chrome: Chrome(title: "Review · \(view.personName)", session: session, section: isSelf ? .mine : .team))
    }
}
