/// A row that did not make it into a table, and why.
public struct RejectedRow: Sendable, Equatable {
    /// The table it belonged to.
    public var table: String
    /// 1-based line where the record starts.
    public var line: Int
    /// 1-based character (byte) column where the problem starts; 1 when it concerns the row.
    public var column: Int
    /// The canonical field concerned, if any.
    public var field: String?
    /// A short category for counting (`unparseable timestamp`, `ragged row`, ...).
    public var category: String
    /// What was wrong and what was expected.
    public var reason: String
    /// The record's raw text (invalid UTF-8 replaced by U+FFFD).
    public var raw: String

    public init(table: String, line: Int, column: Int, field: String?, category: String, reason: String, raw: String) {
        self.table = table
        self.line = line
        self.column = column
        self.field = field
        self.category = category
        self.reason = reason
        self.raw = raw
    }
}
