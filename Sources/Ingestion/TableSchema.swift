/// Where a field's value comes from in the source file.
public enum ColumnReference: Sendable, Equatable, CustomStringConvertible {
    /// By header name (exact match, then case-insensitive).
    case name(String)
    /// By position, 1-based, for files with or without a header.
    case position(Int)

    /// A flag value: a number is a position, anything else a header name.
    public init(flag: String) {
        if let n = Int(flag), n >= 1 { self = .position(n) } else { self = .name(flag) }
    }

    public var description: String {
        switch self {
        case .name(let n): return n
        case .position(let p): return "#\(p)"
        }
    }
}

/// How a field's text is turned into a typed value.
public enum FieldKind: Sendable, Equatable {
    /// An identifier, interned to a dense integer code (customer, product, order ids).
    case key
    /// A small set of labels (order status), also interned.
    case category
    /// A timestamp in the table's ``TimestampFormat``, stored as seconds since 1970 UTC.
    case timestamp
    /// A decimal number.
    case number
    /// Free text kept as a string (names, emails: small tables only).
    case text
}

/// What to do with a row whose number is negative or zero.
public enum ValueRule: String, Sendable, Codable, CaseIterable {
    /// Keep the row and say nothing.
    case allow
    /// Keep the row and count it in the quality report.
    case warn
    /// Move the row to the rejects with a reason.
    case reject
}

/// One field of a table: its canonical name, type, source column and rules.
public struct FieldSpec: Sendable, Equatable {
    public var name: String
    public var kind: FieldKind
    public var source: ColumnReference?
    /// An empty value rejects the row when true; otherwise the value is missing
    /// (`defaultNumber` for numbers, NaN if none; code -1 for keys and categories).
    public var required: Bool
    public var defaultNumber: Double?
    public var negative: ValueRule
    public var zero: ValueRule
    /// Timestamps at or after this instant (seconds since 1970) are "in the future".
    public var futureFrom: Int64?
    public var future: ValueRule

    public init(_ name: String, _ kind: FieldKind, source: ColumnReference?, required: Bool = true,
                defaultNumber: Double? = nil, negative: ValueRule = .allow, zero: ValueRule = .allow,
                futureFrom: Int64? = nil, future: ValueRule = .allow) {
        self.name = name
        self.kind = kind
        self.source = source
        self.required = required
        self.defaultNumber = defaultNumber
        self.negative = negative
        self.zero = zero
        self.futureFrom = futureFrom
        self.future = future
    }
}

/// Whether the first record is a header.
public enum HeaderMode: String, Sendable, Codable {
    case auto, present, absent
}

/// What to do with a bad row.
public enum BadRowPolicy: String, Sendable, Codable, CaseIterable {
    /// Move it to the rejects (with line, column and reason) and go on.
    case reject
    /// Stop with an error naming the file, line and column.
    case fail
}

/// Everything the reader needs to know about one delimited file.
public struct TableSchema: Sendable {
    /// The table's name in reports (`transactions`, `orders`, ...).
    public var table: String
    public var fields: [FieldSpec]
    /// nil = detect from the first line.
    public var delimiter: Delimiter?
    /// nil = detect from the first data rows.
    public var timestampFormat: TimestampFormat?
    public var header: HeaderMode
    /// Keep each accepted row's line number (needed when later checks reject rows).
    public var keepLineNumbers: Bool

    public init(table: String, fields: [FieldSpec], delimiter: Delimiter? = nil,
                timestampFormat: TimestampFormat? = nil, header: HeaderMode = .auto,
                keepLineNumbers: Bool = false) {
        self.table = table
        self.fields = fields
        self.delimiter = delimiter
        self.timestampFormat = timestampFormat
        self.header = header
        self.keepLineNumbers = keepLineNumbers
    }

    /// Only the fields that are mapped to a source column.
    var mappedFields: [FieldSpec] { fields.filter { $0.source != nil } }
}
