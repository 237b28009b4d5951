import Foundation
import GRDB
import Warehouse

/// Copies tables of a PostgreSQL warehouse into a scratch SQLite warehouse file, with SQLite's
/// types and the SQLite warehouse's conventions (days as `YYYY-MM-DD` text, times as UTC
/// `YYYY-MM-DD HH:MM:SS`, flags as 0/1), so that the exporters and charts written for the
/// SQLite warehouse (`MartExport`, `MartParquetExport`, `WarehouseCharts`) read a PostgreSQL
/// warehouse unchanged and write the same files.
///
/// Only the named tables, and of each only the named columns (the charts copy `state` of
/// `dim_customer`, never a name or an email). The caller deletes the file.
public enum PostgresMirror {
    public struct Table: Sendable {
        public var name: String
        /// nil: every column.
        public var columns: [String]?
        public init(_ name: String, columns: [String]? = nil) { self.name = name; self.columns = columns }
    }

    /// Copies `tables` into `warehouse` (replacing tables of the same names there); returns rows copied per table.
    @discardableResult
    public static func copy(_ tables: [Table], from session: PostgresSession, into warehouse: ShopWarehouse) async throws -> [String: Int] {
        try await session.transaction(step: "reading the tables to copy", readOnlySnapshot: true) {
            var copied: [String: Int] = [:]
            for table in tables {
                let catalog = try await session.rows("""
                    SELECT a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull
                    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE c.relname = '\(table.name)' AND n.nspname = current_schema() AND a.attnum > 0 AND NOT a.attisdropped
                    ORDER BY a.attnum
                    """)
                let key = try await session.rows("""
                    SELECT a.attname::text FROM pg_index i
                    JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                    JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, position) ON true
                    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
                    WHERE c.relname = '\(table.name)' AND n.nspname = current_schema() AND i.indisprimary
                    ORDER BY k.position
                    """).compactMap { $0[0].text }
                var columns: [(name: String, type: String, notNull: Bool)] = catalog.compactMap { row in
                    guard let name = row[0].text, let type = row[1].text else { return nil }
                    return (name, type, row[2].int == 1)
                }
                if let wanted = table.columns { columns = columns.filter { wanted.contains($0.name) } }
                guard !columns.isEmpty else {
                    throw PostgresWarehouseError.noSchema(location: session.location.description, message: "no table \(table.name)")
                }
                let keyKept = key.allSatisfy { k in columns.contains { $0.name == k } } && !key.isEmpty
                let definitions = columns.map { c in "\(c.name) \(sqliteType(c.type))\(c.notNull ? " NOT NULL" : "")" }
                    + (keyKept ? ["PRIMARY KEY (\(key.joined(separator: ", ")))"] : [])
                let select = columns.map { c -> String in
                    switch c.type {
                    case "date": return "to_char(\(c.name), 'YYYY-MM-DD')"
                    case let t where t.hasPrefix("timestamp"):
                        return "to_char(\(c.name)\(t.contains("with time zone") ? " AT TIME ZONE 'UTC'" : ""), 'YYYY-MM-DD HH24:MI:SS')"
                    default: return c.name
                    }
                }
                try await warehouse.queue.write { db in
                    try db.execute(sql: "DROP TABLE IF EXISTS \(table.name)")
                    try db.execute(sql: "CREATE TABLE \(table.name) (\(definitions.joined(separator: ", ")))")
                }
                // Streamed in chunks: a mart of millions of rows is never held whole.
                let insert = "INSERT INTO \(table.name) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))"
                var chunk: [[PostgresValue]] = [], count = 0
                func flush() throws {
                    let rows = chunk
                    try warehouse.queue.write { db in
                        try BulkInsert.rows(db, insert, count: rows.count) { i, binder in
                            for value in rows[i] {
                                switch value {
                                case .null: binder.text(nil)
                                case .int(let v): binder.int(v)
                                case .double(let v): binder.double(v)
                                case .text(let v): binder.text(v)
                                }
                            }
                        }
                    }
                    count += rows.count
                    chunk.removeAll(keepingCapacity: true)
                }
                try await session.forEachRow("SELECT \(select.joined(separator: ", ")) FROM \(table.name)", step: "reading \(table.name)") { row in
                    chunk.append(row)
                    if chunk.count >= 50_000 { try flush() }
                }
                try flush()
                copied[table.name] = count
            }
            return copied
        }
    }

    /// The SQLite type for a PostgreSQL type (`format_type`'s spelling).
    static func sqliteType(_ type: String) -> String {
        switch type {
        case "smallint", "integer", "bigint", "boolean": return "INTEGER"
        case "double precision", "real", "numeric": return "REAL"
        default: return "TEXT"
        }
    }
}
