import Core
import GRDB
import Ingestion

/// Fills the `stg_` tables with one load's input (replacing the previous load's).
enum Staging {
    /// Category of products that have none in the source.
    static let unknownCategory = "unknown"

    /// Returns the per-order totals it staged (with the excluded orders and the staged revenue).
    static func replace(_ db: Database, with shop: ShopTables) throws -> OrderTotals {
        for table in WarehouseSchema.stagingTables { try db.execute(sql: "DELETE FROM \(table)") }
        func nullable(_ s: String) -> String? { s.isEmpty ? nil : s }

        let customers = shop.customers
        try BulkInsert.rows(db, "INSERT INTO stg_customers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", count: customers.count) { i, row in
            let signup = customers.signupSeconds[i]
            row.text(customers.id[i]); row.text(nullable(customers.name[i])); row.text(nullable(customers.email[i]))
            row.text(nullable(customers.phone[i])); row.text(nullable(customers.street[i])); row.text(nullable(customers.city[i]))
            row.text(nullable(customers.state[i])); row.text(nullable(customers.zip[i]))
            row.text(signup == .min ? nil : CivilDate(dayNumber: dayNumber(ofSeconds: signup)).description)
        }
        let products = shop.products
        try BulkInsert.rows(db, "INSERT INTO stg_products VALUES (?, ?, ?, ?, ?)", count: products.count) { i, row in
            row.text(products.id[i]); row.text(nullable(products.name[i])); row.text(nullable(products.category[i]) ?? unknownCategory)
            row.double(products.price[i].isNaN ? nil : products.price[i]); row.text(nullable(products.availability[i]))
        }

        // Per order: its lines' count, units and total, and whether it is revenue.
        let orders = shop.orders, lines = shop.lines
        let totals = OrderTotals(shop)
        let excluded = totals.excluded, lineCount = totals.lineCount, units = totals.units, total = totals.total
        let lineTotal = totals.lineTotal
        try BulkInsert.rows(db, "INSERT INTO stg_orders VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", count: orders.count) { i, row in
            let seconds = orders.seconds[i]
            row.text(orders.id[i]); row.text(customers.id[Int(orders.customer[i])]); row.text(sqlTimestamp(seconds: seconds))
            row.int(Int64(dateKey(dayNumber: dayNumber(ofSeconds: seconds)))); row.text(orders.status[i]); row.int(excluded[i] ? 0 : 1)
            row.int(Int64(lineCount[i])); row.double(units[i]); row.double(total[i])
        }
        try BulkInsert.rows(db, "INSERT INTO stg_order_lines VALUES (?, ?, ?, ?, ?, ?)", count: lines.count) { i, row in
            let o = Int(lines.order[i])
            row.text(orders.id[o]); row.text(products.id[Int(lines.product[i])]); row.double(lines.quantity[i])
            row.double(lines.unitPrice[i]); row.double(lineTotal[i]); row.int(excluded[o] ? 0 : 1)
        }
        return totals
    }
}
