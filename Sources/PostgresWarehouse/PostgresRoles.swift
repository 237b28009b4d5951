import Analytics
import Warehouse

/// The group roles that keep personal data from the sales team in a shared PostgreSQL warehouse.
///
/// - `pipeline_writer` owns and writes the tables: the loads and mart builds of a login that
///   is a member run as this role (`SET ROLE`), so everything they create belongs to it.
/// - `sales_analyst` reads the facts, `dim_product`, `dim_date`, the sales roll-ups and the daily
///   customer summary, and the columns of `dim_customer` and the staging tables that hold no
///   personal data: no name, email, phone, street or zip anywhere, and not the segments or the
///   audience.
/// - `marketing_analyst` reads every table, the audience and the segments included.
///
/// Group roles cannot log in; an administrator makes a login a member
/// (`CREATE ROLE alice LOGIN PASSWORD '...' IN ROLE sales_analyst`, or `GRANT sales_analyst TO
/// alice`). Nothing is granted to PUBLIC: the database's CONNECT and TEMP and the schema's
/// USAGE are taken from it and given to the three roles. Tables created later by
/// `pipeline_writer` are readable by `marketing_analyst` (default privileges) and by no one
/// else; every mart build grants `sales_analyst` its marts again, since a build recreates them.
public enum PostgresRoles {
    public static let writer = "pipeline_writer"
    public static let sales = "sales_analyst"
    public static let marketing = "marketing_analyst"
    public static let all = [writer, sales, marketing]

    /// Tables `sales_analyst` reads whole.
    static let salesTables = ["fct_orders", "fct_order_lines", "dim_product", "dim_date", "stg_products", "stg_orders", "stg_order_lines"]
    static let salesMarts = [CustomerDailySummary.table, SalesRollups.productTable, SalesRollups.categoryTable]
    /// Tables `sales_analyst` reads only some columns of: every column but the personal ones.
    static let salesColumnTables = ["dim_customer", "stg_customers"]

    /// What ``create(_:)`` did.
    public struct Outcome: Codable, Sendable, Equatable {
        public var database: String
        public var rolesCreated: [String]
        public var tablesOwned: Int
        public var salesTables: [String]
        public var salesColumns: [String: [String]]
        public var marketingTables: Int
    }

    /// Whether the three roles exist on the server.
    public static func exist(_ session: PostgresSession) async throws -> Bool {
        let list = all.map { "'\($0)'" }.joined(separator: ", ")
        return try await session.int("SELECT count(*) FROM pg_roles WHERE rolname IN (\(list))") == all.count
    }

    /// Creates the roles when missing and (again) sets ownership, grants and default
    /// privileges on the warehouse's tables; idempotent. Run by a superuser, or by the
    /// database's owner with CREATEROLE. Creates the schema first if the database has none.
    public static func create(_ session: PostgresSession) async throws -> Outcome {
        try await PostgresSchema.migrate(session)
        return try await session.transaction(step: "setting up the roles") {
            var created: [String] = []
            for role in all {
                let exists = try await session.int("SELECT count(*) FROM pg_roles WHERE rolname = '\(role)'") > 0
                if !exists {
                    try await session.execute("CREATE ROLE \(role) NOLOGIN", step: "creating role \(role)")
                    created.append(role)
                }
            }
            let database = session.location.database
            let quotedDatabase = "\"" + database.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            let schema = try await session.scalar("SELECT current_schema()").text ?? "public"
            try await session.execute([
                "REVOKE ALL ON DATABASE \(quotedDatabase) FROM PUBLIC",
                "GRANT CONNECT ON DATABASE \(quotedDatabase) TO \(all.joined(separator: ", "))",
                "GRANT TEMPORARY ON DATABASE \(quotedDatabase) TO \(writer)",
                "REVOKE ALL ON SCHEMA \(schema) FROM PUBLIC",
                "GRANT USAGE ON SCHEMA \(schema) TO \(sales), \(marketing)",
                "GRANT USAGE, CREATE ON SCHEMA \(schema) TO \(writer)",
            ], step: "granting the database and schema")
            let tables = try await warehouseTables(session)
            for table in tables {
                try await session.execute("ALTER TABLE \(table) OWNER TO \(writer)", step: "giving \(table) to \(writer)")
                try await session.execute("REVOKE ALL ON \(table) FROM PUBLIC")
            }
            try await session.execute([
                "ALTER DEFAULT PRIVILEGES FOR ROLE \(writer) IN SCHEMA \(schema) GRANT SELECT ON TABLES TO \(marketing)",
                "ALTER DEFAULT PRIVILEGES FOR ROLE \(writer) IN SCHEMA \(schema) REVOKE ALL ON TABLES FROM PUBLIC",
            ], step: "setting default privileges")
            if !tables.isEmpty {
                try await session.execute("GRANT SELECT ON \(tables.joined(separator: ", ")) TO \(marketing)", step: "granting \(marketing)")
            }
            let columns = try await grantSales(session, existing: Set(tables))
            return Outcome(database: database, rolesCreated: created, tablesOwned: tables.count,
                           salesTables: (salesTables + salesMarts).filter(tables.contains), salesColumns: columns,
                           marketingTables: tables.count)
        }
    }

    /// After a mart build: `sales_analyst` reads its marts again and `marketing_analyst` every mart.
    static func grantMarts(_ session: PostgresSession) async throws {
        let tables = Set(try await warehouseTables(session))
        let marts = Marts.all.map(\.table).filter(tables.contains)
        if !marts.isEmpty {
            try await session.execute("GRANT SELECT ON \(marts.joined(separator: ", ")) TO \(marketing)", step: "granting the marts")
        }
        let forSales = salesMarts.filter(tables.contains)
        if !forSales.isEmpty {
            try await session.execute("GRANT SELECT ON \(forSales.joined(separator: ", ")) TO \(sales)", step: "granting the marts")
        }
    }

    /// Grants `sales_analyst` its tables and the non-personal columns of the customer tables;
    /// returns those columns per table.
    private static func grantSales(_ session: PostgresSession, existing: Set<String>) async throws -> [String: [String]] {
        let whole = (salesTables + salesMarts).filter(existing.contains)
        if !whole.isEmpty {
            try await session.execute("GRANT SELECT ON \(whole.joined(separator: ", ")) TO \(sales)", step: "granting \(sales)")
        }
        var granted: [String: [String]] = [:]
        for table in salesColumnTables where existing.contains(table) {
            let columns = try await session.rows("""
                SELECT column_name FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = '\(table)' ORDER BY ordinal_position
                """).compactMap { $0[0].text }.filter { !WarehouseSchema.personalColumns.contains($0) }
            try await session.execute("REVOKE ALL ON \(table) FROM \(sales)")
            try await session.execute("GRANT SELECT (\(columns.joined(separator: ", "))) ON \(table) TO \(sales)", step: "granting \(sales)")
            granted[table] = columns
        }
        return granted
    }

    /// The warehouse's tables that exist in the current schema: the migrated ones, the marts and the migrations' record.
    static func warehouseTables(_ session: PostgresSession) async throws -> [String] {
        let known = PostgresSchema.tables + Marts.all.map(\.table) + ["etl_schema_migrations"]
        return known.filter(try await PostgresSchema.presentTables(session).contains)
    }

    /// Before writing: a login that is a member of `pipeline_writer` acts as it, so what it
    /// creates belongs to the role and the grants above apply. Only where `warehouse roles` has
    /// set this database up (the role may create in the schema): roles are the server's, and a
    /// database they were never granted on is written by the login itself.
    public static func actAsWriter(_ session: PostgresSession) async throws {
        let member = try await session.int("""
            SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '\(writer)')
                        AND pg_has_role(current_user, '\(writer)', 'MEMBER')
                        AND has_schema_privilege('\(writer)', current_schema(), 'CREATE') THEN 1 ELSE 0 END
            """)
        if member == 1 { try await session.execute("SET ROLE \(writer)") }
    }
}
