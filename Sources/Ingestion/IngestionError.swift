/// Why ingestion stopped. Every case names the file, and where it applies the line and
/// column, and says what was expected.
public enum IngestionError: Error, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    /// A mapped column is not in the header (or beyond the row width).
    case unknownColumn(path: String, column: String, available: [String])
    /// The file has no data rows where some are required.
    case noData(path: String, reason: String)
    /// ``BadRowPolicy/fail``: the first bad row.
    case badRow(path: String, line: Int, column: Int, field: String?, reason: String)
    /// No column is mapped to `field` (`customer`, `time`), which every layout needs.
    case unmappedColumn(field: String)
    /// Both an amount column (line total) and a price column (unit price) are mapped.
    case amountAndPriceMapped
    /// The timestamps of `column` in `path` match no ``TimestampFormat`` (`examples`: the first values).
    case unrecognisedTimestamps(path: String, column: ColumnReference, examples: [String])
    /// A setting (of a mapping or a mapping file) is invalid.
    case invalidSetting(String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): return "\(path): cannot open: \(reason)"
        case .unknownColumn(let path, let column, let available):
            let list = available.isEmpty ? "the file has no header row; refer to columns by number (1, 2, ...)"
                : "columns are: \(available.map { "\"\($0)\"" }.joined(separator: ", "))"
            return "\(path): column \"\(column)\" not found; \(list)"
        case .noData(let path, let reason): return "\(path): \(reason)"
        case .badRow(let path, let line, let column, let field, let reason):
            let f = field.map { " (field \"\($0)\")" } ?? ""
            return "\(path):\(line):\(column)\(f): \(reason)"
        case .unmappedColumn(let field):
            return "no \(field) column: map one by header name or 1-based position, or use a layout that has one"
        case .amountAndPriceMapped:
            return "both an amount column (line total) and a price column (unit price) are mapped; map only one"
        case .unrecognisedTimestamps(let path, let column, let examples):
            return "\(path): cannot recognise the timestamps in column \"\(column)\" (values like \(examples.map { "'\($0)'" }.joined(separator: ", "))); "
                + "the known formats are \(TimestampFormat.allCases.map(\.rawValue).joined(separator: ", "))"
        case .invalidSetting(let what): return what
        }
    }
}
