import GRDB
import GRDBSQLite

/// A GRDB statement driven through the SQLite C API: binds and steps with no Swift boxing.
///
/// For the hot paths only (bulk ingest on the server, page apply in the mirror), where GRDB's
/// `StatementArguments` cost more than SQLite itself. Always used inside GRDB's own
/// transaction on the statement's database; each use binds every parameter, then
/// ``run()``/``reset()`` leaves the statement ready for the next.
public struct RawStatement {
    /// The GRDB statement (cached by the caller with `db.cachedStatement`).
    public let statement: Statement
    let handle: OpaquePointer
    let db: Database

    static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    public init(_ db: Database, _ sql: String) throws {
        self.db = db
        statement = try db.cachedStatement(sql: sql)
        handle = statement.sqliteStatement
    }

    /// Binds the string's UTF-8 with its length. (Passing a `String` where C wants a `char *` copies
    /// every small string into a fresh heap array first: one allocation per bind on the hot paths.)
    @inline(__always)
    public func bind(_ index: Int32, _ value: String) {
        var value = value
        _ = value.withUTF8 { utf8 in
            if let base = utf8.baseAddress {
                sqlite3_bind_text(handle, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(utf8.count), RawStatement.transient)
            } else {
                sqlite3_bind_text(handle, index, "", 0, RawStatement.transient)  // a nil pointer would bind NULL
            }
        }
    }

    @inline(__always)
    public func bind(_ index: Int32, _ value: String?) {
        if let value { bind(index, value) } else { sqlite3_bind_null(handle, index) }
    }

    @inline(__always)
    public func bind(_ index: Int32, _ value: Int) { sqlite3_bind_int64(handle, index, Int64(value)) }

    @inline(__always)
    public func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(handle, index, value) }

    @inline(__always)
    public func bind(_ index: Int32, _ value: Double) { sqlite3_bind_double(handle, index, value) }

    @inline(__always)
    public func bindNull(_ index: Int32) { sqlite3_bind_null(handle, index) }

    /// Steps to the end (for INSERT/UPDATE/DELETE) and resets.
    public func run() throws {
        let rc = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard rc == SQLITE_DONE || rc == SQLITE_ROW else { throw error(rc) }
    }

    /// Steps once; true when a row is ready to read. Call ``reset()`` when done with it.
    public func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        sqlite3_reset(handle)
        guard rc == SQLITE_DONE else { throw error(rc) }
        return false
    }

    /// Ends the current execution.
    public func reset() { sqlite3_reset(handle) }

    /// Rows changed by the last INSERT/UPDATE/DELETE.
    public var changes: Int { Int(sqlite3_changes(db.sqliteConnection)) }

    @inline(__always)
    public func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }

    @inline(__always)
    public func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }

    @inline(__always)
    public func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    public func text(_ column: Int32) -> String {
        guard let p = sqlite3_column_text(handle, column) else { return "" }
        return String(cString: p)
    }

    public func textOrNil(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }

    /// A text column's UTF-8 bytes, valid until the next step or reset (no String is made).
    @inline(__always)
    public func textBytes(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
        let p = sqlite3_column_text(handle, column)
        return UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(handle, column)))
    }

    func error(_ rc: Int32) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
    }
}
