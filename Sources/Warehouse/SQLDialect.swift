/// The SQL engines the warehouse's checks and marts are written for, and the few expressions
/// they spell differently. Everything else in those queries is written once, in the SQL both
/// accept.
public enum SQLDialect: String, Sendable, CaseIterable {
    case sqlite, postgres

    /// The larger of the values: SQLite's scalar `max(a, b, ...)`, PostgreSQL's `greatest`.
    public func greatest(_ values: String...) -> String {
        let list = values.joined(separator: ", ")
        return self == .sqlite ? "max(\(list))" : "greatest(\(list))"
    }

    /// A flag column as a condition: SQLite stores flags as 0/1, PostgreSQL as `boolean`.
    public func isTrue(_ column: String) -> String {
        self == .sqlite ? "\(column) = 1" : column
    }

    /// Whole days from the date `earlier` to the date `later` (SQLite: `YYYY-MM-DD` text; PostgreSQL: `date`).
    public func daysBetween(_ later: String, _ earlier: String) -> String {
        self == .sqlite ? "CAST(julianday(\(later)) - julianday(\(earlier)) AS INTEGER)" : "(\(later) - \(earlier))"
    }
}
