import Core
import Foundation
import Ingestion
import Warehouse

/// Loads checked shop tables into a PostgreSQL warehouse with the SQLite loader's contract
/// (`WarehouseLoader`): the staging tables are replaced by the input through `COPY ... FROM
/// STDIN`, then the dimensions and facts are upserted from them on their business keys with
/// set-based `INSERT ... ON CONFLICT ... DO UPDATE ... WHERE ... IS DISTINCT FROM ...`.
///
/// - One transaction: a failure, or a server that goes away, leaves the database as it was,
///   and running the load again completes it.
/// - Idempotent and incremental, with the same counts (inserted, updated, unchanged, deleted)
///   and the same surrogate keys as the SQLite loader: new keys are the largest key plus the
///   new rows' rank in input order (`load_row`), which is what SQLite's rowids give.
/// - A first load (empty facts) is a bulk load: the facts' keys, indexes and foreign keys are
///   dropped, the rows inserted without `ON CONFLICT` (there is nothing to conflict with), and
///   the keys, indexes and foreign keys restored after: one sort per index and one join per
///   foreign key instead of an index insert and a trigger lookup per row (``FactDefinitions``).
public struct PostgresLoader {
    public let session: PostgresSession
    public var progress: (@Sendable (String) -> Void)?
    /// For tests of the rollback: a step name after which the load throws.
    public var failAfterStep: String?

    public init(session: PostgresSession, progress: (@Sendable (String) -> Void)? = nil) {
        self.session = session
        self.progress = progress
    }

    public func load(_ shop: ShopTables) async throws -> LoadSummary {
        let start = Date()
        try await PostgresSchema.migrate(session)
        return try await session.transaction(step: "loading") {
            var step = "begin"
            func mark(_ name: String, _ message: String) throws {
                if let failAfterStep, failAfterStep == step {
                    throw WarehouseError.loadFailed(step: step, message: "injected failure")
                }
                step = name
                progress?(message)
            }
            try mark("staging", "copying \(shop.customers.count) customers, \(shop.products.count) products, \(shop.orders.count) orders, "
                     + "\(shop.lines.count) order lines into staging")
            let totals = OrderTotals(shop)
            try await stage(shop, totals: totals)
            // Planner statistics for the staged rows (the statements below join them by the million).
            try await session.execute("ANALYZE stg_customers, stg_products, stg_orders, stg_order_lines")
            let firstLoad = try await session.int("""
                SELECT CASE WHEN EXISTS (SELECT 1 FROM fct_orders) OR EXISTS (SELECT 1 FROM fct_order_lines) THEN 0 ELSE 1 END
                """) == 1
            var tables: [TableLoad] = []
            try mark("dim_customer", "upserting dim_customer")
            tables.append(try await upsertDimension(table: "dim_customer", key: "customer_key", businessKey: "customer_id",
                                                    staging: "stg_customers", staged: shop.customers.count,
                                                    columns: ["name", "email", "phone", "street", "city", "state", "zip", "signup_date"]))
            try mark("dim_product", "upserting dim_product")
            tables.append(try await upsertDimension(table: "dim_product", key: "product_key", businessKey: "product_id",
                                                    staging: "stg_products", staged: shop.products.count,
                                                    columns: ["name", "category", "list_price", "availability"]))
            try mark("dim_date", "extending dim_date")
            let datesAdded = try await extendDates()
            try await session.execute("ANALYZE dim_customer, dim_product")
            var facts: FactDefinitions?
            if firstLoad {
                try mark("fct_orders", "a first load: dropping the facts' keys, indexes and foreign keys, inserting fct_orders")
                facts = try await FactDefinitions.read(session)
                try await facts?.drop(session)
            } else {
                try mark("fct_orders", "upserting fct_orders")
            }
            tables.append(try await upsertOrders(staged: shop.orders.count, bulk: firstLoad))
            try await session.execute("ANALYZE fct_orders")
            try mark("fct_order_lines", firstLoad ? "inserting fct_order_lines" : "upserting fct_order_lines")
            tables.append(firstLoad ? try await insertLines(staged: shop.lines.count) : try await upsertLines(staged: shop.lines.count))
            if let facts {
                try mark("indexes", "building the facts' keys and indexes, checking their foreign keys")
                try await facts.restore(session)
                try await session.execute("ANALYZE fct_orders, fct_order_lines")
            }
            try mark("done", "committing")
            return LoadSummary(source: shop.source, layout: shop.layout, tables: tables, datesAdded: datesAdded,
                               excludedOrders: totals.excludedOrders, stagedRevenue: totals.revenue,
                               seconds: Date().timeIntervalSince(start))
        }
    }

    /// Empties the staging tables and copies the load's rows into them.
    private func stage(_ shop: ShopTables, totals: OrderTotals) async throws {
        try await session.execute("TRUNCATE stg_customers, stg_products, stg_orders, stg_order_lines")
        func nullable(_ s: String) -> String? { s.isEmpty ? nil : s }
        let customers = shop.customers
        try await session.copy(into: "stg_customers", columns: ["customer_id", "name", "email", "phone", "street", "city", "state", "zip",
                                                                "signup_date", "load_row"], count: customers.count) { i, row in
            let signup = customers.signupSeconds[i]
            row.text(customers.id[i]); row.text(nullable(customers.name[i])); row.text(nullable(customers.email[i]))
            row.text(nullable(customers.phone[i])); row.text(nullable(customers.street[i])); row.text(nullable(customers.city[i]))
            row.text(nullable(customers.state[i])); row.text(nullable(customers.zip[i]))
            row.text(signup == .min ? nil : CivilDate(dayNumber: dayNumber(ofSeconds: signup)).description)
            row.int(Int64(i))
        }
        let products = shop.products
        try await session.copy(into: "stg_products", columns: ["product_id", "name", "category", "list_price", "availability", "load_row"],
                               count: products.count) { i, row in
            row.text(products.id[i]); row.text(nullable(products.name[i])); row.text(nullable(products.category[i]) ?? "unknown")
            row.double(products.price[i].isNaN ? nil : products.price[i]); row.text(nullable(products.availability[i]))
            row.int(Int64(i))
        }
        let orders = shop.orders
        try await session.copy(into: "stg_orders", columns: ["order_id", "customer_id", "ordered_at", "date_key", "status", "is_revenue",
                                                             "line_count", "units", "order_total", "load_row"], count: orders.count) { i, row in
            let seconds = orders.seconds[i]
            row.text(orders.id[i]); row.text(customers.id[Int(orders.customer[i])]); row.text(sqlTimestamp(seconds: seconds) + "+00")
            row.int(Int64(dateKey(dayNumber: dayNumber(ofSeconds: seconds)))); row.text(orders.status[i]); row.bool(!totals.excluded[i])
            row.int(Int64(totals.lineCount[i])); row.double(totals.units[i]); row.double(totals.total[i])
            row.int(Int64(i))
        }
        let lines = shop.lines
        try await session.copy(into: "stg_order_lines", columns: ["order_id", "product_id", "quantity", "unit_price", "line_total",
                                                                  "is_revenue", "load_row"], count: lines.count) { i, row in
            let o = Int(lines.order[i])
            row.text(orders.id[o]); row.text(products.id[Int(lines.product[i])]); row.double(lines.quantity[i])
            row.double(lines.unitPrice[i]); row.double(totals.lineTotal[i]); row.bool(!totals.excluded[o])
            row.int(Int64(i))
        }
    }

    /// Upserts a dimension from its staging table; new rows get keys after the largest, in input order.
    private func upsertDimension(table: String, key: String, businessKey: String, staging: String, staged: Int,
                                 columns: [String]) async throws -> TableLoad {
        let list = columns.joined(separator: ", ")
        return try await upsert(table: table, staged: staged, sql: """
            INSERT INTO \(table) AS t (\(key), \(businessKey), \(list))
            SELECT coalesce(d.\(key), m.top + row_number() OVER (PARTITION BY d.\(key) IS NULL ORDER BY s.load_row)),
                   s.\(businessKey), \(columns.map { "s.\($0)" }.joined(separator: ", "))
            FROM \(staging) s LEFT JOIN \(table) d ON d.\(businessKey) = s.\(businessKey)
            CROSS JOIN (SELECT coalesce(max(\(key)), 0) AS top FROM \(table)) m
            """, conflict: businessKey, columns: columns)
    }

    /// `bulk`: the table is empty (a first load), so a plain insert.
    private func upsertOrders(staged: Int, bulk: Bool) async throws -> TableLoad {
        let columns = ["customer_key", "date_key", "ordered_at", "status", "is_revenue", "line_count", "units", "order_total"]
        return try await upsert(table: "fct_orders", staged: staged, sql: """
            INSERT INTO fct_orders AS t (order_key, order_id, \(columns.joined(separator: ", ")))
            SELECT coalesce(f.order_key, m.top + row_number() OVER (PARTITION BY f.order_key IS NULL ORDER BY s.load_row)),
                   s.order_id, c.customer_key, s.date_key, s.ordered_at, s.status, s.is_revenue, s.line_count, s.units, s.order_total
            FROM stg_orders s JOIN dim_customer c ON c.customer_id = s.customer_id
            LEFT JOIN fct_orders f ON f.order_id = s.order_id
            CROSS JOIN (SELECT coalesce(max(order_key), 0) AS top FROM fct_orders) m
            """, conflict: bulk ? nil : "order_id", columns: columns)
    }

    /// A first load's lines: inserted straight from staging, resolved to surrogate keys.
    private func insertLines(staged: Int) async throws -> TableLoad {
        let columns = ["customer_key", "date_key", "ordered_at", "status", "is_revenue", "quantity", "unit_price", "line_total"]
        return try await upsert(table: "fct_order_lines", staged: staged, sql: """
            INSERT INTO fct_order_lines AS t (order_key, product_key, \(columns.joined(separator: ", ")))
            SELECT f.order_key, p.product_key, f.customer_key, f.date_key, f.ordered_at, f.status, f.is_revenue,
                   l.quantity, l.unit_price, l.line_total
            FROM stg_order_lines l JOIN fct_orders f ON f.order_id = l.order_id JOIN dim_product p ON p.product_id = l.product_id
            """, conflict: nil, columns: columns)
    }

    /// The lines: resolved to surrogate keys once, then the stale lines of reloaded orders are
    /// deleted and the rest upserted.
    private func upsertLines(staged: Int) async throws -> TableLoad {
        try await session.execute("DROP TABLE IF EXISTS load_lines")
        try await session.execute("""
            CREATE TEMP TABLE load_lines ON COMMIT DROP AS
            SELECT f.order_key, p.product_key, f.customer_key, f.date_key, f.ordered_at, f.status, f.is_revenue,
                   l.quantity, l.unit_price, l.line_total, l.load_row
            FROM stg_order_lines l JOIN fct_orders f ON f.order_id = l.order_id JOIN dim_product p ON p.product_id = l.product_id
            """)
        let deleted = try await session.int("""
            WITH gone AS (
                DELETE FROM fct_order_lines x
                USING stg_orders s JOIN fct_orders f ON f.order_id = s.order_id
                WHERE x.order_key = f.order_key
                  AND NOT EXISTS (SELECT 1 FROM load_lines n WHERE n.order_key = x.order_key AND n.product_key = x.product_key)
                RETURNING 1)
            SELECT count(*) FROM gone
            """)
        let columns = ["customer_key", "date_key", "ordered_at", "status", "is_revenue", "quantity", "unit_price", "line_total"]
        var load = try await upsert(table: "fct_order_lines", staged: staged, sql: """
            INSERT INTO fct_order_lines AS t (order_key, product_key, \(columns.joined(separator: ", ")))
            SELECT order_key, product_key, \(columns.joined(separator: ", ")) FROM load_lines
            """, conflict: "order_key, product_key", columns: columns)
        load.deleted = deleted
        return load
    }

    /// Runs `sql` (an `INSERT ... SELECT` into `table AS t`) as an upsert on `conflict` that
    /// writes only rows whose `columns` differ (a plain insert when `conflict` is nil), and
    /// counts what it did: `xmax = 0` marks a row the statement inserted rather than updated.
    private func upsert(table: String, staged: Int, sql: String, conflict: String?, columns: [String]) async throws -> TableLoad {
        let current = "(" + columns.map { "t.\($0)" }.joined(separator: ", ") + ")"
        let incoming = "(" + columns.map { "excluded.\($0)" }.joined(separator: ", ") + ")"
        let onConflict = conflict.map { """
            ON CONFLICT (\($0)) DO UPDATE SET \(columns.map { "\($0) = excluded.\($0)" }.joined(separator: ", "))
            WHERE \(current) IS DISTINCT FROM \(incoming)
            """ } ?? ""
        let counts = try await session.rows("""
            WITH written AS (
                \(sql)
                \(onConflict)
                RETURNING (t.xmax = 0) AS inserted)
            SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM written
            """, step: "upserting \(table)")
        let inserted = Int(counts.first?[0].int ?? 0), updated = Int(counts.first?[1].int ?? 0)
        let total = try await session.int("SELECT count(*) FROM \(table)")
        return TableLoad(table: table, staged: staged, inserted: inserted, updated: updated,
                         unchanged: staged - inserted - updated, total: total)
    }

    /// Adds the days of the staged orders' and the facts' months that `dim_date` lacks.
    private func extendDates() async throws -> Int {
        let range = try await session.rows("""
            SELECT least(min(s.lo), min(f.lo)), greatest(max(s.hi), max(f.hi))
            FROM (SELECT min(date_key) AS lo, max(date_key) AS hi FROM stg_orders) s,
                 (SELECT min(date_key) AS lo, max(date_key) AS hi FROM fct_orders) f
            """)
        guard let lo = range.first?[0].int, let hi = range.first?[1].int else { return 0 }
        let days = Array(DateDimension.monthsCovering(minKey: Int(lo), maxKey: Int(hi)))
        try await session.execute("DROP TABLE IF EXISTS load_dates")
        try await session.execute("CREATE TEMP TABLE load_dates (LIKE dim_date) ON COMMIT DROP")
        try await session.copy(into: "load_dates", columns: ["date_key", "date", "year", "quarter", "month", "day", "day_of_week",
                                                             "is_weekend", "iso_year", "iso_week", "week_start", "month_start"],
                               count: days.count) { i, row in
            let d = DateDimension.Day(dayNumber: days[i])
            row.int(Int64(d.dateKey)); row.text(d.date); row.int(Int64(d.year)); row.int(Int64(d.quarter)); row.int(Int64(d.month))
            row.int(Int64(d.day)); row.int(Int64(d.dayOfWeek)); row.bool(d.isWeekend); row.int(Int64(d.isoYear))
            row.int(Int64(d.isoWeek)); row.text(d.weekStart); row.text(d.monthStart)
        }
        return try await session.int("""
            WITH added AS (INSERT INTO dim_date SELECT * FROM load_dates ORDER BY date_key ON CONFLICT DO NOTHING RETURNING 1)
            SELECT count(*) FROM added
            """)
    }
}

/// The facts' primary and unique keys, secondary indexes and foreign keys as the catalog holds
/// them: a first load drops them and restores them from these definitions after the rows are in.
struct FactDefinitions {
    struct Constraint {
        var table: String, name: String, definition: String
    }

    static let tables = ["fct_orders", "fct_order_lines"]
    var keys: [Constraint] = []
    var foreignKeys: [Constraint] = []
    /// `CREATE INDEX` statements.
    var indexes: [(name: String, definition: String)] = []

    static func read(_ session: PostgresSession) async throws -> FactDefinitions {
        let list = tables.map { "'\($0)'::regclass" }.joined(separator: ", ")
        var facts = FactDefinitions()
        for row in try await session.rows("""
            SELECT conrelid::regclass::text, conname::text, contype::text, pg_get_constraintdef(oid) FROM pg_constraint
            WHERE conrelid IN (\(list)) AND contype IN ('p', 'u', 'f') ORDER BY 1, 2
            """) {
            guard let table = row[0].text, let name = row[1].text, let type = row[2].text, let definition = row[3].text else { continue }
            let constraint = Constraint(table: table, name: name, definition: definition)
            if type == "f" { facts.foreignKeys.append(constraint) } else { facts.keys.append(constraint) }
        }
        for row in try await session.rows("""
            SELECT c.relname::text, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            WHERE i.indrelid IN (\(list)) AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) ORDER BY 1
            """) {
            if let name = row[0].text, let definition = row[1].text { facts.indexes.append((name, definition)) }
        }
        return facts
    }

    /// Foreign keys first (the lines' reference the orders' key), then indexes, then keys.
    func drop(_ session: PostgresSession) async throws {
        for c in foreignKeys {
            try await session.execute("ALTER TABLE \(c.table) DROP CONSTRAINT \(c.name)")
        }
        for index in indexes { try await session.execute("DROP INDEX \(index.name)") }
        for c in keys { try await session.execute("ALTER TABLE \(c.table) DROP CONSTRAINT \(c.name)") }
    }

    /// Keys (unique ones fail on a duplicate), indexes, then foreign keys (each checked by one join).
    func restore(_ session: PostgresSession) async throws {
        for c in keys { try await session.execute("ALTER TABLE \(c.table) ADD CONSTRAINT \(c.name) \(c.definition)", step: "restoring \(c.name)") }
        for index in indexes { try await session.execute(index.definition, step: "building \(index.name)") }
        for c in foreignKeys { try await session.execute("ALTER TABLE \(c.table) ADD CONSTRAINT \(c.name) \(c.definition)", step: "checking \(c.name)") }
    }
}
