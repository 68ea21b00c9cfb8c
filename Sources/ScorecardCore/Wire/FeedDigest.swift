/// An order-independent digest of a set of `(id, version)` pairs: their count and the wrapping
/// sum of one 64-bit hash per pair (``hash(id:version:)``).
///
/// Server and client compute it the same way, in any order and over any number of passes, so a
/// mirror whose stream holds exactly the server's live entities at their versions has the
/// server's digest (docs/sync.md, "Verifying the mirror"). The hash is FNV-1a over the id's UTF-8
/// bytes, with the version folded in and the SplitMix64 finaliser over the result: fixed
/// constants, the same in every process and on every machine (never Swift's per-process `Hasher`).
public struct EntityDigest: Sendable, Hashable {
    /// Pairs added.
    public var count: Int
    /// The wrapping sum of their hashes.
    public var sum: UInt64

    /// The digest of no pairs.
    public init() {
        count = 0
        sum = 0
    }

    /// A digest as the server sent it.
    public init(count: Int, sum: UInt64) {
        self.count = count
        self.sum = sum
    }

    /// Adds one pair, the id as UTF-8 bytes.
    @inlinable
    public mutating func add(id: UnsafeBufferPointer<UInt8>, version: Int) {
        count += 1
        sum &+= EntityDigest.hash(id: id, version: version)
    }

    /// Adds one pair.
    public mutating func add(id: String, version: Int) {
        var id = id
        id.withUTF8 { add(id: $0, version: version) }
    }

    /// The 64-bit hash of one pair.
    @inlinable
    public static func hash(id: UnsafeBufferPointer<UInt8>, version: Int) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a offset basis
        for byte in id {
            h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3  // FNV-1a prime
        }
        var z = h ^ (UInt64(bitPattern: Int64(version)) &* 0x9E37_79B9_7F4A_7C15)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The hash of one pair.
    public static func hash(id: String, version: Int) -> UInt64 {
        var id = id
        return id.withUTF8 { hash(id: $0, version: version) }
    }

    /// `sum` as 16 lowercase hex digits (JSON numbers cannot carry 64 bits).
    public var hex: String {
        let digits = String(sum, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// One stream's count and digest on the wire: `{"count": 2296, "digest": "9f3c…"}`.
public struct StreamDigest: Codable, Sendable, Equatable {
    public var count: Int
    /// ``EntityDigest/hex``.
    public var digest: String

    public init(_ digest: EntityDigest) {
        count = digest.count
        self.digest = digest.hex
    }

    /// The digest this describes, nil when `digest` is not 16 hex digits.
    public var entityDigest: EntityDigest? {
        guard digest.utf8.count == 16, let sum = UInt64(digest, radix: 16) else { return nil }
        return EntityDigest(count: count, sum: sum)
    }
}

/// `GET /api/v1/sync/digest` answer: per stream, the count and digest of the caller's live
/// entities (tombstones are not entities) at the feed head `head`, all read from one snapshot.
/// With `?stream=S` it also lists that stream's `(id, version)` pairs, by id, in `entities`.
public struct FeedDigest: Codable, Sendable, Equatable {
    /// The feed's head when the digest was read: a mirror whose cursor is here can be compared.
    public var head: Int64
    /// Every stream, including empty ones (count 0, digest `0000000000000000`).
    public var streams: [String: StreamDigest]
    /// The stream listed, when one was asked for.
    public var stream: String?
    /// The listed stream's `[id, version]` pairs, sorted by id; nil unless a stream was asked for.
    public var entities: [EntityVersion]?

    public init(head: Int64, streams: [String: StreamDigest], stream: String? = nil, entities: [EntityVersion]? = nil) {
        self.head = head
        self.streams = streams
        self.stream = stream
        self.entities = entities
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(head, forKey: .head)
        try c.encode(streams, forKey: .streams)
        if let stream {
            try c.encode(stream, forKey: .stream)
            try c.encode(entities ?? [], forKey: .entities)
        }
    }

    enum CodingKeys: String, CodingKey { case head, streams, stream, entities }
}

/// One `[id, version]` pair of a digest listing.
public struct EntityVersion: Codable, Sendable, Equatable {
    public var id: String
    public var version: Int

    public init(id: String, version: Int) {
        self.id = id
        self.version = version
    }

    public init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        id = try c.decode(String.self)
        version = try c.decode(Int.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.unkeyedContainer()
        try c.encode(id)
        try c.encode(version)
    }
}

/// Builds a ``FeedDigest`` from `(stream, id, version)` rows in any order (both server stores
/// feed it their change-log rows).
public struct FeedDigestBuilder: Sendable {
    private var digests = [EntityDigest](repeating: EntityDigest(), count: SyncStream.allCases.count)
    private var listed: [EntityVersion] = []
    /// The stream whose pairs are listed, if any.
    public let listing: SyncStream?

    public init(listing: SyncStream?) { self.listing = listing }

    /// Adds one live entity; rows of a stream this build does not know are passed over.
    public mutating func add(stream: SyncStream, id: UnsafeBufferPointer<UInt8>, version: Int) {
        digests[FeedDigestBuilder.index(stream)].add(id: id, version: version)
        if stream == listing { listed.append(EntityVersion(id: String(decoding: id, as: UTF8.self), version: version)) }
    }

    /// The answer at feed head `head`.
    public func finish(head: Int64) -> FeedDigest {
        var streams: [String: StreamDigest] = [:]
        for (i, stream) in SyncStream.allCases.enumerated() { streams[stream.rawValue] = StreamDigest(digests[i]) }
        guard let listing else { return FeedDigest(head: head, streams: streams) }
        return FeedDigest(head: head, streams: streams, stream: listing.rawValue, entities: listed.sorted { $0.id < $1.id })
    }

    static func index(_ stream: SyncStream) -> Int {
        switch stream {
        case .calls: 0
        case .daySummaries: 1
        case .snapshots: 2
        case .reviews: 3
        case .goals: 4
        case .feedback: 5
        }
    }

    /// The stream named by UTF-8 bytes, if this build knows it.
    public static func stream(_ bytes: UnsafeBufferPointer<UInt8>) -> SyncStream? {
        SyncStream(rawValue: String(decoding: bytes, as: UTF8.self))
    }
}
