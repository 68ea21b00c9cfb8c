import ScorecardCore

extension FeedbackEntry {
    /// The wire form of a validated `feedback` activity record.
    public init(_ record: ActivityRecord, kind: ActivityKind, version: Int) {
        func text(_ name: String) -> String? {
            if case .text(let s) = record.value(name, in: kind) { return s }
            return nil
        }
        var rating: Int?
        if case .int(let r) = record.value("rating", in: kind) { rating = r }
        self.init(
            id: record.id, personID: record.personID, projectID: text("project_id"), occurredAt: text("occurred_at") ?? "",
            feedbackType: FeedbackType(rawValue: text("feedback_type") ?? "") ?? .approval, feedback: text("feedback") ?? "",
            rating: rating, context: text("context"), learningPattern: text("learning_pattern"), version: version)
    }
}
