import Core
import GRDB
import Ingestion

/// Fills the `stg_` tables with one load's input (replacing the previous load's).
enum Staging {
    struct Result {
        var excludedOrders = 0
        var revenue = 0.0
    }

    /// Category of products that have none in the source.
    static let unknownCategory = "unknown"

    static func replace(_ db: Database, with shop: ShopTables) throws -> Result {
        for table in WarehouseSchema.stagingTables { try db.execute(sql: "DELETE FROM \(table)") }
        func nullable(_ s: String) -> String? { s.isEmpty ? nil : s }

        let customers = shop.customers
        try insertRows(db, "INSERT INTO stg_customers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", count: customers.count) { i in
            let signup = customers.signupSeconds[i]
            return [customers.id[i], nullable(customers.name[i]), nullable(customers.email[i]), nullable(customers.phone[i]),
                    nullable(customers.street[i]), nullable(customers.city[i]), nullable(customers.state[i]),
                    nullable(customers.zip[i]), signup == .min ? nil : CivilDate(dayNumber: dayNumber(ofSeconds: signup)).description]
        }
        let products = shop.products
        try insertRows(db, "INSERT INTO stg_products VALUES (?, ?, ?, ?, ?)", count: products.count) { i in
            [products.id[i], nullable(products.name[i]), nullable(products.category[i]) ?? unknownCategory,
             products.price[i].isNaN ? nil : products.price[i], nullable(products.availability[i])]
        }

        // Per order: its lines' count, units and total, and whether it is revenue.
        let orders = shop.orders, lines = shop.lines
        let excluded = shop.excludedOrders()
        var lineCount = [Int](repeating: 0, count: orders.count)
        var units = [Double](repeating: 0, count: orders.count)
        var total = [Double](repeating: 0, count: orders.count)
        var lineTotal = [Double](repeating: 0, count: lines.count)
        var result = Result()
        for i in 0..<lines.count {
            let o = Int(lines.order[i])
            lineTotal[i] = lines.quantity[i] * lines.unitPrice[i]
            lineCount[o] += 1
            units[o] += lines.quantity[i]
            total[o] += lineTotal[i]
            if !excluded[o] { result.revenue += lineTotal[i] }
        }
        result.excludedOrders = excluded.lazy.filter { $0 }.count
        try insertRows(db, "INSERT INTO stg_orders VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", count: orders.count) { i in
            let seconds = orders.seconds[i]
            return [orders.id[i], customers.id[Int(orders.customer[i])], sqlTimestamp(seconds: seconds),
                    dateKey(dayNumber: dayNumber(ofSeconds: seconds)), orders.status[i], excluded[i] ? 0 : 1,
                    lineCount[i], units[i], total[i]]
        }
        try insertRows(db, "INSERT INTO stg_order_lines VALUES (?, ?, ?, ?, ?, ?)", count: lines.count) { i in
            let o = Int(lines.order[i])
            return [orders.id[o], products.id[Int(lines.product[i])], lines.quantity[i], lines.unitPrice[i], lineTotal[i],
                    excluded[o] ? 0 : 1]
        }
        return result
    }

    /// Runs one prepared INSERT per row.
    static func insertRows(_ db: Database, _ sql: String, count: Int, row: (Int) -> StatementArguments) throws {
        let statement = try db.makeStatement(sql: sql)
        for i in 0..<count {
            statement.setUncheckedArguments(row(i))
            try statement.execute()
        }
    }
}
