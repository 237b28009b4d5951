import Foundation
import GRDB
import Core
@testable import Ingestion
import SyntheticShop
import TestSupport
@testable import Warehouse

/// A fresh temporary folder for one test.
func temporaryDirectory(_ name: String = #function) -> String {
    let safe = name.filter { $0.isLetter || $0.isNumber }
    let path = NSTemporaryDirectory() + "postgres-tests-\(safe)-\(UUID().uuidString.prefix(8))"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A generated shop as two loads: the history (orders before December 2019) and then the
/// whole shop with changes to the history: a completed order cancelled, an order that lost
/// its second line, a customer with a new email.
struct TestShop {
    var history: String
    var changed: String

    static let rules = QualityRules(asOfDay: CivilDate(year: 2019, month: 12, day: 31).dayNumber)

    static func make(customers: Int = 400) throws -> TestShop {
        var config = ShopGeneratorConfig()
        config.customers = customers
        config.products = 40
        config.clean = true
        let full = temporaryDirectory("shop")
        _ = try ShopGenerator(config: config).write(to: full)
        let orders = try lines(full + "/orders.csv"), items = try lines(full + "/items.csv"), customerLines = try lines(full + "/customers.csv")

        let history = temporaryDirectory("history")
        let old = orders.dropFirst().filter { field($0, 2) < "2019-12-01" }
        let oldIDs = Set(old.map { field($0, 0) })
        try write([orders[0]] + old, to: history + "/orders.csv")
        try write([items[0]] + items.dropFirst().filter { oldIDs.contains(field($0, 0)) }, to: history + "/items.csv")
        try FileManager.default.copyItem(atPath: full + "/customers.csv", toPath: history + "/customers.csv")
        try FileManager.default.copyItem(atPath: full + "/products.csv", toPath: history + "/products.csv")

        let changed = temporaryDirectory("changed")
        var newOrders = orders
        let itemsOf = { (id: String) in items.dropFirst().filter { field($0, 0) == id } }
        guard let cancelled = newOrders.indices.dropFirst().first(where: { field(newOrders[$0], 3) == "completed" }),
              let trimmed = old.first(where: { field($0, 3) == "completed" && field($0, 0) != field(newOrders[cancelled], 0)
                                                && itemsOf(field($0, 0)).count >= 2 }) else {
            throw CocoaError(.fileReadCorruptFile)
        }
        var parts = newOrders[cancelled].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        parts[3] = "cancelled"
        newOrders[cancelled] = parts.joined(separator: ",")
        let dropped = itemsOf(field(trimmed, 0))[1]
        try write(newOrders, to: changed + "/orders.csv")
        try write(items.filter { $0 != dropped }, to: changed + "/items.csv")
        var newCustomers = customerLines
        var customer = newCustomers[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        customer[2] = "new.address@example.com"
        newCustomers[1] = customer.joined(separator: ",")
        try write(newCustomers, to: changed + "/customers.csv")
        try FileManager.default.copyItem(atPath: full + "/products.csv", toPath: changed + "/products.csv")
        return TestShop(history: history, changed: changed)
    }

    static func read(_ folder: String) throws -> ShopTables {
        try ShopIngest.readTables(directory: folder, rules: rules, threads: 1)
    }

    static func lines(_ path: String) throws -> [String] { try CSVLines.read(path) }
    static func write(_ lines: [String], to path: String) throws { try CSVLines.write(lines, to: path) }
    static func field(_ line: String, _ k: Int) -> String { CSVLines.field(line, k) }
}

/// Two SQLite copies of a table compared value by value, rows in primary-key order: integers
/// and text exactly, reals within 1e-9 relative (the engines may add in different orders).
enum TableComparison {
    struct Outcome {
        var rows: Int
        var differences: [String]
    }

    static func compare(_ table: String, _ a: ShopWarehouse, _ b: ShopWarehouse) throws -> Outcome {
        func rows(_ w: ShopWarehouse) throws -> (columns: [String], rows: [[DatabaseValue]]) {
            try w.queue.read { db in
                let columns = try db.columns(in: table).map(\.name)
                let key = try db.primaryKey(table).columns
                let order = (key.isEmpty ? columns : key).joined(separator: ", ")
                let rows = try Row.fetchAll(db, sql: "SELECT \(columns.joined(separator: ", ")) FROM \(table) ORDER BY \(order)")
                return (columns, rows.map { Array($0.databaseValues) })
            }
        }
        let x = try rows(a), y = try rows(b)
        var differences: [String] = []
        if x.columns != y.columns { differences.append("columns \(x.columns) vs \(y.columns)") }
        if x.rows.count != y.rows.count { differences.append("\(x.rows.count) rows vs \(y.rows.count)") }
        for (i, (r, s)) in zip(x.rows, y.rows).enumerated() {
            for (j, (u, v)) in zip(r, s).enumerated() where !same(u, v) {
                differences.append("row \(i) \(x.columns[j]): \(u) vs \(v)")
            }
        }
        return Outcome(rows: x.rows.count, differences: differences)
    }

    static func same(_ u: DatabaseValue, _ v: DatabaseValue) -> Bool {
        switch (u.storage, v.storage) {
        case (.double(let p), .double(let q)): return abs(p - q) <= 1e-9 * max(1, abs(p), abs(q))
        case (.double(let p), .int64(let q)), (.int64(let q), .double(let p)): return p == Double(q)
        default: return u == v
        }
    }
}
