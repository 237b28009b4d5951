/// The type of a Parquet column as this writer writes it: a physical type with, where it
/// applies, the logical type readers use to show it (UTF-8 strings, dates, timestamps).
public enum ParquetType: Sendable, Equatable {
    case boolean
    case int32
    case int64
    case double
    /// BYTE_ARRAY with the STRING logical type (UTF8).
    case string
    /// INT32 days since 1970-01-01 with the DATE logical type.
    case date
    /// INT64 microseconds since 1970-01-01 00:00 with the TIMESTAMP(MICROS) logical type;
    /// `utc`: instants (isAdjustedToUTC) rather than local date-times.
    case timestampMicros(utc: Bool)

    /// The Parquet physical type code (parquet.thrift `Type`).
    var physicalCode: Int32 {
        switch self {
        case .boolean: return 0
        case .int32, .date: return 1
        case .int64, .timestampMicros: return 2
        case .double: return 5
        case .string: return 6
        }
    }
}

/// One column of a file's schema (a flat schema: every column a leaf of the root).
public struct ParquetField: Sendable, Equatable {
    public var name: String
    public var type: ParquetType
    /// OPTIONAL (may hold nulls) rather than REQUIRED.
    public var nullable: Bool

    public init(_ name: String, _ type: ParquetType, nullable: Bool = false) {
        self.name = name
        self.type = type
        self.nullable = nullable
    }
}

/// The values of one column for a batch of rows. Null rows hold any placeholder value in
/// `values` and are marked in the batch's validity.
public enum ParquetValues: Sendable {
    case boolean([Bool])
    case int32([Int32])
    case int64([Int64])
    case double([Double])
    case string([String])
    /// Strings given as codes into a table of distinct entries (interned ids): written without
    /// hashing a string, dictionary-encoded when a row group uses few enough entries.
    case coded(entries: [String], codes: [Int32])

    public var count: Int {
        switch self {
        case .boolean(let v): return v.count
        case .int32(let v): return v.count
        case .int64(let v): return v.count
        case .double(let v): return v.count
        case .string(let v): return v.count
        case .coded(_, let codes): return codes.count
        }
    }

    /// Whether these values can be stored in a column of type `type`.
    func fits(_ type: ParquetType) -> Bool {
        switch (self, type) {
        case (.boolean, .boolean), (.int32, .int32), (.int32, .date), (.int64, .int64), (.int64, .timestampMicros),
             (.double, .double), (.string, .string), (.coded, .string):
            return true
        default:
            return false
        }
    }
}

/// One column of a batch: its values and, for a nullable column, which rows hold a value.
public struct ParquetColumnBatch: Sendable {
    public var values: ParquetValues
    /// `valid[row]` is false for a null; nil when no row is null.
    public var valid: [Bool]?

    public init(_ values: ParquetValues, valid: [Bool]? = nil) {
        self.values = values
        self.valid = valid
    }
}

/// What can go wrong writing a Parquet file.
public enum ParquetError: Error, CustomStringConvertible, Equatable {
    case cannotWrite(path: String, reason: String)
    case columnCount(expected: Int, got: Int)
    case rowCount(column: String, expected: Int, got: Int)
    case typeMismatch(column: String, expected: String)
    case nullInRequiredColumn(column: String, row: Int)
    case codeOutOfRange(column: String, row: Int, code: Int32)
    case compressionFailed(code: Int32)
    case closed

    public var description: String {
        switch self {
        case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
        case .columnCount(let e, let g): return "a batch has \(g) columns; the schema has \(e)"
        case .rowCount(let c, let e, let g): return "column \(c) has \(g) rows in a batch of \(e)"
        case .typeMismatch(let c, let e): return "column \(c) needs \(e) values"
        case .nullInRequiredColumn(let c, let r): return "column \(c) is not nullable but row \(r) of a batch is null"
        case .codeOutOfRange(let c, let r, let code): return "column \(c), row \(r) of a batch: code \(code) is not an entry of its table"
        case .compressionFailed(let code): return "gzip compression failed (zlib code \(code))"
        case .closed: return "the file is already closed"
        }
    }
}
