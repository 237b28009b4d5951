/// Why ingestion stopped. Every case names the file, and where it applies the line and
/// column, and says what was expected.
public enum IngestionError: Error, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    /// A mapped column is not in the header (or beyond the row width).
    case unknownColumn(path: String, column: String, available: [String])
    /// The file has no data rows where some are required.
    case noData(path: String, reason: String)
    /// `--on-bad-row fail`: the first bad row.
    case badRow(path: String, line: Int, column: Int, field: String?, reason: String)
    /// A setting (flag or mapping file) is invalid.
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
        case .invalidSetting(let what): return what
        }
    }
}
