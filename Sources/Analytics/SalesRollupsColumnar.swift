import GRDB
import GRDBSQLite
import Warehouse

/// The sales roll-ups computed in one columnar pass in Swift instead of eight
/// `GROUP BY ... count(DISTINCT ...)` queries (each a sort of the facts): the revenue lines
/// are read once, then for every grain and both keys (product, category) the sums go into
/// dense arrays indexed by (period, key); distinct orders are counted in the facts' own
/// order (their primary key starts with `order_key`, so an order's lines are adjacent) and
/// distinct customers in the lines' customer order (a counting sort), each time by
/// remembering the last order or customer seen per group.
///
/// Gives the tables ``SalesRollups/buildInSQL(_:)`` gives (a test compares them; sums may
/// differ in the last bits, as they are added in another order).
enum SalesRollupsColumnar {
    /// The revenue lines: one entry per line, in `order_key` order.
    struct Lines {
        var order: [Int64] = []
        var customer: [Int32] = []  // dense index of the customer key
        var product: [Int32] = []  // index into the products
        var date: [Int32] = []  // index into the dates
        var quantity: [Double] = []
        var total: [Double] = []
        var customerCount = 0
    }

    static func build(_ db: Database) throws {
        // Dates and products are small: their rows as arrays, their keys to indices.
        var dateIndex: [Int64: Int32] = [:]
        var periods: [[(label: String, start: String)]] = Array(repeating: [], count: SalesRollups.grains.count)
        for row in try Row.fetchAll(db, sql: "SELECT date_key, date, week_start, iso_year, iso_week, month_start, year FROM dim_date") {
            let key: Int64 = row[0], date: String = row[1], weekStart: String = row[2]
            let isoYear: Int = row[3], isoWeek: Int = row[4], monthStart: String = row[5], year: Int = row[6]
            dateIndex[key] = Int32(dateIndex.count)
            periods[0].append((date, date))
            periods[1].append((pad(isoYear, 4) + "-W" + pad(isoWeek, 2), weekStart))
            periods[2].append((String(date.prefix(7)), monthStart))
            periods[3].append((String(year), pad(year, 4) + "-01-01"))
        }
        var productIndex: [Int64: Int32] = [:]
        var productIDs: [String] = [], productCategory: [Int32] = [], categories: [String] = []
        var categoryIndex: [String: Int32] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT product_key, product_id, category FROM dim_product") {
            let key: Int64 = row[0], id: String = row[1], category: String = row[2]
            productIndex[key] = Int32(productIDs.count)
            productIDs.append(id)
            if categoryIndex[category] == nil { categoryIndex[category] = Int32(categories.count); categories.append(category) }
            productCategory.append(categoryIndex[category]!)
        }
        let lines = try readLines(db, dateIndex: dateIndex, productIndex: productIndex)
        let byCustomer = customerOrder(lines)

        let productStatement = try db.makeStatement(sql: "INSERT INTO \(SalesRollups.productTable) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        let categoryStatement = try db.makeStatement(sql: "INSERT INTO \(SalesRollups.categoryTable) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        for (g, grain) in SalesRollups.grains.enumerated() {
            // Periods of this grain: distinct starts, and each date's period.
            var periodOfStart: [String: Int32] = [:], periodRows: [(label: String, start: String)] = []
            let periodOfDate = periods[g].map { p -> Int32 in
                if let k = periodOfStart[p.start] { return k }
                let k = Int32(periodRows.count)
                periodOfStart[p.start] = k
                periodRows.append(p)
                return k
            }
            let byProduct = aggregate(lines, byCustomer: byCustomer, keys: productIDs.count) { i in
                Int(periodOfDate[Int(lines.date[i])]) * productIDs.count + Int(lines.product[i])
            }
            for group in byProduct.groups {
                let period = periodRows[group.id / productIDs.count], p = group.id % productIDs.count
                try productStatement.execute(arguments: [grain.name, period.label, period.start, productIDs[p], categories[Int(productCategory[p])],
                                                         group.orders, group.units, group.revenue, group.customers])
            }
            let byCategory = aggregate(lines, byCustomer: byCustomer, keys: categories.count) { i in
                Int(periodOfDate[Int(lines.date[i])]) * categories.count + Int(productCategory[Int(lines.product[i])])
            }
            for group in byCategory.groups {
                let period = periodRows[group.id / categories.count], c = group.id % categories.count
                try categoryStatement.execute(arguments: [grain.name, period.label, period.start, categories[c],
                                                          group.orders, group.units, group.revenue, group.customers])
            }
        }
    }

    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// The revenue lines through SQLite's C API (GRDB's row objects cost more than the work).
    private static func readLines(_ db: Database, dateIndex: [Int64: Int32], productIndex: [Int64: Int32]) throws -> Lines {
        var lines = Lines()
        var customerIndex: [Int64: Int32] = [:]
        try BulkRead.rows(db, """
            SELECT order_key, customer_key, product_key, date_key, quantity, line_total
            FROM fct_order_lines WHERE is_revenue = 1 ORDER BY order_key, product_key
            """) { s in
            let customerKey = sqlite3_column_int64(s, 1), productKey = sqlite3_column_int64(s, 2), dateKey = sqlite3_column_int64(s, 3)
            // As the SQL's inner joins do: a line whose product or day is not in its dimension
            // has no place in the roll-ups (`warehouse check` reports the broken foreign key).
            guard let p = productIndex[productKey], let d = dateIndex[dateKey] else { return }
            let c: Int32
            if let known = customerIndex[customerKey] { c = known } else { c = Int32(customerIndex.count); customerIndex[customerKey] = c }
            lines.order.append(sqlite3_column_int64(s, 0))
            lines.customer.append(c)
            lines.product.append(p)
            lines.date.append(d)
            lines.quantity.append(sqlite3_column_double(s, 4))
            lines.total.append(sqlite3_column_double(s, 5))
        }
        lines.customerCount = customerIndex.count
        return lines
    }

    /// The lines' indices ordered by customer (a stable counting sort).
    private static func customerOrder(_ lines: Lines) -> [Int32] {
        var start = [Int](repeating: 0, count: lines.customerCount + 1)
        for c in lines.customer { start[Int(c) + 1] += 1 }
        for k in 0..<lines.customerCount { start[k + 1] += start[k] }
        var order = [Int32](repeating: 0, count: lines.customer.count)
        for (i, c) in lines.customer.enumerated() {
            order[start[Int(c)]] = Int32(i)
            start[Int(c)] += 1
        }
        return order
    }

    struct Group {
        var id: Int
        var orders: Int
        var units: Double
        var revenue: Double
        var customers: Int
    }

    /// Orders, units, revenue and customers per group (`group(i)` of line i, in `0..<periods × keys`),
    /// for the groups that have lines.
    private static func aggregate(_ lines: Lines, byCustomer: [Int32], keys: Int, group: (Int) -> Int) -> (groups: [Group], count: Int) {
        let n = lines.order.count
        var groupOf = [Int32](repeating: 0, count: n)
        var size = 0
        for i in 0..<n {
            let g = group(i)
            groupOf[i] = Int32(g)
            size = max(size, g + 1)
        }
        var orders = [Int](repeating: 0, count: size), customers = [Int](repeating: 0, count: size)
        var units = [Double](repeating: 0, count: size), revenue = [Double](repeating: 0, count: size)
        var lastOrder = [Int64](repeating: -1, count: size), lastCustomer = [Int32](repeating: -1, count: size)
        for i in 0..<n {
            let g = Int(groupOf[i])
            units[g] += lines.quantity[i]
            revenue[g] += lines.total[i]
            if lastOrder[g] != lines.order[i] { lastOrder[g] = lines.order[i]; orders[g] += 1 }
        }
        for i in byCustomer {
            let g = Int(groupOf[Int(i)]), c = lines.customer[Int(i)]
            if lastCustomer[g] != c { lastCustomer[g] = c; customers[g] += 1 }
        }
        var groups: [Group] = []
        for g in 0..<size where orders[g] > 0 {
            groups.append(Group(id: g, orders: orders[g], units: units[g], revenue: revenue[g], customers: customers[g]))
        }
        return (groups, size)
    }
}
