import GRDB

/// The warehouse's tables, as SQL. Names follow the dbt convention: `stg_` tables hold the
/// last load's cleaned source rows, `dim_` tables the entities, `fct_` tables the events.
///
/// Conventions:
/// - Surrogate keys (`*_key`, INTEGER) are assigned on first insert and never change; business
///   keys (`customer_id`, `product_id`, `order_id`) are unique and drive the upserts.
/// - Times are UTC text `YYYY-MM-DD HH:MM:SS` (SQLite's date functions read it); `date_key` is
///   the day as the integer `YYYYMMDD`, a foreign key into `dim_date`.
/// - An order whose status is excluded (cancelled) stays in the facts with its status and
///   `is_revenue = 0`; revenue is always `SUM(line_total) WHERE is_revenue = 1`.
/// - The order lines carry their order's customer, day, time and status (degenerate
///   dimensions), so the marts group lines without a join.
///
/// The schema changes through versioned migrations (``migrator``), each applied once. The marts
/// are not among them: each build drops and recreates its tables (see `Marts`), since their
/// columns follow the data (one per category) and a mart holds nothing that is not rebuilt.
public enum WarehouseSchema {
    /// The fact and dimension tables, in load order.
    public static let starTables = ["dim_customer", "dim_product", "dim_date", "fct_orders", "fct_order_lines"]
    public static let stagingTables = ["stg_customers", "stg_products", "stg_orders", "stg_order_lines"]
    /// Columns that hold personal data (only `dim_customer`, `stg_customers` and the
    /// marketing audience may have them).
    public static let personalColumns: Set<String> = ["name", "email", "phone", "street", "zip"]

    /// The shop warehouse's migrations, in order. Identifiers carry the schema's name, so a file
    /// that also holds another schema's tables (they share `grdb_migrations`) cannot mistake
    /// one's version for the other's.
    ///
    /// - `warehouse-v1`: the staging tables, the star schema and the run log (``version1``).
    ///   Written with `IF NOT EXISTS` so that it also applies to a warehouse created before
    ///   migrations were recorded: it then adds only what is missing and records the version.
    ///
    /// - `warehouse-v2`: the change log that lets `warehouse marts` update the marts from the
    ///   orders a load changed instead of rebuilding them (``version2``, ``MartChangeLog``).
    ///
    /// A later change is a new migration appended here (`warehouse-v3`, ...); an applied one is
    /// never edited.
    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        // Immediate foreign-key checks: v1 only creates tables, and the deferred mode's full
        // `foreign_key_check` would scan a whole (possibly broken) pre-migration warehouse on
        // open; finding broken references is the checks' job, not opening's.
        migrator.registerMigration("warehouse-v1", foreignKeyChecks: .immediate) { db in
            for sql in version1 { try db.execute(sql: sql) }
        }
        migrator.registerMigration("warehouse-v2", foreignKeyChecks: .immediate) { db in
            for sql in version2 { try db.execute(sql: sql) }
        }
        return migrator
    }

    /// Version 1 of the schema, as SQL statements.
    public static let version1: [String] = [
        """
        CREATE TABLE IF NOT EXISTS stg_customers (
            customer_id TEXT NOT NULL PRIMARY KEY, name TEXT, email TEXT, phone TEXT, street TEXT,
            city TEXT, state TEXT, zip TEXT, signup_date TEXT)
        """,
        """
        CREATE TABLE IF NOT EXISTS stg_products (
            product_id TEXT NOT NULL PRIMARY KEY, name TEXT, category TEXT NOT NULL, list_price REAL, availability TEXT)
        """,
        """
        CREATE TABLE IF NOT EXISTS stg_orders (
            order_id TEXT NOT NULL PRIMARY KEY, customer_id TEXT NOT NULL, ordered_at TEXT NOT NULL, date_key INTEGER NOT NULL,
            status TEXT NOT NULL, is_revenue INTEGER NOT NULL, line_count INTEGER NOT NULL, units REAL NOT NULL,
            order_total REAL NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS stg_order_lines (
            order_id TEXT NOT NULL, product_id TEXT NOT NULL, quantity REAL NOT NULL, unit_price REAL NOT NULL,
            line_total REAL NOT NULL, is_revenue INTEGER NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS dim_customer (
            customer_key INTEGER PRIMARY KEY, customer_id TEXT NOT NULL UNIQUE, name TEXT, email TEXT, phone TEXT,
            street TEXT, city TEXT, state TEXT, zip TEXT, signup_date TEXT)
        """,
        """
        CREATE TABLE IF NOT EXISTS dim_product (
            product_key INTEGER PRIMARY KEY, product_id TEXT NOT NULL UNIQUE, name TEXT, category TEXT NOT NULL,
            list_price REAL, availability TEXT)
        """,
        """
        CREATE TABLE IF NOT EXISTS dim_date (
            date_key INTEGER PRIMARY KEY, date TEXT NOT NULL UNIQUE, year INTEGER NOT NULL, quarter INTEGER NOT NULL,
            month INTEGER NOT NULL, day INTEGER NOT NULL, day_of_week INTEGER NOT NULL, is_weekend INTEGER NOT NULL,
            iso_year INTEGER NOT NULL, iso_week INTEGER NOT NULL, week_start TEXT NOT NULL, month_start TEXT NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS fct_orders (
            order_key INTEGER PRIMARY KEY, order_id TEXT NOT NULL UNIQUE,
            customer_key INTEGER NOT NULL REFERENCES dim_customer(customer_key),
            date_key INTEGER NOT NULL REFERENCES dim_date(date_key),
            ordered_at TEXT NOT NULL, status TEXT NOT NULL, is_revenue INTEGER NOT NULL,
            line_count INTEGER NOT NULL, units REAL NOT NULL, order_total REAL NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS fct_orders_by_customer ON fct_orders(customer_key, ordered_at)",
        "CREATE INDEX IF NOT EXISTS fct_orders_by_date ON fct_orders(date_key)",
        """
        CREATE TABLE IF NOT EXISTS fct_order_lines (
            order_key INTEGER NOT NULL REFERENCES fct_orders(order_key),
            product_key INTEGER NOT NULL REFERENCES dim_product(product_key),
            customer_key INTEGER NOT NULL REFERENCES dim_customer(customer_key),
            date_key INTEGER NOT NULL REFERENCES dim_date(date_key),
            ordered_at TEXT NOT NULL, status TEXT NOT NULL, is_revenue INTEGER NOT NULL,
            quantity REAL NOT NULL, unit_price REAL NOT NULL, line_total REAL NOT NULL,
            PRIMARY KEY (order_key, product_key)) WITHOUT ROWID
        """,
        "CREATE INDEX IF NOT EXISTS fct_order_lines_by_date ON fct_order_lines(date_key, product_key)",
        """
        CREATE TABLE IF NOT EXISTS etl_log (
            run_id INTEGER PRIMARY KEY, step TEXT NOT NULL, started_at TEXT NOT NULL, seconds REAL NOT NULL,
            source TEXT, rows_in INTEGER, rows_out INTEGER, detail TEXT)
        """,
    ]

    /// The facts' secondary indexes as version 1 creates them: a first load into empty facts
    /// drops them and builds them after the rows (``WarehouseLoader``).
    public static let factIndexes: [(name: String, sql: String)] = [
        ("fct_orders_by_customer", "CREATE INDEX fct_orders_by_customer ON fct_orders(customer_key, ordered_at)"),
        ("fct_orders_by_date", "CREATE INDEX fct_orders_by_date ON fct_orders(date_key)"),
        ("fct_order_lines_by_date", "CREATE INDEX fct_order_lines_by_date ON fct_order_lines(date_key, product_key)"),
    ]

    /// Version 2: the marts' change log (``MartChangeLog``). No foreign keys: the log holds
    /// orders as they were when the marts were built, which the facts no longer show.
    public static let version2: [String] = [
        // Has its one row while the marts can be brought up to date from the change log.
        "CREATE TABLE etl_mart_baseline (id INTEGER PRIMARY KEY CHECK (id = 1), built_at TEXT NOT NULL)",
        // Orders inserted or changed since the marts were built; for an order that existed
        // then (`existed = 1`), its customer and day as they were.
        """
        CREATE TABLE etl_mart_changes (
            order_key INTEGER PRIMARY KEY, existed INTEGER NOT NULL, customer_key INTEGER, date_key INTEGER)
        """,
        // The lines of those orders as they were when the marts were built.
        """
        CREATE TABLE etl_mart_change_lines (
            order_key INTEGER NOT NULL, product_key INTEGER NOT NULL, customer_key INTEGER NOT NULL,
            date_key INTEGER NOT NULL, is_revenue INTEGER NOT NULL, PRIMARY KEY (order_key, product_key)) WITHOUT ROWID
        """,
    ]
}
