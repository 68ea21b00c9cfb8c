// libFuzzer target: JSONScanner (and JSONWriter) on arbitrary bytes.
//
// Checks, beyond "never crashes": a document the scanner reads as a tree is skipped by
// skipValue() to the same end; every integer-looking number reads with readInt() exactly as
// Int(text) does (or fails when Int cannot hold it); and the tree written back with JSONWriter
// scans to the same tree.
import ScorecardCore

indirect enum Node: Equatable {
    case null, bool(Bool), number(String), string(String), array([Node]), object([(String, Node)])

    static func == (a: Node, b: Node) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.number(x), .number(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)): return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }
}

/// Reads one value with the scanner's typed readers; `depth` bounds the harness's own recursion.
func read(_ s: inout JSONScanner, depth: Int) throws -> Node {
    guard depth < 200 else { throw JSONScanError(offset: s.offset, message: "harness depth") }
    switch s.peek() {
    case UInt8(ascii: "{"):
        try s.enterObject()
        var fields: [(String, Node)] = []
        var first = true
        while let key = try s.nextKey(&first) { fields.append((key, try read(&s, depth: depth + 1))) }
        return .object(fields)
    case UInt8(ascii: "["):
        try s.enterArray()
        var items: [Node] = []
        var first = true
        while try s.nextElement(&first) { items.append(try read(&s, depth: depth + 1)) }
        return .array(items)
    case UInt8(ascii: "\""): return .string(try s.readString())
    case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool(try s.readBool())
    case UInt8(ascii: "n"):
        let isNull = try s.readNull()
        precondition(isNull, "peek() saw n but readNull() read no null")
        return .null
    default:
        let text = try s.readNumberText()
        checkInt(text)
        return .number(text)
    }
}

/// readInt() agrees with Int(text) on `-?[0-9]+`, and JSONWriter.int writes what readInt reads back.
func checkInt(_ text: String) {
    let digits = text.hasPrefix("-") ? text.utf8.dropFirst() : text.utf8[...]
    guard !digits.isEmpty, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return }
    let bytes = Array(text.utf8)
    let scanned: Int? = bytes.withUnsafeBufferPointer { b in
        var s = JSONScanner(b)
        return try? s.readInt()
    }
    precondition(scanned == Int(text), "readInt(\(text)) = \(String(describing: scanned)), Int() = \(String(describing: Int(text)))")
    if let n = scanned {
        var w = JSONWriter()
        w.int(n)
        let back: Int? = w.bytes.withUnsafeBufferPointer { b in
            var s = JSONScanner(b)
            return try? s.readInt()
        }
        precondition(back == n, "JSONWriter.int(\(n)) read back as \(String(describing: back))")
    }
}

func write(_ node: Node, _ w: inout JSONWriter) {
    switch node {
    case .null: w.raw("null")
    case .bool(let b): w.bool(b)
    case .number(let text): w.json(text)
    case .string(let s): w.string(s)
    case .array(let items):
        w.raw("[")
        for (n, item) in items.enumerated() {
            if n > 0 { w.raw(",") }
            write(item, &w)
        }
        w.raw("]")
    case .object(let fields):
        w.raw("{")
        for (n, (key, value)) in fields.enumerated() {
            if n > 0 { w.raw(",") }
            w.string(key)
            w.raw(":")
            write(value, &w)
        }
        w.raw("}")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    var typed = JSONScanner(bytes)
    let tree = try? { () throws -> Node in
        let node = try read(&typed, depth: 0)
        try typed.expectEnd()
        return node
    }()
    var skipping = JSONScanner(bytes)
    let skipped = try? { () throws -> Range<Int> in
        let range = try skipping.skipValue()
        try skipping.expectEnd()
        return range
    }()
    guard let tree else { return 0 }
    precondition(skipped != nil, "the typed read accepted a document skipValue() refused")
    var w = JSONWriter()
    write(tree, &w)
    let again = w.bytes.withUnsafeBufferPointer { b -> Node? in
        var s = JSONScanner(b)
        guard let node = try? read(&s, depth: 0), (try? s.expectEnd()) != nil else { return nil }
        return node
    }
    precondition(again == tree, "JSONWriter's output scans to a different tree: \(String(decoding: w.bytes, as: UTF8.self))")
    return 0
}
