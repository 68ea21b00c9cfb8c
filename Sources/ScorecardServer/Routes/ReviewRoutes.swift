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
            return try .json(try await services.reviews.visibleReview(id: try context.parameters.require("id"), scope: scope))
        }
        on(.post, "/api/v1/performance/reviews/generate") { request, _ in
            let scope = try await services.scope(request)
            let body = try await request.decode(GenerateReview.self, limit: 64 << 10)
            let review = try await services.reviews.generate(personID: body.personID, period: body.period, scope: scope, force: body.force ?? false)
            return try .json(review, status: .created)
        }
        on(.post, "/api/v1/performance/reviews/{id}/ack") { request, context in
            let scope = try await services.scope(request)
            return try .json(try await services.reviews.acknowledge(id: try context.parameters.require("id"), scope: scope))
        }
    }
}
