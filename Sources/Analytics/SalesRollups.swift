import GRDB
import Warehouse

/// The sales roll-ups: orders, units, revenue and distinct customers per product and per
/// category, at four grains (day, ISO week, month, year), pre-aggregated so that a dashboard
/// reads a few hundred rows instead of scanning the facts. Revenue counts only orders that
/// are not excluded (cancelled). No personal data.
///
/// Each grain is computed from the facts (distinct counts cannot be summed from a finer
/// grain); ``MartChecks`` verifies that every grain sums to the facts. ``build(_:)`` computes
/// them in one columnar pass in Swift (``SalesRollupsColumnar``); ``buildInSQL(_:)`` is the
/// same definition in SQL, which a test holds the Swift pass to.
public enum SalesRollups {
    public static let productTable = "mart_sales_by_product"
    public static let categoryTable = "mart_sales_by_category"

    /// A grain: its name, the `dim_date` column that starts its period, and its label.
    public struct Grain: Sendable {
        public var name: String
        var start: String
        var label: String
    }

    public static let grains: [Grain] = [
        Grain(name: "day", start: "d.date", label: "d.date"),
        Grain(name: "week", start: "d.week_start", label: "printf('%04d-W%02d', d.iso_year, d.iso_week)"),
        Grain(name: "month", start: "d.month_start", label: "substr(d.date, 1, 7)"),
        Grain(name: "year", start: "printf('%04d-01-01', d.year)", label: "CAST(d.year AS TEXT)"),
    ]

    /// Rebuilds both tables (DROP and CREATE: marts are not migrated, see ``Marts``) with the
    /// columnar pass; returns their row counts.
    public static func build(_ db: Database) throws -> (products: Int, categories: Int) {
        try createTables(db)
        try SalesRollupsColumnar.build(db)
        return try counts(db)
    }

    /// Rebuilds both tables with one `INSERT ... SELECT ... GROUP BY` per grain and key.
    public static func buildInSQL(_ db: Database) throws -> (products: Int, categories: Int) {
        try createTables(db)
        try insertInSQL(db)
        return try counts(db)
    }

    static func createTables(_ db: Database) throws {
        try db.execute(sql: """
            DROP TABLE IF EXISTS \(productTable);
            CREATE TABLE \(productTable) (
                grain TEXT NOT NULL, period TEXT NOT NULL, period_start TEXT NOT NULL, product_id TEXT NOT NULL,
                category TEXT NOT NULL, orders INTEGER NOT NULL, units REAL NOT NULL, revenue REAL NOT NULL,
                customers INTEGER NOT NULL, PRIMARY KEY (grain, period_start, product_id)) WITHOUT ROWID;
            CREATE INDEX \(productTable)_by_product ON \(productTable)(grain, product_id, period_start);
            DROP TABLE IF EXISTS \(categoryTable);
            CREATE TABLE \(categoryTable) (
                grain TEXT NOT NULL, period TEXT NOT NULL, period_start TEXT NOT NULL, category TEXT NOT NULL,
                orders INTEGER NOT NULL, units REAL NOT NULL, revenue REAL NOT NULL, customers INTEGER NOT NULL,
                PRIMARY KEY (grain, period_start, category)) WITHOUT ROWID;
            CREATE INDEX \(categoryTable)_by_category ON \(categoryTable)(grain, category, period_start);
            """)
    }

    static func insertInSQL(_ db: Database) throws {
        for g in grains {
            try db.execute(sql: """
                INSERT INTO \(productTable)
                SELECT '\(g.name)', \(g.label), \(g.start), p.product_id, p.category, count(DISTINCT l.order_key),
                       sum(l.quantity), sum(l.line_total), count(DISTINCT l.customer_key)
                FROM fct_order_lines l JOIN dim_date d ON d.date_key = l.date_key JOIN dim_product p ON p.product_key = l.product_key
                WHERE l.is_revenue = 1
                GROUP BY \(g.start), l.product_key
                """)
            try db.execute(sql: """
                INSERT INTO \(categoryTable)
                SELECT '\(g.name)', \(g.label), \(g.start), p.category, count(DISTINCT l.order_key),
                       sum(l.quantity), sum(l.line_total), count(DISTINCT l.customer_key)
                FROM fct_order_lines l JOIN dim_date d ON d.date_key = l.date_key JOIN dim_product p ON p.product_key = l.product_key
                WHERE l.is_revenue = 1
                GROUP BY \(g.start), p.category
                """)
        }
    }

    static func counts(_ db: Database) throws -> (products: Int, categories: Int) {
        let products = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(productTable)") ?? 0
        let categories = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(categoryTable)") ?? 0
        return (products, categories)
    }
}
