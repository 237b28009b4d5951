import Core
import GRDB
import Ingestion
import Parquet

/// A mart table as a Parquet file: column types from the declared SQLite types (INTEGER as
/// int64, REAL as double, TEXT as UTF-8 strings; the day columns, stored as `YYYY-MM-DD`
/// text, as Parquet dates, and the time columns, `YYYY-MM-DD HH:MM:SS` text in the shop's
/// clock, as timestamps that are not adjusted to UTC), NOT NULL columns required and the rest
/// optional, rows in the primary key's order as in the CSV export, one row group per
/// `rowGroupRows` rows.
enum MartParquetExport {
    /// Text columns that hold days: `date`, `*_date`, `*_start` (period starts).
    static func holdsDays(_ column: String) -> Bool {
        column == "date" || column.hasSuffix("_date") || column.hasSuffix("_start")
    }

    /// Text columns that hold times of day: `last_purchase`, `*_at`.
    static func holdsTimes(_ column: String) -> Bool {
        column == "last_purchase" || column.hasSuffix("_at")
    }

    static func field(_ info: ColumnInfo) -> ParquetField {
        let declared = info.type.uppercased()
        let type: ParquetType
        if declared.contains("INT") {
            type = .int64
        } else if declared.contains("REAL") || declared.contains("FLOA") || declared.contains("DOUB") {
            type = .double
        } else if holdsDays(info.name) {
            type = .date
        } else if holdsTimes(info.name) {
            type = .timestampMicros(utc: false)
        } else {
            type = .string
        }
        return ParquetField(info.name, type, nullable: !info.isNotNull)
    }

    /// One column's values of the current row group.
    struct Builder {
        let field: ParquetField
        var ints: [Int64] = []
        var doubles: [Double] = []
        var days: [Int32] = []
        var strings: [String] = []
        var valid: [Bool] = []
        var nulls = 0

        mutating func append(_ value: DatabaseValue, table: String, row: Int) throws {
            let isNull = value.isNull
            valid.append(!isNull)
            if isNull { nulls += 1 }
            func bad(_ text: String) -> MartError {
                .unexpectedValue(table: table, column: field.name, row: row, expected: "\(field.type)", value: text)
            }
            switch field.type {
            case .timestampMicros:
                switch value.storage {
                case .string(let s):
                    // The warehouse's time text, read as the ingestion reads ISO times (zone-less as UTC).
                    guard let t = TimestampFormat.iso8601.parse(s) else { throw bad(s) }
                    ints.append(t * 1_000_000)
                case .null: ints.append(0)
                default: throw bad(value.description)
                }
            case .int64:
                switch value.storage {
                case .int64(let v): ints.append(v)
                case .double(let v) where v == v.rounded() && abs(v) < 9e18: ints.append(Int64(v))
                case .null: ints.append(0)
                default: throw bad(value.description)
                }
            case .double:
                switch value.storage {
                case .double(let v): doubles.append(v)
                case .int64(let v): doubles.append(Double(v))
                case .null: doubles.append(0)
                default: throw bad(value.description)
                }
            case .date:
                switch value.storage {
                case .string(let s):
                    guard let d = CivilDate(iso: s), let day = Int32(exactly: d.dayNumber) else { throw bad(s) }
                    days.append(day)
                case .null: days.append(0)
                default: throw bad(value.description)
                }
            default:
                switch value.storage {
                case .string(let s): strings.append(s)
                case .int64(let v): strings.append(String(v))
                case .double(let v): strings.append(String(v))
                case .blob(let b): strings.append(b.base64EncodedString())
                case .null: strings.append("")
                }
            }
        }

        mutating func take() -> ParquetColumnBatch {
            let values: ParquetValues
            switch field.type {
            case .int64, .timestampMicros: values = .int64(ints)
            case .double: values = .double(doubles)
            case .date: values = .int32(days)
            default: values = .string(strings)
            }
            let batch = ParquetColumnBatch(values, valid: nulls > 0 ? valid : nil)
            ints = []; doubles = []; days = []; strings = []; valid = []; nulls = 0
            return batch
        }
    }

    /// Writes `table` to `path`; returns the rows and column names written.
    static func write(table: String, db: Database, to path: String, rowGroupRows: Int = 1 << 20) throws -> (rows: Int, columns: [String]) {
        let infos = try db.columns(in: table)
        let schema = infos.map(field)
        let writer = try ParquetFileWriter(path: path, schema: schema)
        var builders = schema.map { Builder(field: $0) }
        let order = try db.primaryKey(table).columns.map(\.quotedDatabaseIdentifier).joined(separator: ", ")
        let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM \(table) ORDER BY \(order)")
        var rows = 0, inGroup = 0
        while let row = try cursor.next() {
            for (i, value) in row.databaseValues.enumerated() { try builders[i].append(value, table: table, row: rows + 1) }
            rows += 1
            inGroup += 1
            if inGroup == rowGroupRows {
                try writer.write(builders.indices.map { builders[$0].take() })
                inGroup = 0
            }
        }
        try writer.write(builders.indices.map { builders[$0].take() })
        try writer.close()
        return (rows, schema.map(\.name))
    }
}
