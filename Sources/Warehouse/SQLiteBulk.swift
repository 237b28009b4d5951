import GRDB
import GRDBSQLite

/// Bulk reads through SQLite's C API: one statement stepped in place, each row's columns read
/// with `sqlite3_column_*` (GRDB's row objects cost more than the work done per row).
public enum BulkRead {
    /// Calls `row` with the statement positioned on each result row of `sql`.
    public static func rows(_ db: Database, _ sql: String, row: (OpaquePointer) throws -> Void) throws {
        let statement = try db.makeStatement(sql: sql)
        let s = statement.sqliteStatement
        sqlite3_reset(s)
        defer { sqlite3_reset(s) }
        while true {
            let rc = sqlite3_step(s)
            if rc == SQLITE_DONE { return }
            guard rc == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: sql)
            }
            try row(s)
        }
    }
}

/// Bulk inserts through SQLite's C API: one prepared statement, values bound in place.
public enum BulkInsert {
    /// Runs one prepared INSERT per row, binding the values through SQLite's C API (GRDB's
    /// `StatementArguments` boxed every value: the staging ran at about 210,000 rows/s).
    public static func rows(_ db: Database, _ sql: String, count: Int, row: (Int, inout RowBinder) -> Void) throws {
        let statement = try db.makeStatement(sql: sql)
        var binder = RowBinder(statement: statement.sqliteStatement)
        for i in 0..<count {
            binder.index = 1
            row(i, &binder)
            let rc = sqlite3_step(binder.statement)
            sqlite3_reset(binder.statement)
            guard rc == SQLITE_DONE else {
                throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: sql)
            }
        }
        sqlite3_clear_bindings(binder.statement)
    }
}

/// Binds one row's values, in order, to a prepared statement.
public struct RowBinder {
    public let statement: OpaquePointer
    public var index: Int32 = 1

    public init(statement: OpaquePointer) { self.statement = statement }

    /// SQLite copies the bytes (SQLITE_TRANSIENT).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    public mutating func text(_ value: String?) {
        if var value {
            value.withUTF8 { u in
                if let base = u.baseAddress, !u.isEmpty {
                    _ = sqlite3_bind_text(statement, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(u.count), Self.transient)
                } else {
                    _ = sqlite3_bind_text(statement, index, "", 0, Self.transient)
                }
            }
        } else {
            sqlite3_bind_null(statement, index)
        }
        index += 1
    }

    public mutating func int(_ value: Int64) {
        sqlite3_bind_int64(statement, index, value)
        index += 1
    }

    public mutating func double(_ value: Double?) {
        if let value { sqlite3_bind_double(statement, index, value) } else { sqlite3_bind_null(statement, index) }
        index += 1
    }
}
