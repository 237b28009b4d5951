import Core
import GRDB

/// One data test, dbt style: a query that counts the rows breaking an invariant.
public struct DataCheck: Sendable {
    public enum Kind: String, Codable, Sendable {
        case unique, notNull = "not_null", foreignKey = "foreign_key", reconciliation, consistency
    }

    public var name: String
    public var kind: Kind
    /// Returns one integer: the number of offending rows (0 = pass).
    public var sql: String
    /// Said when the check fails, after the count.
    public var failure: String

    public init(_ kind: Kind, _ name: String, _ sql: String, failure: String) {
        self.kind = kind
        self.name = name
        self.sql = sql
        self.failure = failure
    }

    /// `column` is unique in `table`.
    public static func unique(_ table: String, _ columns: String...) -> DataCheck {
        let list = columns.joined(separator: ", ")
        return DataCheck(.unique, "\(table).(\(list)) unique", """
            SELECT count(*) FROM (SELECT 1 FROM \(table) GROUP BY \(list) HAVING count(*) > 1) AS duplicated
            """, failure: "values of (\(list)) occur more than once")
    }

    /// None of `columns` is NULL in `table`.
    public static func notNull(_ table: String, _ columns: String...) -> DataCheck {
        DataCheck(.notNull, "\(table).(\(columns.joined(separator: ", "))) not null", """
            SELECT count(*) FROM \(table) WHERE \(columns.map { "\($0) IS NULL" }.joined(separator: " OR "))
            """, failure: "rows have a NULL in a required column")
    }

    /// Every `table.column` is a `parent.parentColumn`.
    public static func foreignKey(_ table: String, _ column: String, _ parent: String, _ parentColumn: String) -> DataCheck {
        DataCheck(.foreignKey, "\(table).\(column) -> \(parent).\(parentColumn)", """
            SELECT count(*) FROM \(table) c WHERE NOT EXISTS (SELECT 1 FROM \(parent) p WHERE p.\(parentColumn) = c.\(column))
            """, failure: "rows point to no \(parent) row")
    }

    /// Two sums agree to 1e-9 relative (cents on a billion): counts 1 when they do not.
    public static func sumsAgree(_ kind: Kind, _ name: String, _ a: String, _ b: String, dialect: SQLDialect = .sqlite) -> DataCheck {
        DataCheck(kind, name, """
            SELECT CASE WHEN abs(a - b) <= 1e-9 * \(dialect.greatest("1.0", "abs(a)", "abs(b)")) THEN 0 ELSE 1 END
            FROM (SELECT coalesce((\(a)), 0.0) AS a, coalesce((\(b)), 0.0) AS b) AS sums
            """, failure: "the totals differ")
    }
}

/// The outcome of one ``DataCheck``.
public struct CheckResult: Codable, Sendable, Equatable {
    public var name: String
    public var kind: String
    public var passed: Bool
    /// Offending rows.
    public var failures: Int
    public var detail: String

    public init(name: String, kind: String, passed: Bool, failures: Int, detail: String) {
        self.name = name; self.kind = kind; self.passed = passed; self.failures = failures; self.detail = detail
    }
}

extension DataCheck {
    /// Runs the checks in one read transaction (a consistent snapshot).
    public static func run(_ checks: [DataCheck], in database: some SQLiteBacked) throws -> [CheckResult] {
        try database.queue.read { db in
            try checks.map { check in
                let n = try Int.fetchOne(db, sql: check.sql) ?? 0
                return CheckResult(name: check.name, kind: check.kind.rawValue, passed: n == 0, failures: n,
                                   detail: n == 0 ? "ok" : "\(n) \(check.failure)")
            }
        }
    }
}
