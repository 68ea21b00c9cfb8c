import Foundation
import Hummingbird
import ScorecardCore

extension Routes {
    /// The body of `POST /api/v1/performance/reviews/generate`.
    struct GenerateReview: Decodable {
        var personID: String
        var period: String?
        var force: Bool?

        enum CodingKeys: String, CodingKey {
            case period, force
            case personID = "person_id"
        }
    }

    mutating func addReviewRoutes() {
        let services = services
        on(.get, "/api/v1/performance/reviews") { request, _ in
            let scope = try await services.scope(request)
            let personID = try scope.effectivePerson(request.uri.queryParameters.get("person_id"))
            let limit = try request.query("limit") { Int($0).flatMap { (1...200).contains($0) ? $0 : nil } } ?? 20
            return try .json(["reviews": try await services.store.reviews(personID: personID, limit: limit)])
        }
        on(.get, "/api/v1/performance/reviews/{id}") { request, context in
            let scope = try await services.scope(request)
            let id = try context.parameters.require("id")
            guard let review = try await services.store.review(id: id), scope.contains(review.personID) else {
                throw APIError(.notFound, "not_found", "No review with id '\(id)' that you may see.")
            }
            return try .json(review)
        }
        on(.post, "/api/v1/performance/reviews/generate") { request, _ in
            let scope = try await services.scope(request)
            let body = try await request.decode(GenerateReview.self, limit: 64 << 10)
            guard scope.caller.role == .admin || (body.personID != scope.caller.id && scope.contains(body.personID)) else {
                throw APIError(.forbidden, "forbidden", "Only managers of \(body.personID) and admins may ask for a review.")
            }
            if let period = body.period, ISOWeek(period) == nil { throw APIError.invalid("period", "'\(period)' is not an ISO week like 2026-W46") }
            let review = try await services.reviews.generate(
                personID: body.personID, period: body.period.flatMap(ISOWeek.init)?.description, actor: scope.caller, force: body.force ?? false)
            return try .json(review, status: .created)
        }
        on(.post, "/api/v1/performance/reviews/{id}/ack") { request, context in
            let scope = try await services.scope(request)
            let caller = scope.caller
            let id = try context.parameters.require("id")
            guard let review = try await services.store.review(id: id), scope.contains(review.personID) else {
                throw APIError(.notFound, "not_found", "No review with id '\(id)' that you may see.")
            }
            guard review.personID == caller.id else {
                throw APIError(.forbidden, "forbidden", "Only the reviewed person may acknowledge a review.")
            }
            return try .json(try await services.store.acknowledgeReview(id: id, at: Timestamp.now()))
        }
    }
}
