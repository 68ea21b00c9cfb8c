/// A pull-style JSON scanner over UTF-8 bytes, for the hot paths (pull pages, bulk ingest) where
/// Foundation's `JSONDecoder` costs several microseconds per object.
///
/// It reads values in document order without building a tree:
/// ```swift
/// try s.enterArray()
/// var first = true
/// while try s.nextElement(&first) { … read one value … }
/// ```
/// Malformed input throws ``JSONScanError`` with the byte offset.
public struct JSONScanner {
    @usableFromInline let bytes: UnsafeBufferPointer<UInt8>
    @usableFromInline var i = 0

    /// Scans `bytes`, which must stay alive while the scanner is used.
    public init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// The current byte offset.
    public var offset: Int { i }

    // MARK: Structure

    @inlinable
    mutating func skipWhitespace() {
        while i < bytes.count {
            let c = bytes[i]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
            i += 1
        }
    }

    /// The next non-blank byte, not consumed.
    @inlinable
    public mutating func peek() -> UInt8? {
        skipWhitespace()
        return i < bytes.count ? bytes[i] : nil
    }

    @inlinable
    mutating func expect(_ c: UInt8) throws {
        skipWhitespace()
        guard i < bytes.count, bytes[i] == c else { throw error("expected '\(Character(Unicode.Scalar(c)))'") }
        i += 1
    }

    /// Consumes `[`.
    public mutating func enterArray() throws { try expect(UInt8(ascii: "[")) }

    /// Consumes `{`.
    public mutating func enterObject() throws { try expect(UInt8(ascii: "{")) }

    /// True when another array element follows (consuming the comma); false after consuming `]`.
    public mutating func nextElement(_ first: inout Bool) throws -> Bool {
        skipWhitespace()
        guard i < bytes.count else { throw error("unterminated array") }
        if bytes[i] == UInt8(ascii: "]") {
            i += 1
            return false
        }
        if !first { try expect(UInt8(ascii: ",")) }
        first = false
        return true
    }

    /// The next key of an object (consuming it and its colon), or nil after consuming `}`.
    public mutating func nextKey(_ first: inout Bool) throws -> String? {
        skipWhitespace()
        guard i < bytes.count else { throw error("unterminated object") }
        if bytes[i] == UInt8(ascii: "}") {
            i += 1
            return nil
        }
        if !first { try expect(UInt8(ascii: ",")) }
        first = false
        let key = try readString()
        try expect(UInt8(ascii: ":"))
        return key
    }

    /// Checks that only whitespace is left.
    public mutating func expectEnd() throws {
        skipWhitespace()
        guard i == bytes.count else { throw error("unexpected data after the JSON value") }
    }

    // MARK: Values

    /// Consumes `null` when it is next and returns true.
    public mutating func readNull() throws -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    /// A string value.
    public mutating func readString() throws -> String {
        try expect(UInt8(ascii: "\""))
        let start = i
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
                i += 1
                return s
            }
            if c == UInt8(ascii: "\\") { return try readEscapedString(from: start) }
            if c < 0x20 { throw error("control character in a string") }
            i += 1
        }
        throw error("unterminated string")
    }

    mutating func readEscapedString(from start: Int) throws -> String {
        var out = [UInt8](UnsafeBufferPointer(rebasing: bytes[start..<i]))
        while i < bytes.count {
            let c = bytes[i]
            i += 1
            switch c {
            case UInt8(ascii: "\""):
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard i < bytes.count else { throw error("unterminated escape") }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                            throw error("lone surrogate in \\u escape")
                        }
                        i += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw error("bad surrogate pair") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw error("bad \\u escape") }
                    out.append(contentsOf: String(Character(u)).utf8)
                default: throw error("bad escape")
                }
            default:
                guard c >= 0x20 else { throw error("control character in a string") }
                out.append(c)
            }
        }
        throw error("unterminated string")
    }

    mutating func hex4() throws -> UInt32 {
        guard i + 4 <= bytes.count else { throw error("short \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[i]
            i += 1
            switch c {
            case 48...57: v = v * 16 + UInt32(c - 48)
            case 65...70: v = v * 16 + UInt32(c - 55)
            case 97...102: v = v * 16 + UInt32(c - 87)
            default: throw error("bad hex digit")
            }
        }
        return v
    }

    /// An integer value (no fraction or exponent).
    public mutating func readInt() throws -> Int {
        skipWhitespace()
        var negative = false
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        let start = i
        var v = 0  // accumulated with the sign, so that Int.min (which JSONWriter.int writes) reads back
        while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 {
            let digit = Int(bytes[i] - 48)
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = negative ? m.subtractingReportingOverflow(digit) : m.addingReportingOverflow(digit)
            guard !o1, !o2 else { throw error("integer out of range") }
            v = a
            i += 1
        }
        guard i > start else { throw error("expected a number") }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            throw error("expected an integer")
        }
        return v
    }

    /// A number as it is written (for copying it into text).
    public mutating func readNumberText() throws -> String {
        skipWhitespace()
        let start = i
        while i < bytes.count, JSONScanner.isNumberByte(bytes[i]) { i += 1 }
        guard i > start else { throw error("expected a number") }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        guard Double(text) != nil else { throw error("bad number") }
        return text
    }

    static func isNumberByte(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "e"),
            UInt8(ascii: "E"):
            return true
        default:
            return false
        }
    }

    /// A boolean value.
    public mutating func readBool() throws -> Bool {
        switch peek() {
        case UInt8(ascii: "t"):
            try literal("true")
            return true
        case UInt8(ascii: "f"):
            try literal("false")
            return false
        default: throw error("expected true or false")
        }
    }

    mutating func literal(_ word: StaticString) throws {
        skipWhitespace()
        let n = word.utf8CodeUnitCount
        guard i + n <= bytes.count else { throw error("expected \(word)") }
        let w = word.utf8Start
        for k in 0..<n where bytes[i + k] != w[k] { throw error("expected \(word)") }
        i += n
    }

    /// How deeply arrays and objects may nest in a value ``skipValue()`` skips (as Foundation's
    /// `JSONDecoder` allows): it recurses once per level, and a body of a million `[` would
    /// otherwise overflow the stack.
    public static let maxDepth = 512

    /// Skips one value of any kind and returns its raw JSON text's byte range.
    /// Throws when arrays and objects nest deeper than ``maxDepth``.
    @discardableResult
    public mutating func skipValue() throws -> Range<Int> { try skipValue(depth: 0) }

    @discardableResult
    mutating func skipValue(depth: Int) throws -> Range<Int> {
        skipWhitespace()
        let start = i
        guard let c = peek() else { throw error("expected a value") }
        switch c {
        case UInt8(ascii: "{"):
            guard depth < JSONScanner.maxDepth else { throw error("nested deeper than \(JSONScanner.maxDepth) levels") }
            i += 1
            var first = true
            while try nextKey(&first) != nil { try skipValue(depth: depth + 1) }
        case UInt8(ascii: "["):
            guard depth < JSONScanner.maxDepth else { throw error("nested deeper than \(JSONScanner.maxDepth) levels") }
            i += 1
            var first = true
            while try nextElement(&first) { try skipValue(depth: depth + 1) }
        case UInt8(ascii: "\""): _ = try readString()
        case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try readBool()
        case UInt8(ascii: "n"): _ = try readNull()
        default: _ = try readNumberText()
        }
        return start..<i
    }

    /// The raw JSON text of a byte range returned by ``skipValue()``.
    public func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// A scanner over a sub-range (to read a value captured earlier).
    public func scanner(for range: Range<Int>) -> JSONScanner {
        JSONScanner(UnsafeBufferPointer(rebasing: bytes[range]))
    }

    @usableFromInline
    func error(_ message: String) -> JSONScanError { JSONScanError(offset: i, message: message) }
}

/// Malformed JSON, with the byte offset where reading failed.
public struct JSONScanError: Error, Sendable, CustomStringConvertible {
    public var offset: Int
    public var message: String
    public var description: String { "malformed JSON at byte \(offset): \(message)" }

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }
}
