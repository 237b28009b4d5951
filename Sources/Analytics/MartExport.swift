import Core
import Foundation
import GRDB
import Warehouse

/// Writes a mart table as CSV (RFC 4180, a header row, NULL as an empty field), JSON Lines
/// (one object per row, NULL as null) or Parquet (typed columns, NULL as null; see
/// ``MartParquetExport``), streaming rows from the database. Files are written
/// to `<path>.tmp` and renamed, so a reader never sees half a file.
public enum MartExport {
    public enum Format: String, CaseIterable, Sendable, Codable {
        case csv, jsonl, parquet
    }

    /// What was written (also the manifest entry).
    public struct Written: Codable, Sendable, Equatable {
        public var mart: String
        public var table: String
        public var file: String
        public var format: String
        public var rows: Int
        public var columns: [String]
        public var containsPersonalData: Bool
        /// Said in the manifest of a file with personal data.
        public var notice: String?
    }

    public static let personalDataNotice = "CONTAINS PERSONAL DATA (names, email addresses, phone numbers): "
        + "handle under your data-protection policy; do not share outside the marketing team."

    /// Exports `mart` to `path`. A mart with personal data needs `allowPersonalData`.
    public static func write(_ mart: Marts.Mart, from warehouse: ShopWarehouse, format: Format, to path: String,
                             allowPersonalData: Bool = false) throws -> Written {
        if mart.containsPersonalData, !allowPersonalData {
            throw MartError.personalData(mart: mart.name)
        }
        guard try warehouse.tableNames().contains(mart.table) else {
            throw MartError.notBuilt(database: warehouse.path, mart: mart)
        }
        var columns: [String] = []
        var rows = 0
        if format == .parquet {
            try warehouse.queue.read { db in (rows, columns) = try MartParquetExport.write(table: mart.table, db: db, to: path) }
            return Written(mart: mart.name, table: mart.table, file: (path as NSString).lastPathComponent, format: format.rawValue,
                           rows: rows, columns: columns, containsPersonalData: mart.containsPersonalData,
                           notice: mart.containsPersonalData ? personalDataNotice : nil)
        }
        let writer = try ByteWriter(path: path)
        try warehouse.queue.read { db in
            columns = try db.columns(in: mart.table).map(\.name)
            let keys = columns.map(TextQuoting.json)
            if format == .csv {
                for (i, c) in columns.enumerated() { if i > 0 { writer.byte(44) }; writer.field(c) }
                writer.newline()
            }
            let order = try db.primaryKey(mart.table).columns.map(\.quotedDatabaseIdentifier).joined(separator: ", ")
            let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM \(mart.table) ORDER BY \(order)")
            while let row = try cursor.next() {
                if format == .jsonl { writer.byte(123) }
                for (i, value) in row.databaseValues.enumerated() {
                    switch format {
                    case .csv:
                        if i > 0 { writer.byte(44) }
                        switch value.storage {
                        case .null: break
                        case .int64(let v): writer.int(Int(v))
                        case .double(let v): writer.decimal(v)
                        case .string(let s): writer.field(s)
                        case .blob(let b): writer.field(b.base64EncodedString())
                        }
                    case .jsonl, .parquet:
                        if i > 0 { writer.byte(44) }
                        writer.text(keys[i])
                        writer.byte(58)
                        switch value.storage {
                        case .null: writer.text("null")
                        case .int64(let v): writer.int(Int(v))
                        case .double(let v): if v.isFinite { writer.decimal(v) } else { writer.text("null") }
                        case .string(let s): writer.text(TextQuoting.json(s))
                        case .blob(let b): writer.text(TextQuoting.json(b.base64EncodedString()))
                        }
                    }
                }
                if format == .jsonl { writer.byte(125) }
                writer.newline()
                rows += 1
            }
        }
        try writer.close()
        return Written(mart: mart.name, table: mart.table, file: (path as NSString).lastPathComponent, format: format.rawValue,
                       rows: rows, columns: columns, containsPersonalData: mart.containsPersonalData,
                       notice: mart.containsPersonalData ? personalDataNotice : nil)
    }

    /// Exports several marts into `directory` as `<mart>.<format>` and writes `manifest.json`
    /// (files, rows, columns, and which hold personal data). Returns the entries.
    /// `databaseName` is what the manifest names as the source (default: the file's path).
    public static func writeAll(_ marts: [Marts.Mart], from warehouse: ShopWarehouse, format: Format, to directory: String,
                                allowPersonalData: Bool, databaseName: String? = nil) throws -> [Written] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let written = try marts.map { mart in
            try write(mart, from: warehouse, format: format, to: directory + "/" + mart.name + "." + format.rawValue,
                      allowPersonalData: allowPersonalData)
        }
        let manifest = Manifest(database: databaseName ?? warehouse.path, files: written,
                                containsPersonalData: written.contains { $0.containsPersonalData })
        try TextQuoting.jsonText(manifest, pretty: true).write(toFile: directory + "/manifest.json", atomically: true, encoding: .utf8)
        return written
    }

    struct Manifest: Codable {
        var database: String
        var files: [Written]
        var containsPersonalData: Bool
    }
}
