/// Why a mart could not be built, exported or drawn.
public enum MartError: Error, CustomStringConvertible, Equatable {
    /// `mart` holds personal data (names, emails, phones) and the export did not allow them.
    case personalData(mart: String)
    /// The warehouse at `database` has no table for `mart`: ``Marts/build(_:options:progress:)``
    /// has not run on it (with ``MarketingAudience/Options/includePII`` for a mart with personal data).
    case notBuilt(database: String, mart: Marts.Mart)
    /// The as-of day of recency is not a date `YYYY-MM-DD`.
    case invalidAsOf(String)
    /// A value of a mart's column that its type cannot hold (a Parquet export).
    case unexpectedValue(table: String, column: String, row: Int, expected: String, value: String)

    public var description: String {
        switch self {
        case .personalData(let mart):
            return "\(mart) contains personal data (names, emails, phones), and personal data were not allowed in this export"
        case .notBuilt(let database, let mart):
            return "\(database): the mart \(mart.name) (table \(mart.table)) has not been built"
                + (mart.containsPersonalData ? "; it is built only when personal data are included" : "")
        case .invalidAsOf(let text):
            return "as-of day '\(text)': expected a date YYYY-MM-DD"
        case .unexpectedValue(let table, let column, let row, let expected, let value):
            return "\(table), row \(row) in key order, column \(column): expected \(expected), got '\(value)'"
        }
    }
}
