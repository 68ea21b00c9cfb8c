import Foundation

/// The JSON settings both sides use: keys are spelled out by each type's `CodingKeys`;
/// output keys are sorted so the same value always encodes to the same bytes.
public enum WireJSON {
    /// A fresh encoder with sorted keys and no slash escaping.
    public static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }

    /// A fresh decoder.
    public static func decoder() -> JSONDecoder { JSONDecoder() }

    /// Encodes a value with ``encoder()``.
    public static func encode(_ value: some Encodable) throws -> Data { try encoder().encode(value) }

    /// Decodes a value with ``decoder()``.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try decoder().decode(type, from: data)
    }
}
