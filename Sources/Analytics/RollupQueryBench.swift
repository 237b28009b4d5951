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
    public static let fromFacts = """
        SELECT substr(d.date, 1, 7) AS period, p.category, count(DISTINCT l.order_key), sum(l.quantity), sum(l.line_total),
               count(DISTINCT l.customer_key)
        FROM fct_order_lines l JOIN dim_date d ON d.date_key = l.date_key JOIN dim_product p ON p.product_key = l.product_key
        WHERE l.is_revenue = 1 GROUP BY d.month_start, p.category ORDER BY 1, 2
        """

    public static func run(_ warehouse: ShopWarehouse, repeats: Int = 5, includeFacts: Bool = true) throws -> [Timing] {
        try warehouse.queue.read { db in
            var timings: [Timing] = []
            for (name, sql) in [("monthly by category, from the roll-up", fromRollup), ("monthly by category, from the facts", fromFacts)]
            where includeFacts || sql == fromRollup {
                var runs: [Double] = []
                var rows = 0
                for _ in 0..<max(1, repeats) {
                    let start = Date()
                    rows = try Row.fetchAll(db, sql: sql).count
                    runs.append(Date().timeIntervalSince(start))
                }
                timings.append(Timing(query: name, rows: rows, medianSeconds: runs.sorted()[runs.count / 2], runs: runs))
            }
            return timings
        }
    }
}
