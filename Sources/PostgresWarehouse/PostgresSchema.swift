/// The warehouse's tables in PostgreSQL: the staging tables, the star schema and the run log of
/// `WarehouseSchema` (the SQLite warehouse), with PostgreSQL's types: `double precision` for
/// money and quantities (the same IEEE doubles SQLite's REAL holds, so both backends compute the
/// same sums from the same rows), `date` for days, `timestamptz` for times, `boolean` for flags.
///
/// Keys, uniqueness and foreign keys are declared as in SQLite. The staging tables carry
/// `load_row`, the row's place in the load's input: new surrogate keys are handed out in that
/// order, as SQLite's rowids are, so both backends give every customer, product and order the
/// same key. They are `UNLOGGED` and have no keys: they hold one load's rows, which `COPY`
/// writes fastest without a write-ahead log or an index; the ingestion has already dropped
/// duplicate keys, and the checks verify it.
///
/// Versioned migrations, recorded in `etl_schema_migrations` and applied once each, in one
/// transaction under an advisory lock (two first runs at once do not race); an applied one is
/// never edited, a change is a new one appended to ``migrations``.
public enum PostgresSchema {
    public struct Migration: Sendable {
        public var identifier: String
        public var statements: [String]
    }

    public static let migrations: [Migration] = [Migration(identifier: "warehouse-v1", statements: version1)]

    /// Tables created by the migrations (the marts are created by each mart build).
    public static let tables = ["stg_customers", "stg_products", "stg_orders", "stg_order_lines", "dim_customer", "dim_product",
                                "dim_date", "fct_orders", "fct_order_lines", "etl_log"]

    static let version1: [String] = [
        """
        CREATE UNLOGGED TABLE stg_customers (
            customer_id text NOT NULL, name text, email text, phone text, street text, city text, state text,
            zip text, signup_date date, load_row integer NOT NULL)
        """,
        """
        CREATE UNLOGGED TABLE stg_products (
            product_id text NOT NULL, name text, category text NOT NULL, list_price double precision,
            availability text, load_row integer NOT NULL)
        """,
        """
        CREATE UNLOGGED TABLE stg_orders (
            order_id text NOT NULL, customer_id text NOT NULL, ordered_at timestamptz NOT NULL,
            date_key integer NOT NULL, status text NOT NULL, is_revenue boolean NOT NULL, line_count integer NOT NULL,
            units double precision NOT NULL, order_total double precision NOT NULL, load_row integer NOT NULL)
        """,
        """
        CREATE UNLOGGED TABLE stg_order_lines (
            order_id text NOT NULL, product_id text NOT NULL, quantity double precision NOT NULL,
            unit_price double precision NOT NULL, line_total double precision NOT NULL, is_revenue boolean NOT NULL,
            load_row integer NOT NULL)
        """,
        """
        CREATE TABLE dim_customer (
            customer_key bigint PRIMARY KEY, customer_id text NOT NULL UNIQUE, name text, email text, phone text,
            street text, city text, state text, zip text, signup_date date)
        """,
        """
        CREATE TABLE dim_product (
            product_key bigint PRIMARY KEY, product_id text NOT NULL UNIQUE, name text, category text NOT NULL,
            list_price double precision, availability text)
        """,
        """
        CREATE TABLE dim_date (
            date_key integer PRIMARY KEY, date date NOT NULL UNIQUE, year integer NOT NULL, quarter integer NOT NULL,
            month integer NOT NULL, day integer NOT NULL, day_of_week integer NOT NULL, is_weekend boolean NOT NULL,
            iso_year integer NOT NULL, iso_week integer NOT NULL, week_start date NOT NULL, month_start date NOT NULL)
        """,
        """
        CREATE TABLE fct_orders (
            order_key bigint PRIMARY KEY, order_id text NOT NULL UNIQUE,
            customer_key bigint NOT NULL REFERENCES dim_customer(customer_key),
            date_key integer NOT NULL REFERENCES dim_date(date_key),
            ordered_at timestamptz NOT NULL, status text NOT NULL, is_revenue boolean NOT NULL,
            line_count integer NOT NULL, units double precision NOT NULL, order_total double precision NOT NULL)
        """,
        "CREATE INDEX fct_orders_by_customer ON fct_orders(customer_key, ordered_at)",
        "CREATE INDEX fct_orders_by_date ON fct_orders(date_key)",
        """
        CREATE TABLE fct_order_lines (
            order_key bigint NOT NULL REFERENCES fct_orders(order_key),
            product_key bigint NOT NULL REFERENCES dim_product(product_key),
            customer_key bigint NOT NULL REFERENCES dim_customer(customer_key),
            date_key integer NOT NULL REFERENCES dim_date(date_key),
            ordered_at timestamptz NOT NULL, status text NOT NULL, is_revenue boolean NOT NULL,
            quantity double precision NOT NULL, unit_price double precision NOT NULL, line_total double precision NOT NULL,
            PRIMARY KEY (order_key, product_key))
        """,
        "CREATE INDEX fct_order_lines_by_date ON fct_order_lines(date_key, product_key)",
        """
        CREATE TABLE etl_log (
            run_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, step text NOT NULL, started_at timestamptz NOT NULL DEFAULT now(),
            seconds double precision NOT NULL, source text, rows_in bigint, rows_out bigint, detail text)
        """,
    ]

    /// Brings the database to the latest version; returns the migrations it applied.
    @discardableResult
    public static func migrate(_ session: PostgresSession) async throws -> [String] {
        try await session.transaction(step: "migrating the schema") {
            // One migrator at a time; the lock ends with the transaction.
            try await session.execute("SELECT pg_advisory_xact_lock(7203411)", step: "locking the schema")
            try await session.execute("""
                CREATE TABLE IF NOT EXISTS etl_schema_migrations (
                    identifier text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())
                """, step: "creating the migrations table")
            let applied = Set(try await session.rows("SELECT identifier FROM etl_schema_migrations").compactMap { $0.first?.text })
            var done: [String] = []
            for migration in migrations where !applied.contains(migration.identifier) {
                try await session.execute(migration.statements, step: "migration \(migration.identifier)")
                try await session.execute("INSERT INTO etl_schema_migrations(identifier) VALUES ('\(migration.identifier)')")
                done.append(migration.identifier)
            }
            return done
        }
    }

    /// The tables of the current schema (the warehouse's, its marts' and any other).
    public static func presentTables(_ session: PostgresSession) async throws -> Set<String> {
        Set(try await session.rows("SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema()").compactMap { $0[0].text })
    }

    /// Whether the warehouse's tables exist (a database that was never loaded has none).
    public static func exists(_ session: PostgresSession) async throws -> Bool {
        try await session.int("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'fct_orders'") > 0
    }

    /// Throws ``PostgresWarehouseError/noSchema(location:message:)`` when the warehouse's tables are missing.
    public static func requireSchema(_ session: PostgresSession) async throws {
        guard try await exists(session) else {
            throw PostgresWarehouseError.noSchema(location: session.location.description, message: "no table fct_orders in \(session.location.database)")
        }
    }
}
