import Core
import GRDB
import Warehouse

/// `mart_customer_daily`: one row per customer and day with a revenue order (or, with the
/// date spine, every day from the customer's first order to the last day), with the day's
/// orders, items and spend, the average order value, the running totals and the days since
/// the previous order. Cancelled (excluded) orders are not activity. No personal data: the
/// customer is named by its business key only.
public enum CustomerDailySummary {
    public static let table = "mart_customer_daily"

    /// Rebuilds the table (DROP and CREATE: marts are not migrated, see ``Marts``); returns its
    /// row count. `spineThrough` (a `YYYY-MM-DD` date) asks for the full date spine up to that
    /// day (built in SQL); without it the rows come from ``CustomerDailyColumnar``.
    public static func build(_ db: Database, spineThrough: String? = nil) throws -> Int {
        if spineThrough != nil { return try buildInSQL(db, spineThrough: spineThrough) }
        try createTable(db)
        try CustomerDailyColumnar.insert(db)
        try createIndex(db)
        return try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0
    }

    static func createTable(_ db: Database) throws {
        try db.execute(sql: """
            DROP TABLE IF EXISTS \(table);
            CREATE TABLE \(table) (
                customer_id TEXT NOT NULL, date TEXT NOT NULL, orders INTEGER NOT NULL, items REAL NOT NULL,
                spend REAL NOT NULL, avg_order_value REAL, cumulative_orders INTEGER NOT NULL,
                cumulative_spend REAL NOT NULL, days_since_previous_order INTEGER,
                PRIMARY KEY (customer_id, date)) WITHOUT ROWID;
            """)
    }

    /// The index by date, built once the rows are in (one sort instead of a random insert per row).
    static func createIndex(_ db: Database) throws {
        try db.execute(sql: "CREATE INDEX \(table)_by_date ON \(table)(date)")
    }

    /// The same table by one `INSERT ... SELECT` with window functions (the definition).
    public static func buildInSQL(_ db: Database, spineThrough: String? = nil) throws -> Int {
        try createTable(db)
        try db.execute(sql: insertSQL(.sqlite, spineThrough: spineThrough))
        try createIndex(db)
        return try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0
    }

    /// The `INSERT ... SELECT` that fills the table from the facts, in `dialect`: the one
    /// definition of the mart in SQL, which the SQLite test and the PostgreSQL warehouse run.
    /// `spineThrough` (`YYYY-MM-DD`): every day from each customer's first order to that day.
    public static func insertSQL(_ dialect: SQLDialect, spineThrough: String? = nil) -> String {
        "INSERT INTO \(table)\n" + selectSQL(dialect, spineThrough: spineThrough)
    }

    /// The mart's rows as one SELECT over the star schema (`fct_orders`, `dim_customer`,
    /// `dim_date`), columns named as the table's: what ``insertSQL(_:spineThrough:)`` inserts
    /// and `forecast sql marts` prints for an engine that holds the warehouse.
    public static func selectSQL(_ dialect: SQLDialect, spineThrough: String? = nil) -> String {
        let daily = """
            SELECT customer_key, date_key, count(*) AS orders, sum(units) AS items, sum(order_total) AS spend
            FROM fct_orders WHERE \(dialect.isTrue("is_revenue")) GROUP BY customer_key, date_key
            """
        let base: String
        if let spineThrough {
            base = """
                SELECT f.customer_key, d.date_key, coalesce(x.orders, 0) AS orders, coalesce(x.items, 0.0) AS items,
                       coalesce(x.spend, 0.0) AS spend
                FROM (SELECT customer_key, min(date_key) AS first_key FROM daily GROUP BY customer_key) f
                JOIN dim_date d ON d.date_key >= f.first_key AND d.date <= '\(spineThrough.replacingOccurrences(of: "'", with: "''"))'
                LEFT JOIN daily x ON x.customer_key = f.customer_key AND x.date_key = d.date_key
                """
        } else {
            base = "SELECT * FROM daily"
        }
        return """
            WITH daily AS (\(daily)), base AS (\(base))
            SELECT c.customer_id, d.date, x.orders, x.items, x.spend, x.aov AS avg_order_value, x.cumulative_orders, x.cumulative_spend,
                   \(dialect.daysBetween("d.date", "p.date")) AS days_since_previous_order
            FROM (SELECT b.*, CASE WHEN b.orders > 0 THEN b.spend / b.orders END AS aov,
                         sum(b.orders) OVER running AS cumulative_orders, sum(b.spend) OVER running AS cumulative_spend,
                         max(CASE WHEN b.orders > 0 THEN b.date_key END)
                             OVER (PARTITION BY b.customer_key ORDER BY b.date_key ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS previous_key
                  FROM base b
                  WINDOW running AS (PARTITION BY b.customer_key ORDER BY b.date_key ROWS UNBOUNDED PRECEDING)) x
            JOIN dim_customer c ON c.customer_key = x.customer_key
            JOIN dim_date d ON d.date_key = x.date_key
            LEFT JOIN dim_date p ON p.date_key = x.previous_key
            """
    }
}
