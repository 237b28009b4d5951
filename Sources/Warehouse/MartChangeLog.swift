import GRDB
import GRDBSQLite

/// The log of what changed since the marts were last built, so that `warehouse marts` can
/// bring them up to date from the changed orders alone instead of the whole history.
///
/// A mart build that can be continued writes the baseline (``markBuilt(_:)``). While the
/// baseline is there, every load records (``capture(_:stagedOrders:)`` before its upserts,
/// ``Capture/finish(_:)`` after them) the orders it inserted and the orders whose row or lines
/// it changed, and for the latter their customer, day and lines as they were when the marts
/// were built (an order changed by two loads keeps its first image). The marts read the log
/// (``read(_:)``) and clear it when they are up to date.
///
/// The log is given up (the baseline removed, so the next build is a full one) when a load
/// changes a product's category (every roll-up row of the product's history would move) or
/// stages more orders than ``maximumStagedShare`` of the facts (a reload of the whole history:
/// copying its before-images would cost more than the rebuild it saves).
public enum MartChangeLog {
    /// A load staging more orders than this share of the facts (and more than
    /// ``minimumStagedLimit``) gives the log up.
    public static let maximumStagedShare = 0.1
    public static let minimumStagedLimit = 100_000

    /// What the marts need from the log.
    public struct Changes: Sendable {
        /// Orders inserted or changed since the marts were built.
        public var orders: Int
        /// Customers of those orders, then or now (surrogate keys, ascending), each with the
        /// first day (`date_key`) one of its changed orders had, then or now.
        public var customers: [(key: Int64, firstDay: Int64)]
        /// Days of those orders, then or now (`date_key`s, ascending).
        public var days: [Int64]
    }

    /// True while the marts can be brought up to date from the log.
    public static func hasBaseline(_ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM etl_mart_baseline)") ?? false
    }

    /// After a full or incremental build: the marts now reflect the facts; start a new log.
    public static func markBuilt(_ db: Database) throws {
        try clear(db)
        try db.execute(sql: "INSERT OR REPLACE INTO etl_mart_baseline(id, built_at) VALUES (1, datetime('now'))")
    }

    /// The marts can no longer be continued (a build that cannot be, or a load too big to log).
    public static func giveUp(_ db: Database) throws {
        try clear(db)
        try db.execute(sql: "DELETE FROM etl_mart_baseline")
    }

    private static func clear(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM etl_mart_changes; DELETE FROM etl_mart_change_lines")
    }

    /// The changes since the marts were built; nil when there is no baseline. (`CROSS JOIN`
    /// keeps the log as the outer loop: SQLite would otherwise scan the facts.)
    public static func read(_ db: Database) throws -> Changes? {
        guard try hasBaseline(db) else { return nil }
        let orders = try Int.fetchOne(db, sql: "SELECT count(*) FROM etl_mart_changes") ?? 0
        // Every changed order's customer and day, then (for an order that existed) and now.
        var firstDay: [Int64: Int64] = [:], days: Set<Int64> = []
        try BulkRead.rows(db, """
            SELECT customer_key, date_key FROM etl_mart_changes WHERE existed = 1
            UNION ALL SELECT f.customer_key, f.date_key FROM etl_mart_changes c CROSS JOIN fct_orders f ON f.order_key = c.order_key
            """) { s in
            let customer = sqlite3_column_int64(s, 0), day = sqlite3_column_int64(s, 1)
            firstDay[customer] = min(firstDay[customer] ?? day, day)
            days.insert(day)
        }
        let customers = firstDay.sorted { $0.key < $1.key }.map { (key: $0.key, firstDay: $0.value) }
        return Changes(orders: orders, customers: customers, days: days.sorted())
    }

    /// A load's capture in progress: the orders it may change, copied before the upserts.
    public struct Capture {
        /// The largest order key before the load: orders above it are new.
        let lastOrderKey: Int64

        /// After the upserts: logs the new orders, and the candidates that did change with
        /// their before-images.
        public func finish(_ db: Database) throws {
            let columns = ["customer_key", "date_key", "ordered_at", "status", "is_revenue", "line_count", "units", "order_total"]
            func row(_ table: String) -> String { "(" + columns.map { table + "." + $0 }.joined(separator: ", ") + ")" }
            let lineColumns = "order_key, product_key, customer_key, date_key, ordered_at, status, is_revenue, quantity, unit_price, line_total"
            try db.execute(sql: """
                CREATE TEMP TABLE mart_changed AS
                SELECT c.order_key FROM temp.mart_candidates c CROSS JOIN fct_orders f ON f.order_key = c.order_key
                WHERE \(row("c")) IS NOT \(row("f"))
                UNION SELECT order_key FROM (
                    SELECT \(lineColumns) FROM temp.mart_candidate_lines
                    EXCEPT SELECT \(lineColumns) FROM fct_order_lines WHERE order_key IN (SELECT order_key FROM temp.mart_candidates))
                UNION SELECT order_key FROM (
                    SELECT \(lineColumns) FROM fct_order_lines WHERE order_key IN (SELECT order_key FROM temp.mart_candidates)
                    EXCEPT SELECT \(lineColumns) FROM temp.mart_candidate_lines);
                INSERT INTO etl_mart_changes(order_key, existed, customer_key, date_key)
                SELECT order_key, 1, customer_key, date_key FROM temp.mart_candidates WHERE order_key IN (SELECT order_key FROM temp.mart_changed);
                INSERT INTO etl_mart_change_lines(order_key, product_key, customer_key, date_key, is_revenue)
                SELECT order_key, product_key, customer_key, date_key, is_revenue FROM temp.mart_candidate_lines
                WHERE order_key IN (SELECT order_key FROM temp.mart_changed);
                DROP TABLE temp.mart_changed;
                DROP TABLE temp.mart_candidates;
                DROP TABLE temp.mart_candidate_lines;
                """)
            try db.execute(sql: "INSERT OR IGNORE INTO etl_mart_changes(order_key, existed) SELECT order_key, 0 FROM fct_orders WHERE order_key > ?",
                           arguments: [lastOrderKey])
        }
    }

    /// Before a load's upserts (the staging tables filled): nil when nothing is to be logged
    /// (no baseline, or the log was given up for this load's sake); else the orders the
    /// staging names that exist and are not in the log yet, copied with their lines.
    public static func capture(_ db: Database, stagedOrders: Int) throws -> Capture? {
        guard try hasBaseline(db) else { return nil }
        // Orders are never deleted, so the largest key is their count (and no scan is needed).
        let lastOrderKey = try Int64.fetchOne(db, sql: "SELECT coalesce(max(order_key), 0) FROM fct_orders") ?? 0
        let categoryChanged = try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM stg_products s JOIN dim_product p ON p.product_id = s.product_id WHERE p.category IS NOT s.category)
            """) ?? false
        if categoryChanged || stagedOrders > max(minimumStagedLimit, Int(maximumStagedShare * Double(lastOrderKey))) {
            try giveUp(db)
            return nil
        }
        try db.execute(sql: """
            DROP TABLE IF EXISTS temp.mart_candidates;
            DROP TABLE IF EXISTS temp.mart_candidate_lines;
            DROP TABLE IF EXISTS temp.mart_changed;
            CREATE TEMP TABLE mart_candidates AS
            SELECT order_key, customer_key, date_key, ordered_at, status, is_revenue, line_count, units, order_total
            FROM fct_orders
            WHERE order_id IN (SELECT order_id FROM stg_orders UNION SELECT order_id FROM stg_order_lines)
              AND order_key NOT IN (SELECT order_key FROM etl_mart_changes);
            CREATE TEMP TABLE mart_candidate_lines AS
            SELECT order_key, product_key, customer_key, date_key, ordered_at, status, is_revenue, quantity, unit_price, line_total
            FROM fct_order_lines WHERE order_key IN (SELECT order_key FROM temp.mart_candidates);
            """)
        return Capture(lastOrderKey: lastOrderKey)
    }
}
