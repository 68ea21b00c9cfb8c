import Foundation
import ScorecardCore

/// JSON whose objects keep their keys in the order given, for request bodies where order means
/// something: a JSON schema's `properties` order is the order in which constrained decoding makes a
/// model write the fields (summary first, callouts last), and Foundation's encoder sorts or
/// shuffles keys.
indirect enum OrderedJSON: Sendable, Hashable {
    case value(JSONValue)
    case array([OrderedJSON])
    case object([(String, OrderedJSON)])

    /// The compact JSON text.
    var text: String {
        var out = ""
        write(to: &out)
        return out
    }

    var data: Data { Data(text.utf8) }

    private func write(to out: inout String) {
        switch self {
        case .value(let value):
            out += Self.encoded(value)
        case .array(let items):
            out += "["
            for (n, item) in items.enumerated() {
                if n > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .object(let pairs):
            out += "{"
            for (n, pair) in pairs.enumerated() {
                if n > 0 { out += "," }
                out += Self.encoded(.string(pair.0))
                out += ":"
                pair.1.write(to: &out)
            }
            out += "}"
        }
    }

    private static func encoded(_ value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
    }

    static func == (a: OrderedJSON, b: OrderedJSON) -> Bool { a.text == b.text }
    func hash(into hasher: inout Hasher) { hasher.combine(text) }
}

extension OrderedJSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    init(stringLiteral value: String) { self = .value(.string(value)) }
    init(integerLiteral value: Int) { self = .value(.number(Double(value))) }
    init(booleanLiteral value: Bool) { self = .value(.bool(value)) }
    init(arrayLiteral elements: OrderedJSON...) { self = .array(elements) }
    /// Keys in the order written.
    init(dictionaryLiteral elements: (String, OrderedJSON)...) { self = .object(elements) }
}
