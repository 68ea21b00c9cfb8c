/// A feed mark on the wire: the random 64-bit tag of the write that took a feed to a cursor or
/// past it, as 16 lowercase hex digits (`X-Feed-Mark`, and the pull's `mark` parameter).
public struct FeedMark: Hashable, Sendable {
    /// The tag as the stores keep it (a signed 64-bit column).
    public var tag: Int64

    public init(tag: Int64) { self.tag = tag }

    /// Parses 1 to 16 hex digits; nil for anything else.
    public init?(hex: String) {
        guard (1...16).contains(hex.utf8.count), hex.utf8.allSatisfy({ $0.isHexDigit }), let bits = UInt64(hex, radix: 16) else { return nil }
        tag = Int64(bitPattern: bits)
    }

    /// 16 lowercase hex digits.
    public var hex: String {
        let digits = String(UInt64(bitPattern: tag), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

extension UInt8 {
    fileprivate var isHexDigit: Bool { (48...57).contains(self) || (97...102).contains(self) || (65...70).contains(self) }
}
