import Core
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

    /// A grain: its name, and (per dialect) the start of its period and its label, from `dim_date d`.
    public struct Grain: Sendable {
        public var name: String
        var start: @Sendable (SQLDialect) -> String
        var label: @Sendable (SQLDialect) -> String
    }

    /// The grains: periods labelled `2019-12-31`, `2019-W52` (ISO year and week), `2019-12`, `2019`.
    public static let grains: [Grain] = [
        Grain(name: "day", start: { _ in "d.date" }, label: { $0.text("d.date") }),
        Grain(name: "week", start: { _ in "d.week_start" }, label: { d in
            d == .sqlite ? "printf('%04d-W%02d', d.iso_year, d.iso_week)"
                : "concat(lpad(\(d.text("d.iso_year")), 4, '0'), '-W', lpad(\(d.text("d.iso_week")), 2, '0'))"
        }),
        Grain(name: "month", start: { _ in "d.month_start" }, label: { "substr(\($0.text("d.date")), 1, 7)" }),
        Grain(name: "year", start: { $0 == .sqlite ? "printf('%04d-01-01', d.year)" : "make_date(d.year, 1, 1)" }, label: { $0.text("d.year") }),
    ]

    /// A roll-up's rows, every grain, as one SELECT over the star schema (`fct_order_lines`,
    /// `dim_date`, `dim_product`), columns named as the table's (`grain, period, period_start,`
    /// the key`, orders, units, revenue, customers`): what ``buildInSQL(_:)`` inserts and
    /// `forecast sql marts` prints. `byProduct`: per product (with its category), else per category.
    public static func selectSQL(_ dialect: SQLDialect, byProduct: Bool) -> String {
        let key = byProduct ? "p.product_id, p.category" : "p.category"
        let selects = grains.map { g in
            """
            SELECT '\(g.name)' AS grain, \(g.label(dialect)) AS period, \(g.start(dialect)) AS period_start, \(key),
                   count(DISTINCT l.order_key) AS orders, sum(l.quantity) AS units, sum(l.line_total) AS revenue,
                   count(DISTINCT l.customer_key) AS customers
            FROM fct_order_lines l JOIN dim_date d ON d.date_key = l.date_key JOIN dim_product p ON p.product_key = l.product_key
            WHERE \(dialect.isTrue("l.is_revenue"))
            GROUP BY \(g.start(dialect)), \(g.label(dialect)), \(key)
            """
        }
        return selects.joined(separator: "\nUNION ALL\n")
    }

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
        try db.execute(sql: "INSERT INTO \(productTable)\n" + selectSQL(.sqlite, byProduct: true))
        try db.execute(sql: "INSERT INTO \(categoryTable)\n" + selectSQL(.sqlite, byProduct: false))
    }

    static func counts(_ db: Database) throws -> (products: Int, categories: Int) {
        let products = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(productTable)") ?? 0
        let categories = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(categoryTable)") ?? 0
        return (products, categories)
    }
}
