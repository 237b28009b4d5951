import Foundation
import GRDB
import Testing
@testable import Analytics
@testable import Ingestion
@testable import Warehouse

@Suite("Marts")
struct MartTests {
    @Test func dailySummaryOfTheTinyShop() throws {
        let w = try loadedWarehouse(try tinyShop())
        let rows = try w.queue.write { db -> [Row] in
            _ = try CustomerDailySummary.build(db)
            return try Row.fetchAll(db, sql: "SELECT * FROM mart_customer_daily ORDER BY customer_id, date")
        }
        #expect(rows.count == 4)  // c2's cancelled order is not activity
        #expect(rows.map { $0["customer_id"] as String } == ["c1", "c1", "c2", "c3"])
        #expect(rows.map { $0["date"] as String } == ["2019-01-07", "2019-01-10", "2019-02-01", "2019-02-01"])
        #expect(rows.map { $0["orders"] as Int } == [2, 1, 1, 1])
        #expect(rows.map { $0["items"] as Double } == [4, 2, 3, 1])
        #expect(rows.map { $0["spend"] as Double } == [22, 18, 12, 10])
        #expect(rows.map { $0["avg_order_value"] as Double } == [11, 18, 12, 10])
        #expect(rows.map { $0["cumulative_orders"] as Int } == [2, 3, 1, 1])
        #expect(rows.map { $0["cumulative_spend"] as Double } == [22, 40, 12, 10])
        #expect(rows.map { $0["days_since_previous_order"] as Int? } == [nil, 3, nil, nil])
    }

    @Test func dailySummaryOnTheDateSpine() throws {
        let w = try loadedWarehouse(try tinyShop())
        let rows = try w.queue.write { db -> [Row] in
            _ = try CustomerDailySummary.build(db, spineThrough: "2019-02-28")
            return try Row.fetchAll(db, sql: "SELECT * FROM mart_customer_daily WHERE customer_id = 'c1' ORDER BY date")
        }
        #expect(rows.count == 53)  // 7 January to 28 February
        #expect(rows[1]["date"] as String == "2019-01-08" && rows[1]["orders"] as Int == 0 && rows[1]["avg_order_value"] as Double? == nil)
        #expect(rows.map { $0["days_since_previous_order"] as Int? }.prefix(5) == [nil, 1, 2, 3, 1])  // 7, 8, 9, 10 (an order), 11 January
        #expect(rows.last!["cumulative_spend"] as Double == 40 && rows.last!["days_since_previous_order"] as Int == 49)
    }

    @Test func salesRollupsOfTheTinyShop() throws {
        let w = try loadedWarehouse(try tinyShop())
        try w.queue.write { db in _ = try SalesRollups.build(db) }
        func rows(_ sql: String) throws -> [String] {
            try w.queue.read { db in
                try Row.fetchAll(db, sql: sql).map { r in r.databaseValues.map(text).joined(separator: " ") }
            }
        }
        #expect(try rows("SELECT period, period_start, category, orders, units, revenue, customers FROM mart_sales_by_category WHERE grain = 'month' ORDER BY 2, 3")
                == ["2019-01 2019-01-01 Food 2 3.0 12.0 1", "2019-01 2019-01-01 Home 2 3.0 28.0 1",
                    "2019-02 2019-02-01 Food 1 3.0 12.0 1", "2019-02 2019-02-01 Home 1 1.0 10.0 1"])
        #expect(try rows("SELECT period, period_start, category, revenue FROM mart_sales_by_category WHERE grain = 'week' ORDER BY 2, 3")
                == ["2019-W02 2019-01-07 Food 12.0", "2019-W02 2019-01-07 Home 28.0",
                    "2019-W05 2019-01-28 Food 12.0", "2019-W05 2019-01-28 Home 10.0"])
        #expect(try rows("SELECT period, category, orders, revenue, customers FROM mart_sales_by_category WHERE grain = 'year' ORDER BY 2")
                == ["2019 Food 3 24.0 2", "2019 Home 3 38.0 2"])
        #expect(try rows("SELECT product_id, orders, units, revenue FROM mart_sales_by_product WHERE grain = 'day' AND period = '2019-01-07' ORDER BY 1")
                == ["p1 2 3.0 12.0", "p2 1 1.0 10.0"])
    }

    /// Rows that differ between two snapshots (doubles within 1e-9 relative, the rest exactly),
    /// the first few recorded as issues.
    func differingRows(_ sql: [[DatabaseValue]], _ swift: [[DatabaseValue]]) -> Int {
        var differences = 0
        for (a, b) in zip(sql, swift) where a.count != b.count || zip(a, b).contains(where: { x, y in
            if case .double(let u) = x.storage, case .double(let v) = y.storage { return abs(u - v) > 1e-9 * max(1, abs(u)) }
            return x != y
        }) {
            differences += 1
            if differences <= 3 { Issue.record("SQL \(a) vs Swift \(b)") }
        }
        return differences
    }

    /// The columnar pass against the SQL definition, table by table and row by row, on a
    /// generated shop (with its cancelled orders and defects) and on the tiny one.
    @Test(arguments: [true, false])
    func columnarRollupsEqualTheSQLDefinition(generated: Bool) throws {
        let w = try loadedWarehouse(generated ? try generatedShop() : try tinyShop(), caller: "rollups-\(generated)")
        func snapshot(_ db: Database) throws -> [[DatabaseValue]] {
            try [SalesRollups.productTable, SalesRollups.categoryTable].flatMap { table in
                try Row.fetchAll(db, sql: "SELECT '\(table)', * FROM \(table) ORDER BY grain, period_start, 4").map { Array($0.databaseValues) }
            }
        }
        let (sql, sqlCounts) = try w.queue.write { db in let c = try SalesRollups.buildInSQL(db); return (try snapshot(db), c) }
        let (swift, swiftCounts) = try w.queue.write { db in let c = try SalesRollups.build(db); return (try snapshot(db), c) }
        #expect(sqlCounts == swiftCounts && sql.count == swift.count && sql.count > (generated ? 1_000 : 10))
        #expect(differingRows(sql, swift) == 0)
        let checks = try DataCheck.run(MartChecks.checks(existing: Set(try w.tableNames())), in: w)
        let failed = checks.filter { !$0.passed }
        #expect(!checks.isEmpty && failed.isEmpty, "\(failed)")
    }

    /// The columnar daily summary against its SQL definition, row by row.
    @Test(arguments: [true, false])
    func columnarDailySummaryEqualsTheSQLDefinition(generated: Bool) throws {
        let w = try loadedWarehouse(generated ? try generatedShop() : try tinyShop(), caller: "daily-\(generated)")
        func snapshot(_ db: Database) throws -> [[DatabaseValue]] {
            try Row.fetchAll(db, sql: "SELECT * FROM mart_customer_daily ORDER BY customer_id, date").map { Array($0.databaseValues) }
        }
        let (sql, sqlCount) = try w.queue.write { db in let n = try CustomerDailySummary.buildInSQL(db); return (try snapshot(db), n) }
        let (swift, swiftCount) = try w.queue.write { db in let n = try CustomerDailySummary.build(db); return (try snapshot(db), n) }
        #expect(sqlCount == swiftCount && sql.count == swift.count && sql.count > (generated ? 1_000 : 3))
        #expect(differingRows(sql, swift) == 0)
    }

    @Test func audienceOfTheTinyShop() throws {
        let w = try loadedWarehouse(try tinyShop())
        var options = MarketingAudience.Options()
        options.includePII = true
        options.clusters = 2
        let summary = try w.queue.write { db in try MarketingAudience.build(db, options: options) }
        #expect(summary.customers == 4 && summary.buyers == 3 && summary.withoutPurchase == 1)
        #expect(summary.droppedWithoutContact == 1 && summary.audienceRows == 2)
        #expect(summary.asOf == "2019-02-01" && summary.categories == ["Food", "Home"] && summary.k == 2)
        let audience = try w.queue.read { db in try Row.fetchAll(db, sql: "SELECT * FROM mart_marketing_audience ORDER BY customer_id") }
        #expect(audience.map { $0["customer_id"] as String } == ["c1", "c2"])
        let ann = audience[0], bob = audience[1]
        #expect(ann["time_zone"] as String == "America/Chicago" && ann["time_zone_predominant"] as Int == 1)
        #expect((ann["time_zone_note"] as String).contains("TX spans two zones"))
        #expect(bob["time_zone"] as String == "America/New_York" && bob["time_zone_note"] as String? == nil)
        #expect(ann["orders"] as Int == 3 && ann["total_spend"] as Double == 40 && ann["last_purchase"] as String == "2019-01-10 09:00:00")
        #expect(ann["spend_food"] as Double == 12 && ann["spend_home"] as Double == 28 && ann["orders_food"] as Int == 2 && ann["orders_home"] as Int == 2)
        #expect(ann["favourite_category"] as String == "Home" && bob["favourite_category"] as String == "Food")
        // Clusters are numbered by mean spend: Ann, the biggest spender, is in cluster 1.
        #expect(ann["cluster"] as Int == 1)
        let segments = try w.queue.read { db in try Row.fetchAll(db, sql: "SELECT customer_id, recency_days FROM mart_customer_segments ORDER BY 1") }
        #expect(segments.map { $0[1] as Int } == [22, 0, 0])
        #expect(summary.clusters.map(\.customers).reduce(0, +) == 3)
    }

    @Test func personalDataStaysInTheAudience() throws {
        let w = try loadedWarehouse(try generatedShop())
        var options = Marts.Options()
        options.audience.clusters = 3
        _ = try Marts.build(w, options: options)
        let tables = Set(try w.tableNames())
        #expect(!tables.contains(MarketingAudience.audienceTable))  // not without --include-pii
        for mart in Marts.all where !mart.containsPersonalData {
            let columns = Set(try w.columns(of: mart.table))
            #expect(columns.isDisjoint(with: WarehouseSchema.personalColumns), "\(mart.table): \(columns.intersection(WarehouseSchema.personalColumns))")
        }
        options.audience.includePII = true
        _ = try Marts.build(w, options: options)
        let audience = Set(try w.columns(of: MarketingAudience.audienceTable))
        #expect(audience.isSuperset(of: ["name", "email", "phone", "state", "time_zone"]))
        #expect(!audience.contains("street") && !audience.contains("zip"))
        options.audience.includePII = false
        _ = try Marts.build(w, options: options)
        #expect(!(try w.tableNames()).contains(MarketingAudience.audienceTable))  // a rebuild without PII drops it
    }

    @Test func martsOfAGeneratedShopReconcileWithTheFacts() throws {
        let w = try loadedWarehouse(try generatedShop())
        var options = Marts.Options()
        options.audience.includePII = true
        let summary = try Marts.build(w, options: options)
        let results = try MartChecks.runAll(in: w)
        #expect(results.count > 50)
        #expect(results.filter { !$0.passed }.isEmpty, "\(results.filter { !$0.passed })")
        #expect(summary.audience.chosenBy == "silhouette" && (2...8).contains(summary.audience.k))
        #expect(summary.audience.silhouettes.count == 7)
        #expect(summary.audience.droppedWithoutContact > 0)  // the generator leaves some without email and phone
        #expect(summary.audience.withoutTimeZone > 0)         // and some without a (valid) state

        // A broken roll-up is caught.
        try w.queue.write { db in try db.execute(sql: "UPDATE mart_sales_by_category SET revenue = revenue + 5 WHERE (grain, period_start, category) = (SELECT grain, period_start, category FROM mart_sales_by_category WHERE grain = 'month' LIMIT 1)") }
        let failed = try MartChecks.runAll(in: w).filter { !$0.passed }.map(\.name)
        #expect(failed.contains("mart_sales_by_category [month] revenue = facts"))
        #expect(failed.contains("categories = sum of their products, per grain and period"))
    }

    @Test func martsAreDeterministic() throws {
        let dir = try generatedShop()
        let a = try loadedWarehouse(dir, caller: "a"), b = try loadedWarehouse(dir, caller: "b")
        var options = Marts.Options()
        options.audience.includePII = true
        _ = try Marts.build(a, options: options)
        _ = try Marts.build(b, options: options)
        let tables = Marts.all.map(\.table)
        #expect(try TableChecksum.all(in: a, tables: tables) == TableChecksum.all(in: b, tables: tables))
    }
}

/// A value as text: integers and reals as Swift prints them, NULL as "-".
func text(_ v: DatabaseValue) -> String {
    switch v.storage {
    case .null: return "-"
    case .int64(let i): return "\(i)"
    case .double(let d): return "\(d)"
    case .string(let s): return s
    case .blob(let b): return "\(b.count) bytes"
    }
}
