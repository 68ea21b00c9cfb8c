import ScorecardCore

extension ReviewService {
    /// The review, when the caller may see its person; `notFound` otherwise.
    public func visibleReview(id: String, scope: AccessScope) async throws -> Review {
        guard let review = try await store.review(id: id), scope.contains(review.personID) else {
            throw StoreError(.notFound, "No review with id '\(id)' that you may see.")
        }
        return review
    }

    /// An on-demand review asked for by the caller of `scope`: admins for anyone, managers for
    /// the people they manage (never themselves). `period` is an ISO week, default the latest scored.
    public func generate(personID: String, period: String?, scope: AccessScope, force: Bool) async throws -> Review {
        guard scope.caller.role == .admin || (personID != scope.caller.id && scope.contains(personID)) else {
            throw StoreError(.forbidden, "Only managers of \(personID) and admins may ask for a review.")
        }
        if let period, ISOWeek(period) == nil { throw StoreError(.invalid, "period: '\(period)' is not an ISO week like 2026-W46") }
        return try await generate(personID: personID, period: period.flatMap(ISOWeek.init)?.description, actor: scope.caller, force: force)
    }

    /// Acknowledges a review as the caller, who must be the reviewed person (idempotent).
    public func acknowledge(id: String, scope: AccessScope, at: String = Timestamp.now()) async throws -> Review {
        let review = try await visibleReview(id: id, scope: scope)
        guard review.personID == scope.caller.id else {
            throw StoreError(.forbidden, "Only the reviewed person may acknowledge a review.")
        }
        return try await store.acknowledgeReview(id: id, at: at)
    }
}
