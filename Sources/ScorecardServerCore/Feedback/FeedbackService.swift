import Foundation
import ScorecardCore

/// Logs a feedback entry about a person (seed 001's tracking) on behalf of their manager: the
/// entry is validated and stored as a `feedback` activity, exactly like ingested feedback, so it
/// lands in the same table and in the person's change feed.
public enum FeedbackService {
    /// A new entry as a manager writes it (`POST /api/v1/performance/feedback`, the dashboard's form).
    public struct Draft: Codable, Sendable, Equatable {
        public var personID: String
        public var feedbackType: String
        public var feedback: String
        public var rating: Int?
        public var context: String?
        public var projectID: String?

        public init(personID: String, feedbackType: String, feedback: String, rating: Int?, context: String?, projectID: String? = nil) {
            self.personID = personID
            self.feedbackType = feedbackType
            self.feedback = feedback
            self.rating = rating
            self.context = context
            self.projectID = projectID
        }

        enum CodingKeys: String, CodingKey {
            case feedback, rating, context
            case personID = "person_id"
            case feedbackType = "feedback_type"
            case projectID = "project_id"
        }
    }

    /// Stores `draft` for a person the caller manages (admins: anyone); returns the entry.
    public static func log(_ draft: Draft, scope: AccessScope, store: any ServerStore, now: String = Timestamp.now()) async throws -> FeedbackEntry {
        guard scope.caller.role == .admin || (draft.personID != scope.caller.id && scope.contains(draft.personID)) else {
            throw StoreError(.forbidden, "Only managers of \(draft.personID) and admins may log feedback about them.")
        }
        guard try await store.person(id: draft.personID)?.active == true else {
            throw StoreError(.notFound, "No active person '\(draft.personID)'.")
        }
        let id = "fb-" + UUID().uuidString.lowercased()
        var object: [String: JSONValue] = [
            "kind": .string("feedback"), "id": .string(id), "person_id": .string(draft.personID), "occurred_at": .string(now),
            "feedback_type": .string(draft.feedbackType), "feedback": .string(draft.feedback.trimmingCharacters(in: .whitespacesAndNewlines)),
        ]
        if let rating = draft.rating { object["rating"] = .number(Double(rating)) }
        if let context = draft.context?.trimmingCharacters(in: .whitespacesAndNewlines), !context.isEmpty { object["context"] = .string(context) }
        if let project = draft.projectID, !project.isEmpty { object["project_id"] = .string(project) }
        let record: ActivityRecord
        switch ActivityRecord.parse(object) {
        case .success(let r): record = r
        case .failure(let error): throw StoreError(.invalid, error.reason)
        }
        let result = try await store.ingestActivities([(0, record)])
        if let rejection = result.rejected.first { throw StoreError(.invalid, rejection.reason) }
        let kind = ActivityKind.named("feedback")!
        func text(_ name: String) -> String? {
            if case .text(let value) = record.value(name, in: kind) { return value }
            return nil
        }
        var rating: Int?
        if case .int(let r) = record.value("rating", in: kind) { rating = r }
        return FeedbackEntry(
            id: id, personID: draft.personID, projectID: text("project_id"), occurredAt: text("occurred_at") ?? now,
            feedbackType: FeedbackType(rawValue: text("feedback_type") ?? "") ?? .approval, feedback: text("feedback") ?? "",
            rating: rating, context: text("context"), learningPattern: nil, version: 1)
    }
}
