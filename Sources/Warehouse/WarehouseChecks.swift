import Core
import GRDB

/// The warehouse's data tests: keys unique and not null, foreign keys, reconciliation of the
/// last load's staging rows with the facts (row counts and revenue), and the facts' own
/// consistency (order totals, lines agreeing with their order, a gap-free date spine).
///
/// The checks are written for a ``SQLDialect``: the same tests run in SQLite and PostgreSQL.
public enum WarehouseChecks {
    /// The checks in SQLite.
    public static let all: [DataCheck] = checks(.sqlite)

    /// The checks in `dialect`. PostgreSQL enforces the declared foreign keys on every write,
    /// so SQLite's `PRAGMA foreign_key_check` has no counterpart there.
    public static func checks(_ dialect: SQLDialect) -> [DataCheck] {
        keys + foreignKeys(dialect) + reconciliation(dialect) + consistency(dialect)
    }

    static let keys: [DataCheck] = [
        .unique("dim_customer", "customer_id"), .notNull("dim_customer", "customer_id"),
        .unique("dim_product", "product_id"), .notNull("dim_product", "product_id", "category"),
        .unique("dim_date", "date"), .notNull("dim_date", "date", "year", "month", "iso_week", "week_start"),
        .unique("fct_orders", "order_id"),
        .notNull("fct_orders", "order_id", "customer_key", "date_key", "ordered_at", "status", "is_revenue", "order_total"),
        .unique("fct_order_lines", "order_key", "product_key"),
        .notNull("fct_order_lines", "order_key", "product_key", "customer_key", "date_key", "quantity", "unit_price", "line_total"),
        .unique("stg_customers", "customer_id"), .unique("stg_orders", "order_id"),
        .unique("stg_order_lines", "order_id", "product_id"),
    ]

    static func foreignKeys(_ d: SQLDialect) -> [DataCheck] {
        var checks: [DataCheck] = [
            .foreignKey("fct_orders", "customer_key", "dim_customer", "customer_key"),
            .foreignKey("fct_orders", "date_key", "dim_date", "date_key"),
            .foreignKey("fct_order_lines", "order_key", "fct_orders", "order_key"),
            .foreignKey("fct_order_lines", "product_key", "dim_product", "product_key"),
            .foreignKey("fct_order_lines", "customer_key", "dim_customer", "customer_key"),
            .foreignKey("fct_order_lines", "date_key", "dim_date", "date_key"),
        ]
        if d == .sqlite {
            checks.append(DataCheck(.foreignKey, "PRAGMA foreign_key_check", "SELECT count(*) FROM pragma_foreign_key_check",
                                    failure: "rows break a declared foreign key"))
        }
        return checks
    }

    /// The staged rows (the last load's input) against the facts.
    static func reconciliation(_ d: SQLDialect) -> [DataCheck] { [
        .foreignKey("stg_customers", "customer_id", "dim_customer", "customer_id"),
        .foreignKey("stg_products", "product_id", "dim_product", "product_id"),
        .foreignKey("stg_orders", "order_id", "fct_orders", "order_id"),
        .sumsAgree(.reconciliation, "staged order lines = fact lines of the staged orders",
                   "SELECT count(*) FROM stg_order_lines",
                   "SELECT count(*) FROM fct_order_lines l JOIN fct_orders f ON f.order_key = l.order_key JOIN stg_orders s ON s.order_id = f.order_id", dialect: d),
        .sumsAgree(.reconciliation, "staged revenue = fact revenue of the staged orders",
                   "SELECT sum(line_total) FROM stg_order_lines WHERE \(d.isTrue("is_revenue"))",
                   "SELECT sum(l.line_total) FROM fct_order_lines l JOIN fct_orders f ON f.order_key = l.order_key JOIN stg_orders s ON s.order_id = f.order_id WHERE \(d.isTrue("l.is_revenue"))", dialect: d),
        .sumsAgree(.reconciliation, "staged units = fact units of the staged orders",
                   "SELECT sum(quantity) FROM stg_order_lines",
                   "SELECT sum(l.quantity) FROM fct_order_lines l JOIN fct_orders f ON f.order_key = l.order_key JOIN stg_orders s ON s.order_id = f.order_id", dialect: d),
        .sumsAgree(.reconciliation, "fact revenue = sum of revenue order totals",
                   "SELECT sum(line_total) FROM fct_order_lines WHERE \(d.isTrue("is_revenue"))",
                   "SELECT sum(order_total) FROM fct_orders WHERE \(d.isTrue("is_revenue"))", dialect: d),
    ] }

    static func consistency(_ d: SQLDialect) -> [DataCheck] { [
        DataCheck(.consistency, "order totals = sum of their lines", """
            SELECT count(*) FROM fct_orders f
            LEFT JOIN (SELECT order_key, count(*) AS n, sum(quantity) AS u, sum(line_total) AS t FROM fct_order_lines GROUP BY order_key) l
              ON l.order_key = f.order_key
            WHERE coalesce(l.n, 0) != f.line_count OR abs(coalesce(l.u, 0) - f.units) > 1e-9 * \(d.greatest("1.0", "f.units"))
               OR abs(coalesce(l.t, 0) - f.order_total) > 1e-9 * \(d.greatest("1.0", "abs(f.order_total)"))
            """, failure: "orders whose line count, units or total differ from their lines"),
        DataCheck(.consistency, "lines agree with their order", """
            SELECT count(*) FROM fct_order_lines l JOIN fct_orders f ON f.order_key = l.order_key
            WHERE l.customer_key != f.customer_key OR l.date_key != f.date_key OR l.ordered_at != f.ordered_at
               OR l.status != f.status OR l.is_revenue != f.is_revenue
            """, failure: "lines whose customer, day, time or status differ from their order's"),
        DataCheck(.consistency, "line_total = quantity x unit_price", """
            SELECT count(*) FROM fct_order_lines WHERE abs(line_total - quantity * unit_price) > 1e-9 * \(d.greatest("1.0", "abs(line_total)"))
            """, failure: "lines whose total is not quantity x unit price"),
        DataCheck(.consistency, "date spine has no gaps", """
            SELECT coalesce(\(d.daysBetween("max(date)", "min(date)")) + 1 - count(*), 0) FROM dim_date
            """, failure: "days missing from dim_date between its first and last day"),
        DataCheck(.consistency, "facts are not empty", "SELECT CASE WHEN EXISTS (SELECT 1 FROM fct_orders) THEN 0 ELSE 1 END",
                  failure: "fct_orders has no rows: nothing was loaded"),
    ] }
}
