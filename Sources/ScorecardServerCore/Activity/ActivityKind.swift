import ScorecardCore

/// The type of one activity field, with the validation its values get on ingest.
public enum FieldType: Sendable, Equatable {
    /// `YYYY-MM-DDTHH:MM:SSZ` (fraction allowed, stored without it).
    case timestamp
    /// `YYYY-MM-DD`.
    case date
    /// true/false, stored 1/0.
    case bool
    /// A non-negative number.
    case number
    /// An integer in `range`.
    case integer(ClosedRange<Int>)
    /// A non-empty string of at most `maxLength` characters.
    case string(maxLength: Int)
    /// One of the listed words.
    case oneOf([String])
}

/// One field of an activity kind: its JSON key is its column name.
public struct ActivityField: Sendable {
    public var name: String
    public var type: FieldType
    /// Required fields reject the record when missing or null.
    public var required: Bool
    /// The value stored when the field is missing (nil: NULL).
    public var defaultValue: ActivityValue?

    init(_ name: String, _ type: FieldType, required: Bool = false, default defaultValue: ActivityValue? = nil) {
        self.name = name
        self.type = type
        self.required = required
        self.defaultValue = defaultValue
    }
}

/// A validated value ready to bind.
public enum ActivityValue: Sendable, Hashable {
    case null
    case int(Int)
    case double(Double)
    case text(String)
}

/// The activity kinds `POST /api/v1/ingest/activities` accepts (docs/api.md, docs/scoring.md).
///
/// Each kind is one table keyed by the external `id`; every field is a column of the same name.
public struct ActivityKind: Sendable {
    /// The `kind` word in a record.
    public var name: String
    /// The table it is stored in.
    public var table: String
    /// The field that places a record in a scoring week (docs/scoring.md).
    public var periodField: String
    public var fields: [ActivityField]

    static let summary = ActivityField("summary", .string(maxLength: 4000))

    public static let all: [ActivityKind] = [
        ActivityKind(
            name: "ticket", table: "tickets", periodField: "resolved_at",
            fields: [
                ActivityField("opened_at", .timestamp, required: true),
                ActivityField("resolved_at", .timestamp),
                ActivityField("sla_met", .bool),
                ActivityField("resolution_minutes", .number),
                ActivityField("escalated", .bool, default: .int(0)),
                ActivityField("csat", .integer(1...5)),
                ActivityField("tagged", .bool, default: .int(0)),
                summary,
            ]),
        ActivityKind(
            name: "task", table: "tasks", periodField: "assigned_at",
            fields: [
                ActivityField("assigned_at", .timestamp, required: true),
                ActivityField("due_date", .date),
                ActivityField("completed_at", .timestamp),
                ActivityField("blocked", .bool, default: .int(0)),
                ActivityField("estimated_minutes", .number),
                ActivityField("actual_minutes", .number),
            ]),
        ActivityKind(
            name: "work_order", table: "work_orders", periodField: "assigned_at",
            fields: [
                ActivityField("assigned_at", .timestamp, required: true),
                ActivityField("scheduled_start", .timestamp),
                ActivityField("actual_start", .timestamp),
                ActivityField("completed_at", .timestamp),
                ActivityField("estimated_minutes", .number),
                ActivityField("actual_minutes", .number),
                ActivityField("has_notes", .bool, default: .int(0)),
                summary,
            ]),
        ActivityKind(
            name: "conversation", table: "conversations", periodField: "started_at",
            fields: [
                ActivityField("started_at", .timestamp, required: true),
                ActivityField("channel", .string(maxLength: 40), required: true),
                ActivityField("first_response_minutes", .number),
                ActivityField("resolution_minutes", .number),
                ActivityField("resolved", .bool, default: .int(0)),
                ActivityField("tagged", .bool, default: .int(0)),
                summary,
            ]),
        ActivityKind(
            name: "lead", table: "leads", periodField: "created_at",
            fields: [
                ActivityField("created_at", .timestamp, required: true),
                ActivityField("status", .oneOf(["open", "won", "lost"]), default: .text("open")),
                ActivityField("closed_at", .timestamp),
                ActivityField("value", .number, default: .double(0)),
            ]),
        ActivityKind(
            name: "quote", table: "quotes", periodField: "sent_at",
            fields: [
                ActivityField("sent_at", .timestamp, required: true),
                ActivityField("accepted", .bool),
                ActivityField("value", .number, default: .double(0)),
            ]),
        ActivityKind(
            name: "lead_message", table: "lead_messages", periodField: "sent_at",
            fields: [
                ActivityField("sent_at", .timestamp, required: true),
                ActivityField("lead_id", .string(maxLength: 200)),
            ]),
        ActivityKind(
            name: "record", table: "records", periodField: "touched_at",
            fields: [
                ActivityField("touched_at", .timestamp, required: true),
                ActivityField("record_type", .oneOf(["contact", "organization"]), required: true),
                ActivityField("fields_total", .integer(1...1000), required: true),
                ActivityField("fields_filled", .integer(0...1000), required: true),
                ActivityField("note_length", .integer(0...1_000_000), default: .int(0)),
            ]),
        ActivityKind(
            name: "feedback", table: "feedback", periodField: "occurred_at",
            fields: [
                ActivityField("occurred_at", .timestamp, required: true),
                ActivityField("feedback_type", .oneOf(FeedbackType.allCases.map(\.rawValue)), required: true),
                ActivityField("feedback", .string(maxLength: 4000), required: true),
                ActivityField("rating", .integer(1...5)),
                ActivityField("context", .string(maxLength: 4000)),
                ActivityField("project_id", .string(maxLength: 200)),
                ActivityField("learning_pattern", .string(maxLength: 4000)),
            ]),
    ]

    /// The kind called `name`.
    public static func named(_ name: String) -> ActivityKind? { all.first { $0.name == name } }
}
