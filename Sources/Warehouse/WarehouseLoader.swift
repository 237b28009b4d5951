import Core
import Foundation
import GRDB
import Ingestion

/// What one load did to one table.
public struct TableLoad: Codable, Sendable, Equatable {
    public var table: String
    /// Rows in the load's input for this table.
    public var staged: Int
    public var inserted: Int
    /// Rows whose business key existed with different values.
    public var updated: Int
    /// Rows whose business key existed with the same values (left untouched).
    public var unchanged: Int
    /// Order lines removed because their order was loaded again without them.
    public var deleted: Int = 0
    /// Rows in the table after the load.
    public var total: Int

    public init(table: String, staged: Int, inserted: Int, updated: Int, unchanged: Int, deleted: Int = 0, total: Int) {
        self.table = table; self.staged = staged; self.inserted = inserted; self.updated = updated
        self.unchanged = unchanged; self.deleted = deleted; self.total = total
    }
}

/// The outcome of ``WarehouseLoader/load(_:)``.
public struct LoadSummary: Codable, Sendable, Equatable {
    public var source: String
    public var layout: String
    public var tables: [TableLoad]
    /// Days added to the date spine.
    public var datesAdded: Int
    /// Staged orders whose status keeps them out of revenue.
    public var excludedOrders: Int
    /// Revenue of the staged lines (orders not excluded).
    public var stagedRevenue: Double
    public var seconds: Double

    public init(source: String, layout: String, tables: [TableLoad], datesAdded: Int, excludedOrders: Int, stagedRevenue: Double,
                seconds: Double) {
        self.source = source; self.layout = layout; self.tables = tables; self.datesAdded = datesAdded
        self.excludedOrders = excludedOrders; self.stagedRevenue = stagedRevenue; self.seconds = seconds
    }

    /// True when the load inserted, updated or deleted nothing.
    public var changedNothing: Bool { tables.allSatisfy { $0.inserted == 0 && $0.updated == 0 && $0.deleted == 0 } && datesAdded == 0 }
}

/// Loads checked shop tables into the warehouse: the staging tables are replaced by the
/// input, then the dimensions and facts are upserted from them on their business keys.
///
/// - One transaction: if any step fails, the database is left exactly as it was.
/// - Idempotent: loading the same input again changes no dimension or fact row (an upsert
///   only writes a row whose values differ), so the table checksums stay the same.
/// - Incremental: a later day's files add their new rows and update changed ones. Rows absent
///   from a later input are kept (inputs may be deltas), except the lines of an order that is
///   loaded again: an order's lines are replaced as a whole.
/// - Once the marts have been built, each load logs the orders it changed (``MartChangeLog``),
///   so that the next mart build updates only what those orders touch.
public struct WarehouseLoader {
    public let warehouse: ShopWarehouse
    /// Called with a short line before each step of a long load.
    public var progress: (@Sendable (String) -> Void)?
    /// For tests of the rollback: a step name after which the load throws.
    var failAfterStep: String?

    public init(warehouse: ShopWarehouse, progress: (@Sendable (String) -> Void)? = nil) {
        self.warehouse = warehouse
        self.progress = progress
    }

    public func load(_ shop: ShopTables) throws -> LoadSummary {
        let start = Date()
        var step = "begin"
        do {
            return try warehouse.queue.write { db -> LoadSummary in
                func mark(_ name: String, _ message: String) throws {
                    if let failAfterStep, failAfterStep == step {
                        throw WarehouseError.loadFailed(step: step, message: "injected failure")
                    }
                    step = name
                    progress?(message)
                }
                try mark("staging", "staging \(shop.customers.count) customers, \(shop.products.count) products, \(shop.orders.count) orders, \(shop.lines.count) order lines")
                let staged = try Staging.replace(db, with: shop)
                // Before the upserts: the orders this load may change, as the marts saw them.
                let capture = try MartChangeLog.capture(db, stagedOrders: shop.orders.count)
                // A first load: the facts' secondary indexes are built after the rows, one sort
                // each, instead of a B-tree insert per row (the unique keys stay: the upserts need them).
                let firstLoad = try !(Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM fct_orders) OR EXISTS (SELECT 1 FROM fct_order_lines)") ?? true)
                if firstLoad {
                    for index in WarehouseSchema.factIndexes { try db.execute(sql: "DROP INDEX IF EXISTS \(index.name)") }
                }
                try mark("dim_customer", "upserting dim_customer")
                var tables: [TableLoad] = []
                tables.append(try upsert(db, table: "dim_customer", key: ["customer_id"], staged: shop.customers.count, sql: """
                    INSERT INTO dim_customer(customer_id, name, email, phone, street, city, state, zip, signup_date)
                    SELECT customer_id, name, email, phone, street, city, state, zip, signup_date FROM stg_customers WHERE true ORDER BY rowid
                    """, columns: ["name", "email", "phone", "street", "city", "state", "zip", "signup_date"]))
                try mark("dim_product", "upserting dim_product")
                tables.append(try upsert(db, table: "dim_product", key: ["product_id"], staged: shop.products.count, sql: """
                    INSERT INTO dim_product(product_id, name, category, list_price, availability)
                    SELECT product_id, name, category, list_price, availability FROM stg_products WHERE true ORDER BY rowid
                    """, columns: ["name", "category", "list_price", "availability"]))
                try mark("dim_date", "extending dim_date")
                var datesAdded = 0
                if let range = try dayRange(db) { datesAdded = try DateDimension.extend(db, to: range) }
                try mark("fct_orders", "upserting fct_orders")
                tables.append(try upsert(db, table: "fct_orders", key: ["order_id"], staged: shop.orders.count, sql: """
                    INSERT INTO fct_orders(order_id, customer_key, date_key, ordered_at, status, is_revenue, line_count, units, order_total)
                    SELECT s.order_id, c.customer_key, s.date_key, s.ordered_at, s.status, s.is_revenue, s.line_count, s.units, s.order_total
                    FROM stg_orders s JOIN dim_customer c ON c.customer_id = s.customer_id WHERE true ORDER BY s.rowid
                    """, columns: ["customer_key", "date_key", "ordered_at", "status", "is_revenue", "line_count", "units", "order_total"]))
                try mark("fct_order_lines", "upserting fct_order_lines")
                tables.append(try upsertLines(db, staged: shop.lines.count))
                if firstLoad {
                    try mark("indexes", "building the facts' indexes")
                    for index in WarehouseSchema.factIndexes { try db.execute(sql: index.sql) }
                }
                if let capture {
                    try mark("mart changes", "logging the changed orders for the marts")
                    try capture.finish(db)
                }
                try mark("done", "committing")
                return LoadSummary(source: shop.source, layout: shop.layout, tables: tables, datesAdded: datesAdded,
                                   excludedOrders: staged.excludedOrders, stagedRevenue: staged.revenue,
                                   seconds: Date().timeIntervalSince(start))
            }
        } catch let error as DatabaseError {
            throw WarehouseError.loadFailed(step: step, message: error.message ?? "\(error)")
        }
    }

    /// Runs an `INSERT ... SELECT ... WHERE true` as an upsert on `key` that writes only rows
    /// whose `columns` differ, and counts what it did.
    private func upsert(_ db: Database, table: String, key: [String], staged: Int, sql: String, columns: [String]) throws -> TableLoad {
        let before = try count(db, table)
        let current = "(" + columns.map { "\(table).\($0)" }.joined(separator: ", ") + ")"
        let incoming = "(" + columns.map { "excluded.\($0)" }.joined(separator: ", ") + ")"
        try db.execute(sql: sql + """

            ON CONFLICT(\(key.joined(separator: ", "))) DO UPDATE SET \(columns.map { "\($0) = excluded.\($0)" }.joined(separator: ", "))
            WHERE \(current) IS NOT \(incoming)
            """)
        let written = db.changesCount
        let after = try count(db, table)
        let inserted = after - before
        return TableLoad(table: table, staged: staged, inserted: inserted, updated: written - inserted,
                         unchanged: staged - written, total: after)
    }

    /// The lines: resolved to surrogate keys once, then the stale lines of reloaded orders are
    /// deleted and the rest upserted.
    private func upsertLines(_ db: Database, staged: Int) throws -> TableLoad {
        try db.execute(sql: """
            DROP TABLE IF EXISTS temp.load_lines;
            CREATE TEMP TABLE load_lines AS
            SELECT f.order_key, p.product_key, f.customer_key, f.date_key, f.ordered_at, f.status, f.is_revenue,
                   l.quantity, l.unit_price, l.line_total
            FROM stg_order_lines l JOIN fct_orders f ON f.order_id = l.order_id JOIN dim_product p ON p.product_id = l.product_id
            ORDER BY l.rowid;
            """)
        var deleted = 0
        let reloaded = try Int.fetchOne(db, sql: """
            SELECT count(*) FROM fct_order_lines WHERE order_key IN (SELECT f.order_key FROM stg_orders s JOIN fct_orders f ON f.order_id = s.order_id)
            """) ?? 0
        if reloaded > 0 {
            try db.execute(sql: """
                CREATE INDEX temp.load_lines_key ON load_lines(order_key, product_key);
                DELETE FROM fct_order_lines
                WHERE order_key IN (SELECT f.order_key FROM stg_orders s JOIN fct_orders f ON f.order_id = s.order_id)
                  AND NOT EXISTS (SELECT 1 FROM load_lines n WHERE n.order_key = fct_order_lines.order_key
                                  AND n.product_key = fct_order_lines.product_key);
                """)
            deleted = db.changesCount
        }
        var load = try upsert(db, table: "fct_order_lines", key: ["order_key", "product_key"], staged: staged, sql: """
            INSERT INTO fct_order_lines(order_key, product_key, customer_key, date_key, ordered_at, status, is_revenue,
                                        quantity, unit_price, line_total)
            SELECT order_key, product_key, customer_key, date_key, ordered_at, status, is_revenue, quantity, unit_price, line_total
            FROM load_lines WHERE true ORDER BY rowid
            """, columns: ["customer_key", "date_key", "ordered_at", "status", "is_revenue", "quantity", "unit_price", "line_total"])
        try db.execute(sql: "DROP TABLE temp.load_lines")
        load.deleted = deleted
        return load
    }

    /// The first and last day of the facts and the staged orders, widened to whole months.
    private func dayRange(_ db: Database) throws -> ClosedRange<Int>? {
        let row = try Row.fetchOne(db, sql: """
            SELECT min(k), max(k) FROM (SELECT min(date_key) AS k FROM stg_orders UNION ALL SELECT max(date_key) FROM stg_orders
                                        UNION ALL SELECT min(date_key) FROM fct_orders UNION ALL SELECT max(date_key) FROM fct_orders)
            """)
        guard let lo: Int = row?[0], let hi: Int = row?[1] else { return nil }
        return DateDimension.monthsCovering(minKey: lo, maxKey: hi)
    }

    private func count(_ db: Database, _ table: String) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0
    }
}
