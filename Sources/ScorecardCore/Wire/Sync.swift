/// The streams of a person's change feed.
public enum SyncStream: String, Codable, Sendable, CaseIterable {
    case calls
    case daySummaries = "day_summaries"
    case snapshots, reviews, goals, feedback
}

/// Whether a change carries the entity's current state or removes it.
public enum ChangeOp: String, Codable, Sendable {
    case upsert, delete
}

/// One entry of a pull page, generic over how `data` is held.
public struct Change<Data: Codable & Sendable>: Codable, Sendable {
    public var seq: Int64
    public var stream: String
    public var op: ChangeOp
    public var id: String
    public var data: Data?

    public init(seq: Int64, stream: String, op: ChangeOp, id: String, data: Data?) {
        self.seq = seq
        self.stream = stream
        self.op = op
        self.id = id
        self.data = data
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(seq, forKey: .seq)
        try c.encode(stream, forKey: .stream)
        try c.encode(op, forKey: .op)
        try c.encode(id, forKey: .id)
        try c.encode(data, forKey: .data)  // explicit null for tombstones
    }

    enum CodingKeys: String, CodingKey { case seq, stream, op, id, data }
}

/// `GET /api/v1/sync/pull` answer.
public struct PullPage<Data: Codable & Sendable>: Codable, Sendable {
    public var changes: [Change<Data>]
    public var next: Int64
    public var hasMore: Bool

    public init(changes: [Change<Data>], next: Int64, hasMore: Bool) {
        self.changes = changes
        self.next = next
        self.hasMore = hasMore
    }

    enum CodingKeys: String, CodingKey {
        case changes, next
        case hasMore = "has_more"
    }
}

/// How a pull page is written. `json` is API.md's form: each change an object, its `data` the
/// entity's object. `rows` (`format=rows`) is the compact form for bulk downloads: each change an
/// array `[seq, stream, op, id, data]`, and the `data` of a call or day summary an array of values
/// in the order the page's `columns` names (the ``Call/rowColumns`` and ``DaySummary/rowColumns``
/// of the server that wrote it); the entity's own id and `person_id` are not repeated there.
public enum PullFormat: String, Sendable, CaseIterable {
    case json, rows
}
