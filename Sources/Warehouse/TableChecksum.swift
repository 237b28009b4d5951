import Crypto
import Foundation
import GRDB

/// A content checksum of a table: SHA-256 over its rows sorted by every column, each value
/// written with its storage class. Two tables with the same rows have the same checksum,
/// whatever order the rows were written in.
public enum TableChecksum {
    public static func of(_ table: String, in database: some SQLiteBacked) throws -> String {
        try database.queue.read { db in try of(table, db: db) }
    }

    /// Checksums of the named tables (default: every table but the staging tables and the
    /// `etl_` bookkeeping: the run log and the marts' change log).
    public static func all(in database: some SQLiteBacked, tables: [String]? = nil) throws -> [String: String] {
        let names = try tables ?? database.tableNames().filter { !$0.hasPrefix("stg_") && !$0.hasPrefix("etl_") }
        return try database.queue.read { db in
            var sums: [String: String] = [:]
            for name in names { sums[name] = try of(name, db: db) }
            return sums
        }
    }

    static func of(_ table: String, db: Database) throws -> String {
        let width = try db.columns(in: table).count
        let order = (1...max(1, width)).map(String.init).joined(separator: ", ")
        var hasher = SHA256()
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM \(table.quotedDatabaseIdentifier) ORDER BY \(order)")
        while let row = try rows.next() {
            var text = ""
            for value in row.databaseValues {
                switch value.storage {
                case .null: text += "N|"
                case .int64(let i): text += "I\(i)|"
                case .double(let d): text += "D\(d)|"
                case .string(let s): text += "S\(s.utf8.count):\(s)|"
                case .blob(let b): text += "B\(b.count):\(b.base64EncodedString())|"
                }
            }
            hasher.update(data: Array((text + "\n").utf8))
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
