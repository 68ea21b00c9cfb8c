import ScorecardCore

/// A pull page decoded for the mirror (by ``MirrorPage/parse(_:)``): typed rows for calls and day
/// summaries, JSON documents for the other streams, and every field this client does not know
/// kept in `extra`.
public struct MirrorPage: Sendable {
    public var changes: [MirrorChange]
    public var next: Int64
    public var hasMore: Bool
    /// The feed mark of `next` (the response's `X-Feed-Mark`), stored with the cursor; nil from
    /// a server without marks.
    public var mark: String?

    public init(changes: [MirrorChange], next: Int64, hasMore: Bool, mark: String? = nil) {
        self.changes = changes
        self.next = next
        self.hasMore = hasMore
        self.mark = mark
    }
}

/// One change of a page.
public struct MirrorChange: Sendable {
    public var seq: Int64
    public var stream: String
    public var op: ChangeOp
    public var id: String
    public var payload: MirrorPayload?

    public init(seq: Int64, stream: String, op: ChangeOp, id: String, payload: MirrorPayload?) {
        self.seq = seq
        self.stream = stream
        self.op = op
        self.id = id
        self.payload = payload
    }
}

/// What an upsert carries.
public enum MirrorPayload: Sendable {
    /// A call, with the fields this client does not know as a JSON object text.
    case call(Call, extra: String?)
    /// A day summary, with unknown fields likewise.
    case daySummary(DaySummary, extra: String?)
    /// Streams kept as JSON documents (snapshots, reviews, goals, feedback).
    case document(periodStart: String?, version: Int, json: String)
}
