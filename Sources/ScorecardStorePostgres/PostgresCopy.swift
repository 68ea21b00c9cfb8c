import NIOCore
import PostgresNIO

/// Rows for `COPY … FROM STDIN` in PostgreSQL's text format: tab-separated fields, one row a
/// line, `\N` for NULL, backslash escapes for the characters the format gives meaning to.
///
/// COPY is how a bulk writer inserts rows it knows are new: several times the rate of an
/// `INSERT … SELECT FROM unnest(…) ON CONFLICT`, which pays for a speculative insertion per row.
struct CopyRows {
    private(set) var buffer: ByteBuffer
    private var fieldsInRow = 0
    private(set) var count = 0

    init(capacity: Int) { buffer = ByteBufferAllocator().buffer(capacity: capacity) }

    mutating func text(_ value: String) {
        separate()
        var value = value
        value.withUTF8 { bytes in
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
                case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
                case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
                case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
                default: buffer.writeInteger(byte)
                }
            }
        }
    }

    mutating func text(_ value: String?) {
        if let value { text(value) } else { null() }
    }

    /// A text-array field: a literal with every element quoted (so commas, braces, spaces and the
    /// word NULL stay text), escaped for the array syntax and then for COPY in one pass.
    mutating func textArray(_ values: [String?]?) {
        guard let values else { return null() }
        separate()
        buffer.writeInteger(UInt8(ascii: "{"))
        for (n, value) in values.enumerated() {
            if n > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
            guard var value else {
                buffer.writeStaticString("NULL")
                continue
            }
            buffer.writeInteger(UInt8(ascii: "\""))
            value.withUTF8 { bytes in
                for byte in bytes {
                    switch byte {
                    case UInt8(ascii: "\""): buffer.writeStaticString(#"\\""#)  // array: \" ; COPY doubles the backslash
                    case UInt8(ascii: "\\"): buffer.writeStaticString(#"\\\\"#)  // array: \\ ; COPY doubles both
                    case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
                    case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
                    case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
                    default: buffer.writeInteger(byte)
                    }
                }
            }
            buffer.writeInteger(UInt8(ascii: "\""))
        }
        buffer.writeInteger(UInt8(ascii: "}"))
    }

    mutating func int(_ value: Int) {
        separate()
        buffer.writeString(String(value))
    }

    mutating func null() {
        separate()
        buffer.writeStaticString("\\N")
    }

    /// Ends the current row.
    mutating func endRow() {
        buffer.writeInteger(UInt8(ascii: "\n"))
        fieldsInRow = 0
        count += 1
    }

    private mutating func separate() {
        if fieldsInRow > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
        fieldsInRow += 1
    }
}

extension PostgresSession {
    /// Copies `rows` into `table`'s `columns` (names of our own schema, never user input).
    func copy(_ rows: CopyRows, into table: String, columns: [String]) async throws {
        guard rows.count > 0 else { return }
        counter?.record("COPY \(table)")
        try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
            try await writer.write(rows.buffer)
        }
    }
}
