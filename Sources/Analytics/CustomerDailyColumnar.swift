import Core
import GRDB
import GRDBSQLite
import Warehouse

/// `mart_customer_daily` without the date spine, computed in Swift: the revenue orders are
/// read once in (customer, day) order, each customer-day's orders, items and spend summed,
/// then the running totals and the days since the previous order carried along each
/// customer's days, and the rows written in the table's key order through one prepared
/// statement. The SQL (window functions over a `GROUP BY`) stays as
/// ``CustomerDailySummary/buildInSQL(_:spineThrough:)``, which a test holds this to.
///
/// With `onlyChangedCustomers` (the incremental build, ``IncrementalMarts``), only the
/// customers in `temp.mart_customers(customer_key, from_date_key, from_date)` are computed, and
/// only their days from `from_date` on (their rows from that day on deleted beforehand): each
/// customer's running totals go on from its last row before that day, adding the same values
/// in the same order as a full build, so the rows come out bit for bit the same.
enum CustomerDailyColumnar {
    /// A customer's running totals before the days being computed.
    struct Carried {
        var orders: Int
        var spend: Double
        var day: Int32
    }

    static func insert(_ db: Database, onlyChangedCustomers: Bool = false) throws {
        var dayOfKey: [Int64: (day: Int, text: String)] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT date_key, date FROM dim_date") {
            let key: Int64 = row[0], text: String = row[1]
            guard let d = CivilDate(iso: text) else { continue }
            dayOfKey[key] = (d.dayNumber, text)
        }
        // Customers in customer_id order (the table's key order); their keys to ranks.
        var rank: [Int64: Int32] = [:], ids: [String] = []
        for row in try Row.fetchAll(db, sql: onlyChangedCustomers
            ? "SELECT customer_key, customer_id FROM dim_customer WHERE customer_key IN (SELECT customer_key FROM temp.mart_customers) ORDER BY customer_id"
            : "SELECT customer_key, customer_id FROM dim_customer ORDER BY customer_id") {
            rank[row[0]] = Int32(ids.count)
            ids.append(row[1])
        }
        var carried: [Int32: Carried] = [:]
        if onlyChangedCustomers {
            let last = try db.makeStatement(sql: """
                SELECT cumulative_orders, cumulative_spend, date FROM \(CustomerDailySummary.table) WHERE customer_id = ? ORDER BY date DESC LIMIT 1
                """)
            for (k, id) in ids.enumerated() {
                guard let row = try Row.fetchOne(last, arguments: [id]), let day = CivilDate(iso: row[2] as String) else { continue }
                carried[Int32(k)] = Carried(orders: row[0], spend: row[1], day: Int32(day.dayNumber))
            }
        }
        // The revenue orders: (customer rank, day, units, total).
        var customer: [Int32] = [], day: [Int32] = [], units: [Double] = [], totals: [Double] = []
        var text: [Int32: String] = [:]
        // (The changed customers' orders from their first changed day: `ordered_at` bounds the
        // index range, `date_key` decides.)
        let orders = onlyChangedCustomers ? """
            SELECT o.customer_key, o.date_key, o.units, o.order_total
            FROM temp.mart_customers m CROSS JOIN fct_orders o ON o.customer_key = m.customer_key AND o.ordered_at >= m.from_date
            WHERE o.is_revenue = 1 AND o.date_key >= m.from_date_key ORDER BY o.order_key
            """ : "SELECT customer_key, date_key, units, order_total FROM fct_orders WHERE is_revenue = 1 ORDER BY order_key"
        try BulkRead.rows(db, orders) { p in
            // The SQL's inner joins: an order whose customer or day is missing has no row.
            guard let c = rank[sqlite3_column_int64(p, 0)], let d = dayOfKey[sqlite3_column_int64(p, 1)] else { return }
            customer.append(c)
            day.append(Int32(d.day))
            text[Int32(d.day)] = d.text
            units.append(sqlite3_column_double(p, 2))
            totals.append(sqlite3_column_double(p, 3))
        }
        // (customer, day) order, orders of one customer-day in their key order: a stable
        // counting sort by customer, then each customer's few orders by day.
        var start = [Int](repeating: 0, count: ids.count + 1)
        for c in customer { start[Int(c) + 1] += 1 }
        for k in 0..<ids.count { start[k + 1] += start[k] }
        var order = [Int](repeating: 0, count: customer.count)
        var next = start
        for (i, c) in customer.enumerated() { order[next[Int(c)]] = i; next[Int(c)] += 1 }
        for k in 0..<ids.count where start[k + 1] - start[k] > 1 {
            order[start[k]..<start[k + 1]].sort { (day[$0], $0) < (day[$1], $1) }
        }
        var rows: [(customer: Int32, day: Int32, orders: Int, items: Double, spend: Double)] = []
        for i in order {
            if let last = rows.last, last.customer == customer[i], last.day == day[i] {
                rows[rows.count - 1].orders += 1
                rows[rows.count - 1].items += units[i]
                rows[rows.count - 1].spend += totals[i]
            } else {
                rows.append((customer[i], day[i], 1, units[i], totals[i]))
            }
        }
        var cumulativeOrders = 0, cumulativeSpend = 0.0
        try BulkInsert.rows(db, "INSERT INTO \(CustomerDailySummary.table) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", count: rows.count) { k, row in
            let r = rows[k]
            let first = k == 0 || rows[k - 1].customer != r.customer
            var previousDay: Int32? = first ? nil : rows[k - 1].day
            if first {
                let before = carried[r.customer]
                cumulativeOrders = before?.orders ?? 0
                cumulativeSpend = before?.spend ?? 0
                previousDay = before?.day
            }
            cumulativeOrders += r.orders
            cumulativeSpend += r.spend
            row.text(ids[Int(r.customer)]); row.text(text[r.day]); row.int(Int64(r.orders)); row.double(r.items)
            row.double(r.spend); row.double(r.spend / Double(r.orders)); row.int(Int64(cumulativeOrders)); row.double(cumulativeSpend)
            if let previousDay { row.int(Int64(r.day - previousDay)) } else { row.double(nil) }
        }
    }
}
