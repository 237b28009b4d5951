/// Counts of empty and bad values in one column.
public struct ColumnQuality: Codable, Sendable, Equatable {
    /// Canonical field name.
    public var field: String
    /// The source column (header name or `#position`).
    public var source: String
    public var empty = 0
    public var unparseable = 0
    public var negative = 0
    public var zero = 0
    /// Timestamps after the as-of day.
    public var future = 0
}

/// A delimited file read into typed columns, in file order, with everything that was
/// rejected on the way.
///
/// Invariant: `rowsRead == rowCount + rejects.count`; blank lines are not rows.
public struct ParsedTable: Sendable {
    public let schema: TableSchema
    public let path: String
    public let rowsRead: Int
    public let blankLines: Int
    public let delimiter: Delimiter
    public let hasHeader: Bool
    public let headerNames: [String]
    public let timestampFormat: TimestampFormat?
    /// True when the timestamp format was detected rather than given.
    public let timestampFormatDetected: Bool
    public let columnQuality: [ColumnQuality]
    public internal(set) var rejects: [RejectedRow]
    /// Rows accepted.
    public internal(set) var rowCount: Int

    // Typed columns by field name.
    public internal(set) var codes: [String: [Int32]]
    let dictionaries: [String: KeyDictionary]
    public internal(set) var times: [String: [Int64]]
    public internal(set) var numbers: [String: [Double]]
    public internal(set) var texts: [String: [String]]
    /// 1-based line of each accepted row when the schema asked for them.
    public internal(set) var lineNumbers: [Int32]
    /// Wall-clock seconds of the reading phases (probe, parse, merge), for benchmarks.
    public internal(set) var phaseSeconds: [(phase: String, seconds: Double)] = []

    /// Rows accepted.
    public var rowsAccepted: Int { rowCount }
    public var rowsRejected: Int { rejects.count }

    /// The distinct keys of a key or category field, indexed by code.
    public func keys(_ field: String) -> [String] { dictionaries[field]?.keys ?? [] }

    /// The code of `key` in a key or category field, if present.
    public func code(of key: String, in field: String) -> Int32? { dictionaries[field]?.code(of: key) }

    /// Keeps only the rows where `keep[i]` is true (used by checks that reject after parsing).
    mutating func filterRows(_ keep: [Bool]) {
        func f<T>(_ a: [T]) -> [T] { a.isEmpty ? a : zip(a, keep).compactMap { $1 ? $0 : nil } }
        codes = codes.mapValues(f)
        times = times.mapValues(f)
        numbers = numbers.mapValues(f)
        texts = texts.mapValues(f)
        lineNumbers = f(lineNumbers)
        rowCount = keep.lazy.filter { $0 }.count
    }

    /// Drops the typed columns (counts, rejects and line numbers stay): call once they have
    /// been handed on, so they can be freed.
    mutating func releaseColumns() {
        codes = [:]; times = [:]; numbers = [:]; texts = [:]
    }

    /// Adds rejects found by later checks, keeping file order.
    mutating func addRejects(_ more: [RejectedRow]) {
        rejects.append(contentsOf: more)
        rejects.sort { ($0.line, $0.column) < ($1.line, $1.column) }
    }
}

/// The frozen id dictionary of a key column: code -> key, and key -> code. It owns its
/// interner's storage.
final class KeyDictionary: @unchecked Sendable {
    let interner: ByteInterner
    let keys: [String]

    init(_ interner: ByteInterner) {
        self.interner = interner
        self.keys = interner.allKeys()
    }

    deinit { interner.free() }

    func code(of key: String) -> Int32? {
        var k = key
        return k.withUTF8 { b in b.baseAddress.flatMap { interner.lookup($0, b.count) } }
    }
}
