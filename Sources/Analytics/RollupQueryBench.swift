import Core
import Foundation
import GRDB
import Warehouse

/// Times the dashboard query "revenue by month and category" two ways: from the
/// pre-aggregated roll-up, and computed from the facts. Each query runs `repeats` times; the
/// median wall time is reported (the first run also warms the page cache).
public enum RollupQueryBench {
    public struct Timing: Codable, Sendable, Equatable {
        public var query: String
        public var rows: Int
        public var medianSeconds: Double
        public var runs: [Double]
    }

    public static let fromRollup = """
        SELECT period, category, orders, units, revenue, customers FROM \(SalesRollups.categoryTable)
        WHERE grain = 'month' ORDER BY period, category
        """
    /// The same result computed from the facts, in `dialect`.
    public static func fromFacts(_ dialect: SQLDialect) -> String {
        """
        SELECT substr(CAST(d.month_start AS TEXT), 1, 7) AS period, p.category, count(DISTINCT l.order_key), sum(l.quantity),
               sum(l.line_total), count(DISTINCT l.customer_key)
        FROM fct_order_lines l JOIN dim_date d ON d.date_key = l.date_key JOIN dim_product p ON p.product_key = l.product_key
        WHERE \(dialect.isTrue("l.is_revenue")) GROUP BY d.month_start, p.category ORDER BY 1, 2
        """
    }

    /// The queries to time, by name, in `dialect`.
    public static func queries(_ dialect: SQLDialect, includeFacts: Bool) -> [(name: String, sql: String)] {
        [("monthly by category, from the roll-up", fromRollup)]
            + (includeFacts ? [("monthly by category, from the facts", fromFacts(dialect))] : [])
    }

    /// Runs `query` (which returns its row count) `repeats` times.
    public static func time(_ name: String, repeats: Int, _ query: () async throws -> Int) async throws -> Timing {
        var runs: [Double] = []
        var rows = 0
        for _ in 0..<max(1, repeats) {
            let start = Date()
            rows = try await query()
            runs.append(Date().timeIntervalSince(start))
        }
        return Timing(query: name, rows: rows, medianSeconds: runs.sorted()[runs.count / 2], runs: runs)
    }

    public static func run(_ warehouse: ShopWarehouse, repeats: Int = 5, includeFacts: Bool = true) async throws -> [Timing] {
        var timings: [Timing] = []
        for (name, sql) in queries(.sqlite, includeFacts: includeFacts) {
            timings.append(try await time(name, repeats: repeats) { try warehouse.queue.read { db in try Row.fetchAll(db, sql: sql).count } })
        }
        return timings
    }
}
