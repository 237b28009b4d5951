import Foundation
import GRDB
import Testing
@testable import Analytics
@testable import Ingestion
import SyntheticShop
import TestSupport
@testable import Warehouse

/// Marts updated from the change log after daily loads give the tables a full build gives.
@Suite("Incremental marts")
struct IncrementalMartTests {
    /// A clean generated shop, split into daily folders: the first holds the orders before
    /// `cuts[0]`, folder k those from `cuts[k-1]` to `cuts[k]` (the last up to the end); each
    /// folder has every customer and product, and the items of its orders.
    struct DailyShop {
        var folders: [String]
        /// orders.csv and items.csv lines of the whole shop (header first).
        var orders: [String]
        var items: [String]
    }

    static func dailyShop(cuts: [String], caller: String = #function) throws -> DailyShop {
        var config = ShopGeneratorConfig()
        config.customers = 500
        config.products = 40
        config.clean = true
        let full = temporaryDirectory(caller)
        _ = try ShopGenerator(config: config).write(to: full)
        let orders = try lines(full + "/orders.csv"), items = try lines(full + "/items.csv")
        var folders: [String] = []
        let bounds = [""] + cuts + ["9999"]
        for k in 0..<(bounds.count - 1) {
            let dir = temporaryDirectory(caller + "day\(k)")
            let chosen = orders.dropFirst().filter { let t = field($0, 2); return t >= bounds[k] && t < bounds[k + 1] }
            let ids = Set(chosen.map { field($0, 0) })
            try write([orders[0]] + chosen, to: dir + "/orders.csv")
            try write([items[0]] + items.dropFirst().filter { ids.contains(field($0, 0)) }, to: dir + "/items.csv")
            for f in ["customers.csv", "products.csv"] { try FileManager.default.copyItem(atPath: full + "/" + f, toPath: dir + "/" + f) }
            folders.append(dir)
        }
        return DailyShop(folders: folders, orders: orders, items: items)
    }

    static func lines(_ path: String) throws -> [String] { try CSVLines.read(path) }
    static func write(_ lines: [String], to path: String) throws { try CSVLines.write(lines, to: path) }
    static func field(_ line: String, _ k: Int) -> String { CSVLines.field(line, k) }

    /// Adds to `dir` some orders of the history, changed: the first completed one cancelled,
    /// the first one with two lines without its second line.
    static func changeOldOrders(in dir: String, shop: DailyShop) throws {
        let old = shop.orders.dropFirst().prefix(200)
        let cancelled = old.first { field($0, 3) == "completed" }!
        let itemsOf = { (id: String) in shop.items.dropFirst().filter { field($0, 0) == id } }
        let trimmed = old.first { field($0, 3) == "completed" && $0 != cancelled && itemsOf(field($0, 0)).count >= 2 }!
        var orders = try lines(dir + "/orders.csv"), items = try lines(dir + "/items.csv")
        var parts = cancelled.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        parts[3] = "cancelled"
        orders += [parts.joined(separator: ","), trimmed]
        items += itemsOf(field(cancelled, 0)) + [itemsOf(field(trimmed, 0))[0]]
        try write(orders, to: dir + "/orders.csv")
        try write(items, to: dir + "/items.csv")
    }

    static func load(_ dir: String, into w: ShopWarehouse) throws {
        _ = try WarehouseLoader(warehouse: w).load(try ShopIngest.readTables(directory: dir, rules: asOf2019, threads: 1))
    }

    static func options(incremental: Bool) -> Marts.Options {
        var o = Marts.Options()
        o.incremental = incremental
        o.audience.includePII = true
        return o
    }

    /// The checksums of every mart and fact table.
    static func checksums(_ w: ShopWarehouse) throws -> [String: String] {
        try TableChecksum.all(in: w, tables: Marts.all.map(\.table) + WarehouseSchema.starTables)
    }

    @Test func dailyLoadsWithChangedOldOrdersGiveTheFullBuildsTables() throws {
        let shop = try Self.dailyShop(cuts: ["2019-12-20", "2019-12-21", "2019-12-27"])
        try Self.changeOldOrders(in: shop.folders[2], shop: shop)
        let incremental = try ShopWarehouse(path: temporaryDirectory() + "/inc.sqlite")
        let full = try ShopWarehouse(path: temporaryDirectory() + "/full.sqlite")

        try Self.load(shop.folders[0], into: incremental)
        let first = try Marts.build(incremental, options: Self.options(incremental: true))
        #expect(first.mode == "full" && first.fullBecause == "no marts yet")
        try Self.load(shop.folders[0], into: full)
        for (day, folder) in shop.folders.enumerated().dropFirst() {
            try Self.load(folder, into: incremental)
            // Day 2 changed two old orders: logged with their before-images (one line fewer now).
            #expect(try scalar(incremental, "SELECT count(*) FROM etl_mart_changes WHERE existed = 1") == (day == 2 ? 2 : 0))
            #expect(try scalar(incremental, "SELECT count(*) FROM etl_mart_change_lines") >= (day == 2 ? 3 : 0))
            let logged = try incremental.queue.read { db in try MartChangeLog.read(db) }
            let summary = try Marts.build(incremental, options: Self.options(incremental: true))
            #expect(summary.mode == "incremental", "day \(day): \(summary.fullBecause ?? "")")
            #expect(summary.changedOrders == logged?.orders && (logged?.orders ?? 0) > 0)
            #expect(try incremental.queue.read { db in try MartChangeLog.read(db) }?.orders == 0)  // the log starts again

            try Self.load(folder, into: full)
            let rebuilt = try Marts.build(full, options: Self.options(incremental: false))
            #expect(rebuilt.mode == "full")
            #expect(try Self.checksums(incremental) == Self.checksums(full), "day \(day)")
        }
        #expect(try MartChecks.runAll(in: incremental).allSatisfy(\.passed))
    }

    @Test func severalLoadsBetweenBuildsKeepTheFirstImage() throws {
        let shop = try Self.dailyShop(cuts: ["2019-12-10", "2019-12-20"])
        try Self.changeOldOrders(in: shop.folders[1], shop: shop)
        try Self.changeOldOrders(in: shop.folders[2], shop: shop)  // the same orders again, already logged
        let incremental = try ShopWarehouse(path: temporaryDirectory() + "/inc.sqlite")
        let full = try ShopWarehouse(path: temporaryDirectory() + "/full.sqlite")
        for w in [incremental, full] { try Self.load(shop.folders[0], into: w) }
        _ = try Marts.build(incremental, options: Self.options(incremental: true))
        for folder in shop.folders.dropFirst() { for w in [incremental, full] { try Self.load(folder, into: w) } }
        #expect(try scalar(incremental, "SELECT count(*) FROM etl_mart_changes WHERE existed = 1") == 2)
        #expect(try Marts.build(incremental, options: Self.options(incremental: true)).mode == "incremental")
        _ = try Marts.build(full, options: Self.options(incremental: false))
        #expect(try Self.checksums(incremental) == Self.checksums(full))
    }

    @Test func aLoadThatChangesNothingLeavesTheMartsAsTheyAre() throws {
        let shop = try Self.dailyShop(cuts: ["2019-12-20"])
        let w = try ShopWarehouse(path: temporaryDirectory() + "/w.sqlite")
        try Self.load(shop.folders[0], into: w)
        _ = try Marts.build(w, options: Self.options(incremental: true))
        let before = try Self.checksums(w)
        try Self.load(shop.folders[0], into: w)  // the same files again
        let again = try Marts.build(w, options: Self.options(incremental: true))
        #expect(again.mode == "incremental" && again.changedOrders == 0)
        #expect(try Self.checksums(w) == before)
    }

    @Test func aChangedCategoryOrADateSpineMakesTheNextBuildFull() throws {
        let shop = try Self.dailyShop(cuts: ["2019-12-20"])
        let w = try ShopWarehouse(path: temporaryDirectory() + "/w.sqlite")
        try Self.load(shop.folders[0], into: w)
        _ = try Marts.build(w, options: Self.options(incremental: true))
        var products = try Self.lines(shop.folders[1] + "/products.csv")
        var parts = products[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        parts[2] = "Renamed category"
        products[1] = parts.joined(separator: ",")
        try Self.write(products, to: shop.folders[1] + "/products.csv")
        try Self.load(shop.folders[1], into: w)
        #expect(try w.queue.read { db in try MartChangeLog.hasBaseline(db) } == false)
        let summary = try Marts.build(w, options: Self.options(incremental: true))
        #expect(summary.mode == "full" && summary.fullBecause?.contains("no change log") == true)
        #expect(try MartChecks.runAll(in: w).allSatisfy(\.passed))

        var spine = Self.options(incremental: true)
        spine.dailySpine = true
        #expect(try Marts.build(w, options: spine).mode == "full")
        #expect(try w.queue.read { db in try MartChangeLog.hasBaseline(db) } == false)  // loads log nothing now
    }

    /// A roll-up edited by hand no longer matches the log: the build notices and rebuilds.
    @Test func martsThatDoNotMatchTheLogAreRebuilt() throws {
        let shop = try Self.dailyShop(cuts: ["2019-12-20"])
        let incremental = try ShopWarehouse(path: temporaryDirectory() + "/inc.sqlite")
        let full = try ShopWarehouse(path: temporaryDirectory() + "/full.sqlite")
        for w in [incremental, full] { try Self.load(shop.folders[0], into: w) }
        _ = try Marts.build(incremental, options: Self.options(incremental: true))
        try incremental.queue.write { db in
            try db.execute(sql: "UPDATE mart_sales_by_category SET customers = -100 WHERE grain = 'year' AND period_start = '2019-01-01'")
            // A day row with no orders (cannot come from the facts) must not trap either.
            try db.execute(sql: "UPDATE mart_sales_by_product SET orders = 0 WHERE grain = 'day' AND period_start = '2019-12-01'")
        }
        for w in [incremental, full] { try Self.load(shop.folders[1], into: w) }
        let summary = try Marts.build(incremental, options: Self.options(incremental: true))
        #expect(summary.mode == "full" && summary.fullBecause?.contains("did not match") == true)
        _ = try Marts.build(full, options: Self.options(incremental: false))
        #expect(try Self.checksums(incremental) == Self.checksums(full))
    }
}

func scalar(_ w: ShopWarehouse, _ sql: String) throws -> Double {
    try w.queue.read { db in try Double.fetchOne(db, sql: sql) ?? .nan }
}
