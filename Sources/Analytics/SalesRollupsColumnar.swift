import GRDB
import GRDBSQLite
import Warehouse

/// The sales roll-ups computed in one columnar pass in Swift instead of eight
/// `GROUP BY ... count(DISTINCT ...)` queries (each a sort of the facts): the revenue lines
/// are read once, the day grain's sums go into dense arrays indexed by (day, key), and the
/// week, month and year sums are added up from the day rows in date order. Distinct orders
/// are counted in the facts' own order (their primary key starts with `order_key`, so an
/// order's lines are adjacent) and distinct customers in the lines' customer order (a
/// counting sort), each time by remembering the last order or customer seen per group.
///
/// Coarse sums made of the day rows (rather than of the lines) are what lets
/// ``IncrementalRollups`` update a month or a year from its day rows and get the same bits.
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

    /// The days of `dim_date` in date order, and each day's period at every grain.
    struct Calendar {
        var dateIndex: [Int64: Int32] = [:]
        /// Per grain (``SalesRollups/grains`` order): each date's period, and the periods.
        var periodOfDate: [[Int32]]
        var periods: [[(label: String, start: String)]]

        init(_ db: Database) throws {
            var perDate: [[(label: String, start: String)]] = Array(repeating: [], count: SalesRollups.grains.count)
            for row in try Row.fetchAll(db, sql: "SELECT date_key, date, week_start, iso_year, iso_week, month_start, year FROM dim_date ORDER BY date_key") {
                let key: Int64 = row[0], date: String = row[1], weekStart: String = row[2]
                let isoYear: Int = row[3], isoWeek: Int = row[4], monthStart: String = row[5], year: Int = row[6]
                dateIndex[key] = Int32(dateIndex.count)
                perDate[0].append((date, date))
                perDate[1].append((pad(isoYear, 4) + "-W" + pad(isoWeek, 2), weekStart))
                perDate[2].append((String(date.prefix(7)), monthStart))
                perDate[3].append((String(year), pad(year, 4) + "-01-01"))
            }
            periodOfDate = []
            periods = []
            for grain in perDate {
                var periodOfStart: [String: Int32] = [:], rows: [(label: String, start: String)] = []
                periodOfDate.append(grain.map { p -> Int32 in
                    if let k = periodOfStart[p.start] { return k }
                    let k = Int32(rows.count)
                    periodOfStart[p.start] = k
                    rows.append(p)
                    return k
                })
                periods.append(rows)
            }
        }

        var dayCount: Int { periodOfDate.first?.count ?? 0 }
    }

    /// The products and their categories.
    struct Catalog {
        var productIndex: [Int64: Int32] = [:]
        var productIDs: [String] = []
        var productCategory: [Int32] = []
        var categories: [String] = []

        init(_ db: Database) throws {
            var categoryIndex: [String: Int32] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT product_key, product_id, category FROM dim_product") {
                let key: Int64 = row[0], id: String = row[1], category: String = row[2]
                productIndex[key] = Int32(productIDs.count)
                productIDs.append(id)
                if categoryIndex[category] == nil { categoryIndex[category] = Int32(categories.count); categories.append(category) }
                productCategory.append(categoryIndex[category]!)
            }
        }
    }

    /// The two keys a roll-up groups by.
    enum Key: CaseIterable {
        case product, category

        func count(_ catalog: Catalog) -> Int { self == .product ? catalog.productIDs.count : catalog.categories.count }
        func of(product p: Int32, _ catalog: Catalog) -> Int32 { self == .product ? p : catalog.productCategory[Int(p)] }
        /// The key's names, in ``Catalog`` order (a key's index is its position).
        func names(_ catalog: Catalog) -> [String] { self == .product ? catalog.productIDs : catalog.categories }
        var table: String { self == .product ? SalesRollups.productTable : SalesRollups.categoryTable }
        /// The table's key column.
        var column: String { self == .product ? "product_id" : "category" }
    }

    static func build(_ db: Database) throws {
        let calendar = try Calendar(db), catalog = try Catalog(db)
        let lines = try readLines(db, calendar: calendar, catalog: catalog)
        let byCustomer = customerOrder(lines)
        let writer = try RollupWriter(db, calendar: calendar, catalog: catalog)
        for key in Key.allCases {
            let keys = key.count(catalog)
            let days = dayGroups(lines, byCustomer: byCustomer, keys: keys) { key.of(product: lines.product[$0], catalog) }
            try writer.write(days, grain: 0, key: key)
            for g in 1..<SalesRollups.grains.count {
                let periodOfDate = calendar.periodOfDate[g]
                let customers = distinctCustomers(lines, byCustomer: byCustomer, groups: calendar.periods[g].count * keys) { i in
                    Int(periodOfDate[Int(lines.date[i])]) * keys + Int(key.of(product: lines.product[i], catalog))
                }
                var groups = rollUp(days, keys: keys, periodOfDate: periodOfDate)
                for k in groups.indices { groups[k].customers = customers[groups[k].id] }
                try writer.write(groups, grain: g, key: key)
            }
        }
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// The revenue lines (those of the days in `temp.mart_days` when `onlyChangedDays`)
    /// through SQLite's C API (GRDB's row objects cost more than the work).
    static func readLines(_ db: Database, calendar: Calendar, catalog: Catalog, onlyChangedDays: Bool = false) throws -> Lines {
        var lines = Lines()
        var customerIndex: [Int64: Int32] = [:]
        let days = onlyChangedDays ? "AND date_key IN (SELECT date_key FROM temp.mart_days)" : ""
        try BulkRead.rows(db, """
            SELECT order_key, customer_key, product_key, date_key, quantity, line_total
            FROM fct_order_lines WHERE is_revenue = 1 \(days) ORDER BY order_key, product_key
            """) { s in
            let customerKey = sqlite3_column_int64(s, 1), productKey = sqlite3_column_int64(s, 2), dateKey = sqlite3_column_int64(s, 3)
            // As the SQL's inner joins do: a line whose product or day is not in its dimension
            // has no place in the roll-ups (`warehouse check` reports the broken foreign key).
            guard let p = catalog.productIndex[productKey], let d = calendar.dateIndex[dateKey] else { return }
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
    static func customerOrder(_ lines: Lines) -> [Int32] {
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

    /// One roll-up row before it is written: `id` is `period × keys + key`.
    struct Group {
        var id: Int
        var orders: Int
        var units: Double
        var revenue: Double
        var customers: Int
    }

    /// The day grain: orders, units, revenue (added in line order) and customers per
    /// (day, key), for the groups that have lines, in id order.
    static func dayGroups(_ lines: Lines, byCustomer: [Int32], keys: Int, key: (Int) -> Int32) -> [Group] {
        let n = lines.order.count
        var groupOf = [Int](repeating: 0, count: n)
        var size = 0
        for i in 0..<n {
            groupOf[i] = Int(lines.date[i]) * keys + Int(key(i))
            size = max(size, groupOf[i] + 1)
        }
        var orders = [Int](repeating: 0, count: size)
        var units = [Double](repeating: 0, count: size), revenue = [Double](repeating: 0, count: size)
        var lastOrder = [Int64](repeating: -1, count: size)
        for i in 0..<n {
            let g = groupOf[i]
            units[g] += lines.quantity[i]
            revenue[g] += lines.total[i]
            if lastOrder[g] != lines.order[i] { lastOrder[g] = lines.order[i]; orders[g] += 1 }
        }
        let customers = distinctCustomers(lines, byCustomer: byCustomer, groups: size) { groupOf[$0] }
        var groups: [Group] = []
        for g in 0..<size where orders[g] > 0 {
            groups.append(Group(id: g, orders: orders[g], units: units[g], revenue: revenue[g], customers: customers[g]))
        }
        return groups
    }

    /// Distinct customers per group (`group(i)` of line i, in `0..<groups`).
    static func distinctCustomers(_ lines: Lines, byCustomer: [Int32], groups: Int, group: (Int) -> Int) -> [Int] {
        var customers = [Int](repeating: 0, count: groups), last = [Int32](repeating: -1, count: groups)
        for i in byCustomer {
            let g = group(Int(i)), c = lines.customer[Int(i)]
            if last[g] != c { last[g] = c; customers[g] += 1 }
        }
        return customers
    }

    /// A coarser grain's orders, units and revenue from the day rows (`days` in id order, so
    /// each period's days are added in date order); customers are left at 0 for the caller.
    /// An order falls on one day, so its distinct count adds up across days.
    static func rollUp(_ days: [Group], keys: Int, periodOfDate: [Int32]) -> [Group] {
        var index: [Int: Int] = [:], groups: [Group] = []
        for d in days {
            let id = Int(periodOfDate[d.id / keys]) * keys + d.id % keys
            if let k = index[id] {
                groups[k].orders += d.orders
                groups[k].units += d.units
                groups[k].revenue += d.revenue
            } else {
                index[id] = groups.count
                groups.append(Group(id: id, orders: d.orders, units: d.units, revenue: d.revenue, customers: 0))
            }
        }
        return groups.sorted { $0.id < $1.id }
    }
}

/// Writes roll-up groups as rows of the product or category table.
struct RollupWriter {
    let calendar: SalesRollupsColumnar.Calendar
    let catalog: SalesRollupsColumnar.Catalog
    let product: Statement
    let category: Statement

    init(_ db: Database, calendar: SalesRollupsColumnar.Calendar, catalog: SalesRollupsColumnar.Catalog) throws {
        self.calendar = calendar
        self.catalog = catalog
        product = try db.makeStatement(sql: "INSERT INTO \(SalesRollups.productTable) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        category = try db.makeStatement(sql: "INSERT INTO \(SalesRollups.categoryTable) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
    }

    func write(_ groups: [SalesRollupsColumnar.Group], grain g: Int, key: SalesRollupsColumnar.Key) throws {
        let keys = key.count(catalog), name = SalesRollups.grains[g].name
        for group in groups {
            let period = calendar.periods[g][group.id / keys], k = group.id % keys
            switch key {
            case .product:
                try product.execute(arguments: [name, period.label, period.start, catalog.productIDs[k], catalog.categories[Int(catalog.productCategory[k])],
                                                group.orders, group.units, group.revenue, group.customers])
            case .category:
                try category.execute(arguments: [name, period.label, period.start, catalog.categories[k],
                                                 group.orders, group.units, group.revenue, group.customers])
            }
        }
    }
}
