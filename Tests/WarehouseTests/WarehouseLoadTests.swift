import Core
import Foundation
import GRDB
import Testing
@testable import Ingestion
@testable import Warehouse

@Suite("Warehouse loads")
struct WarehouseLoadTests {
    @Test func generatedShopLoadsAndPassesEveryCheck() throws {
        let dir = try generatedShop()
        let shop = try readShop(dir)
        for t in shop.tableQuality { #expect(t.rowsRead == t.rowsAccepted + t.rowsRejected, "\(t.table)") }
        #expect(shop.tableQuality.contains { $0.rowsRejected > 0 })  // the generator's defects were found
        let w = try ShopWarehouse(path: temporaryDirectory() + "/w.sqlite")
        let summary = try WarehouseLoader(warehouse: w).load(shop)
        #expect(summary.tables.map(\.inserted) == [shop.customers.count, shop.products.count, shop.orders.count, shop.lines.count])
        #expect(try w.count("fct_orders") == shop.orders.count && w.count("fct_order_lines") == shop.lines.count)
        let failed = try DataCheck.run(WarehouseChecks.all, in: w).filter { !$0.passed }
        #expect(failed.isEmpty, "\(failed)")

        // Cancelled orders stay in the facts with their status, out of revenue; the revenue
        // equals the forecasting log's amounts.
        let cancelled = try scalar(w, "SELECT count(*) FROM fct_orders WHERE status = 'cancelled'")
        #expect(cancelled > 0 && cancelled == Double(summary.excludedOrders))
        #expect(try scalar(w, "SELECT count(*) FROM fct_orders WHERE status = 'cancelled' AND is_revenue = 1") == 0)
        let log = shop.ingestResult(rules: asOf2019).log
        let revenue = try scalar(w, "SELECT sum(line_total) FROM fct_order_lines WHERE is_revenue = 1")
        #expect(abs(revenue - log.amount.reduce(0, +)) < 1e-6 * revenue)
        #expect(try scalar(w, "SELECT count(*) FROM fct_order_lines WHERE is_revenue = 1") == Double(log.rowCount))
    }

    @Test func loadingTheSameInputAgainChangesNothing() throws {
        let shop = try readShop(try generatedShop())
        let w = try ShopWarehouse(path: temporaryDirectory() + "/w.sqlite")
        let loader = WarehouseLoader(warehouse: w)
        _ = try loader.load(shop)
        let before = try TableChecksum.all(in: w)
        let again = try loader.load(shop)
        #expect(again.changedNothing)
        #expect(again.tables.allSatisfy { $0.unchanged == $0.staged })
        #expect(try TableChecksum.all(in: w) == before)
        #expect(before.keys.sorted() == ["dim_customer", "dim_date", "dim_product", "fct_order_lines", "fct_orders"])
    }

    /// Day 1 holds the orders before July 2019, day 2 everything: loading day 1 then day 2
    /// adds only the new rows and ends where a single load of day 2 ends.
    @Test func aLaterDayAddsOnlyWhatIsNew() throws {
        let full = try generatedShop(clean: true)
        let day1 = temporaryDirectory("day1")
        let orders = try csvLines(full + "/orders.csv")
        let early = [orders[0]] + orders.dropFirst().filter { $0.split(separator: ",")[2] < "2019-07-01" }
        let earlyIDs = Set(early.dropFirst().map { String($0.split(separator: ",")[0]) })
        let items = try csvLines(full + "/items.csv")
        try writeLines(early, to: day1 + "/orders.csv")
        try writeLines([items[0]] + items.dropFirst().filter { earlyIDs.contains(String($0.split(separator: ",")[0])) }, to: day1 + "/items.csv")
        for f in ["customers.csv", "products.csv"] { try FileManager.default.copyItem(atPath: full + "/" + f, toPath: day1 + "/" + f) }

        let incremental = try ShopWarehouse(path: temporaryDirectory() + "/inc.sqlite")
        let first = try WarehouseLoader(warehouse: incremental).load(try readShop(day1))
        let fullShop = try readShop(full)
        let second = try WarehouseLoader(warehouse: incremental).load(fullShop)
        let orderLoad = second.tables.first { $0.table == "fct_orders" }!
        #expect(orderLoad.inserted == fullShop.orders.count - first.tables[2].staged)
        #expect(orderLoad.updated == 0 && orderLoad.unchanged == first.tables[2].staged)
        #expect(second.tables[0].inserted == 0 && second.tables[0].updated == 0)

        let single = try ShopWarehouse(path: temporaryDirectory() + "/single.sqlite")
        _ = try WarehouseLoader(warehouse: single).load(fullShop)
        #expect(try TableChecksum.all(in: incremental) == TableChecksum.all(in: single))
        #expect(try DataCheck.run(WarehouseChecks.all, in: incremental).allSatisfy(\.passed))
    }

    @Test func changedRowsAreUpdatedAndAReloadedOrderLosesItsDroppedLines() throws {
        let dir = try generatedShop(clean: true)
        let w = try ShopWarehouse(path: temporaryDirectory() + "/w.sqlite")
        _ = try WarehouseLoader(warehouse: w).load(try readShop(dir))
        // Customer 1 changes email; the first order with two lines loses one.
        var customers = try csvLines(dir + "/customers.csv")
        var fields = customers[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        fields[2] = "new.address@example.net"
        customers[1] = fields.joined(separator: ",")
        try writeLines(customers, to: dir + "/customers.csv")
        let items = try csvLines(dir + "/items.csv")
        let orderOf = items.map { String($0.split(separator: ",")[0]) }
        let index = (2..<items.count).first { orderOf[$0] == orderOf[$0 - 1] }!
        try writeLines(Array(items[..<index] + items[(index + 1)...]), to: dir + "/items.csv")

        let summary = try WarehouseLoader(warehouse: w).load(try readShop(dir))
        #expect(summary.tables[0].updated == 1 && summary.tables[0].inserted == 0)
        let lines = summary.tables.first { $0.table == "fct_order_lines" }!
        #expect(lines.deleted == 1 && lines.inserted == 0)
        #expect(summary.tables.first { $0.table == "fct_orders" }!.updated == 1)  // its line count and total changed
        #expect(try scalar(w, "SELECT count(*) FROM dim_customer WHERE email = 'new.address@example.net'") == 1)
        #expect(try DataCheck.run(WarehouseChecks.all, in: w).allSatisfy(\.passed))
    }

    @Test func aFailedLoadLeavesTheDatabaseAsItWas() throws {
        let shop = try readShop(try generatedShop())
        let w = try ShopWarehouse(path: temporaryDirectory() + "/w.sqlite")
        _ = try WarehouseLoader(warehouse: w).load(shop)
        let tables = try w.tableNames()
        let before = try TableChecksum.all(in: w, tables: tables)
        var modified = shop
        modified.orders.status = modified.orders.status.map { $0 == "completed" ? "shipped" : $0 }
        for step in ["staging", "dim_customer", "fct_orders", "fct_order_lines"] {
            var loader = WarehouseLoader(warehouse: w)
            loader.failAfterStep = step
            #expect(throws: WarehouseError.self) { try loader.load(modified) }
            #expect(try TableChecksum.all(in: w, tables: tables) == before, "after a failure in \(step)")
        }
        #expect(try WarehouseLoader(warehouse: w).load(modified).tables[2].updated > 0)  // and without the failure it changes
    }

    @Test func checksFindBrokenKeysTotalsAndReferences() throws {
        let w = try ShopWarehouse(path: temporaryDirectory() + "/w.sqlite")
        _ = try WarehouseLoader(warehouse: w).load(try readShop(try generatedShop()))
        try w.queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: "UPDATE fct_orders SET order_total = order_total + 1 WHERE order_key = 1")
            try db.execute(sql: "DELETE FROM dim_product WHERE product_key = (SELECT product_key FROM fct_order_lines LIMIT 1)")
            try db.execute(sql: "DELETE FROM dim_date WHERE date_key = (SELECT max(date_key) FROM dim_date) - 1")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        let failed = Set(try DataCheck.run(WarehouseChecks.all, in: w).filter { !$0.passed }.map(\.name))
        #expect(failed.contains("order totals = sum of their lines"))
        #expect(failed.contains("fct_order_lines.product_key -> dim_product.product_key"))
        #expect(failed.contains("stg_products.product_id -> dim_product.product_id"))
        #expect(failed.contains("date spine has no gaps"))
        #expect(failed.contains("PRAGMA foreign_key_check"))
        #expect(!failed.contains("staged revenue = fact revenue of the staged orders"))
    }

    @Test func emptyWarehouseFailsTheNotEmptyCheck() throws {
        let w = try ShopWarehouse(path: temporaryDirectory() + "/w.sqlite")
        let results = try DataCheck.run(WarehouseChecks.all, in: w)
        #expect(results.filter { !$0.passed }.map(\.name) == ["facts are not empty"])
        #expect(throws: WarehouseError.noDatabase(path: "/nonexistent/w.sqlite")) { try ShopWarehouse(path: "/nonexistent/w.sqlite", create: false) }
    }

    /// A warehouse made before migrations were recorded (the tables, no `grdb_migrations`) opens:
    /// the migrations apply to it without touching its rows, and are recorded once.
    @Test func aWarehouseFromBeforeMigrationsOpensAndKeepsItsRows() throws {
        let path = temporaryDirectory() + "/old.sqlite"
        let old = try DatabaseQueue(path: path)
        try old.write { db in
            for sql in WarehouseSchema.version1 { try db.execute(sql: sql) }
            try db.execute(sql: "INSERT INTO dim_product(product_id, category) VALUES ('p1', 'Food')")
        }
        try old.close()
        let w = try ShopWarehouse(path: path, create: false)
        #expect(try w.database.appliedMigrations(WarehouseSchema.migrator) == ["warehouse-v1", "warehouse-v2"])
        #expect(try w.count("dim_product") == 1)
        #expect(try !w.tableNames().contains("grdb_migrations"))  // bookkeeping, not data
        let again = try ShopWarehouse(path: path, create: false)
        #expect(try again.database.appliedMigrations(WarehouseSchema.migrator) == ["warehouse-v1", "warehouse-v2"])
        #expect(try scalar(again, "SELECT count(*) FROM grdb_migrations") == 2)
    }

    @Test func isoWeeksAndTimestamps() {
        func week(_ y: Int, _ m: Int, _ d: Int) -> String {
            let w = DateDimension.isoWeek(dayNumber: CivilDate(year: y, month: m, day: d).dayNumber)
            return "\(w.year)-W\(w.week)"
        }
        #expect(week(2019, 12, 30) == "2020-W1")
        #expect(week(2021, 1, 3) == "2020-W53")
        #expect(week(2018, 1, 1) == "2018-W1")
        #expect(week(2016, 1, 3) == "2015-W53")
        #expect(week(2019, 6, 15) == "2019-W24")
        #expect(sqlTimestamp(seconds: 0) == "1970-01-01 00:00:00")
        #expect(sqlTimestamp(seconds: 1_577_836_799) == "2019-12-31 23:59:59")
        #expect(sqlTimestamp(seconds: -1) == "1969-12-31 23:59:59")
        #expect(dateKey(dayNumber: CivilDate(year: 2019, month: 2, day: 3).dayNumber) == 20190203)
    }
}
