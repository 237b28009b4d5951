/// The SQL engines the toolkit writes SQL for (the warehouse's checks and marts, the features
/// compiled to SQL), and the few expressions they spell differently. Everything else in those
/// queries is written once, in the SQL they all accept.
public enum SQLDialect: String, Sendable, CaseIterable {
    case sqlite, postgres, spark

    /// The larger of the values: SQLite's scalar `max(a, b, ...)`, elsewhere `greatest`.
    public func greatest(_ values: String...) -> String {
        let list = values.joined(separator: ", ")
        return self == .sqlite ? "max(\(list))" : "greatest(\(list))"
    }

    /// A flag column as a condition: SQLite stores flags as 0/1, the others as `boolean`.
    public func isTrue(_ column: String) -> String {
        self == .sqlite ? "\(column) = 1" : column
    }

    /// Whole days from the date `earlier` to the date `later` (SQLite: `YYYY-MM-DD` text; the others: `date`).
    public func daysBetween(_ later: String, _ earlier: String) -> String {
        switch self {
        case .sqlite: "CAST(julianday(\(later)) - julianday(\(earlier)) AS INTEGER)"
        case .postgres: "(\(later) - \(earlier))"
        case .spark: "datediff(\(later), \(earlier))"
        }
    }

    /// Days since 1970-01-01 of a timestamp (or date) column's calendar day, as an integer.
    public func dayNumber(_ timestamp: String) -> String {
        switch self {
        case .sqlite: "CAST(julianday(date(\(timestamp))) - 2440587.5 AS INTEGER)"
        case .postgres: "(CAST(\(timestamp) AS date) - DATE '1970-01-01')"
        case .spark: "datediff(to_date(\(timestamp)), DATE '1970-01-01')"
        }
    }

    /// `value` as a double (so that `/` divides as reals).
    public func double(_ value: String) -> String {
        switch self {
        case .sqlite: "CAST(\(value) AS REAL)"
        case .postgres: "CAST(\(value) AS double precision)"
        case .spark: "CAST(\(value) AS DOUBLE)"
        }
    }

    /// The smaller of two values: SQLite's scalar `min(a, b)`, elsewhere `least`.
    public func least(_ a: String, _ b: String) -> String {
        self == .sqlite ? "min(\(a), \(b))" : "least(\(a), \(b))"
    }

    /// log(1 + x): Spark's `log1p`; PostgreSQL and SQLite have only `ln`, whose result for
    /// 1 + x differs from log1p by about one unit in the last place of 1 + x (relative
    /// 1e-16 of the feature's scale: far inside the 1e-9 the compiled models are held to).
    public func log1p(_ x: String) -> String {
        self == .spark ? "log1p(\(x))" : "ln(1 + \(x))"
    }

    /// A double literal that reads back as exactly `value` (finite): Swift's shortest
    /// round-trip digits, typed as a double where a bare decimal would be an exact numeric
    /// (PostgreSQL's `numeric`, Spark's `decimal`), so that sums and products round as the
    /// toolkit's own arithmetic does.
    public func literal(_ value: Double) -> String {
        let digits = value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) + ".0" : String(value)
        switch self {
        case .sqlite: return digits.hasPrefix("-") ? "(\(digits))" : digits
        case .postgres: return "float8 '\(digits)'"
        case .spark: return digits.hasPrefix("-") ? "(\(digits)D)" : "\(digits)D"
        }
    }

    /// A date literal (SQLite: the `YYYY-MM-DD` text it stores dates as).
    public func date(_ day: CivilDate) -> String {
        self == .sqlite ? "'\(day)'" : "DATE '\(day)'"
    }

    /// `value` as text (dates as `YYYY-MM-DD`).
    public func text(_ value: String) -> String {
        switch self {
        case .sqlite: "CAST(\(value) AS TEXT)"
        case .postgres: "CAST(\(value) AS text)"
        case .spark: "CAST(\(value) AS STRING)"
        }
    }
}
