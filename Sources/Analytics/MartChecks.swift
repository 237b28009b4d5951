import Core
import Warehouse

/// Data tests of the marts that exist: every roll-up grain sums to the facts, categories sum
/// to their products, the daily summary adds up to each customer's orders and spend, and the
/// segments and the audience cover whom they should.
public enum MartChecks {
    /// The checks of the marts among `tables`, in `dialect` (the same tests in SQLite and PostgreSQL).
    public static func checks(existing tables: Set<String>, dialect d: SQLDialect = .sqlite) -> [DataCheck] {
        let factRevenue = "SELECT sum(line_total) FROM fct_order_lines WHERE \(d.isTrue("is_revenue"))"
        let factUnits = "SELECT sum(quantity) FROM fct_order_lines WHERE \(d.isTrue("is_revenue"))"
        var checks: [DataCheck] = []
        let products = SalesRollups.productTable, categories = SalesRollups.categoryTable
        if tables.contains(products), tables.contains(categories) {
            for grain in SalesRollups.grains.map(\.name) {
                for table in [products, categories] {
                    checks.append(.sumsAgree(.reconciliation, "\(table) [\(grain)] revenue = facts",
                                             "SELECT sum(revenue) FROM \(table) WHERE grain = '\(grain)'", factRevenue, dialect: d))
                    checks.append(.sumsAgree(.reconciliation, "\(table) [\(grain)] units = facts",
                                             "SELECT sum(units) FROM \(table) WHERE grain = '\(grain)'", factUnits, dialect: d))
                }
            }
            checks.append(DataCheck(.consistency, "categories = sum of their products, per grain and period", """
                SELECT count(*) FROM \(categories) c
                LEFT JOIN (SELECT p.grain, p.period_start, p.category, sum(p.revenue) AS revenue, sum(p.units) AS units
                           FROM \(products) p GROUP BY 1, 2, 3) s
                  ON s.grain = c.grain AND s.period_start = c.period_start AND s.category = c.category
                WHERE s.revenue IS NULL OR abs(s.revenue - c.revenue) > 1e-9 * \(d.greatest("1.0", "abs(c.revenue)"))
                   OR abs(s.units - c.units) > 1e-9 * \(d.greatest("1.0", "c.units"))
                """, failure: "category rows differ from the sum of their products"))
            checks.append(DataCheck(.consistency, "distinct customers <= orders", """
                SELECT (SELECT count(*) FROM \(products) WHERE customers > orders OR customers < 1)
                     + (SELECT count(*) FROM \(categories) WHERE customers > orders OR customers < 1)
                """, failure: "roll-up rows with more customers than orders, or none"))
            checks.append(.unique(products, "grain", "period_start", "product_id"))
            checks.append(.unique(categories, "grain", "period_start", "category"))
        }
        let daily = CustomerDailySummary.table
        if tables.contains(daily) {
            checks.append(.unique(daily, "customer_id", "date"))
            checks.append(.sumsAgree(.reconciliation, "\(daily) spend = facts", "SELECT sum(spend) FROM \(daily)", factRevenue, dialect: d))
            checks.append(.sumsAgree(.reconciliation, "\(daily) orders = revenue orders",
                                     "SELECT sum(orders) FROM \(daily)", "SELECT count(*) FROM fct_orders WHERE \(d.isTrue("is_revenue"))", dialect: d))
            checks.append(DataCheck(.consistency, "\(daily) running totals end at each customer's totals", """
                SELECT count(*) FROM (SELECT customer_id, max(cumulative_orders) AS o, max(cumulative_spend) AS s,
                                             sum(orders) AS so, sum(spend) AS ss FROM \(daily) GROUP BY customer_id) AS totals
                WHERE o != so OR abs(s - ss) > 1e-9 * \(d.greatest("1.0", "ss"))
                """, failure: "customers whose running totals do not add up"))
        }
        let segments = MarketingAudience.segmentsTable
        if tables.contains(segments) {
            checks.append(.sumsAgree(.reconciliation, "\(segments) covers every buyer",
                                     "SELECT count(*) FROM \(segments)",
                                     "SELECT count(DISTINCT customer_key) FROM fct_orders WHERE \(d.isTrue("is_revenue"))", dialect: d))
            checks.append(.sumsAgree(.reconciliation, "\(segments) spend = facts", "SELECT sum(total_spend) FROM \(segments)", factRevenue, dialect: d))
            if tables.contains(MarketingAudience.clustersTable) {
                checks.append(.sumsAgree(.consistency, "cluster sizes = segments",
                                         "SELECT sum(customers) FROM \(MarketingAudience.clustersTable)", "SELECT count(*) FROM \(segments)", dialect: d))
            }
        }
        let audience = MarketingAudience.audienceTable
        if tables.contains(audience) {
            checks.append(DataCheck(.notNull, "\(audience) has an email or a phone", """
                SELECT count(*) FROM \(audience) WHERE coalesce(email, '') = '' AND coalesce(phone, '') = ''
                """, failure: "audience rows without any contact"))
            checks.append(DataCheck(.foreignKey, "\(audience) customers are segmented buyers", """
                SELECT count(*) FROM \(audience) a WHERE NOT EXISTS (SELECT 1 FROM \(segments) s WHERE s.customer_id = a.customer_id AND s.cluster = a.cluster)
                """, failure: "audience rows without a matching segment"))
        }
        return checks
    }

    /// The warehouse checks and, for the marts that exist, these.
    public static func runAll(in warehouse: ShopWarehouse) throws -> [CheckResult] {
        let existing = Set(try warehouse.tableNames())
        return try DataCheck.run(WarehouseChecks.all + checks(existing: existing), in: warehouse)
    }
}
