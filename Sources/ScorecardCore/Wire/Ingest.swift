/// One record an ingest refused, by its index in the request array.
public struct IngestRejection: Codable, Hashable, Sendable {
    public var index: Int
    public var reason: String

    public init(index: Int, reason: String) {
        self.index = index
        self.reason = reason
    }
}

/// What an ingest request did.
public struct IngestResult: Codable, Hashable, Sendable {
    public var inserted: Int
    public var updated: Int
    public var unchanged: Int
    public var rejected: [IngestRejection]

    public init(inserted: Int = 0, updated: Int = 0, unchanged: Int = 0, rejected: [IngestRejection] = []) {
        self.inserted = inserted
        self.updated = updated
        self.unchanged = unchanged
        self.rejected = rejected
    }
}
