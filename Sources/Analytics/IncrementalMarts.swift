import GRDB
import GRDBSQLite
import Warehouse

/// Brings `mart_customer_daily` and the sales roll-ups up to date from the orders a load
/// changed (``MartChangeLog``), giving the rows a full build gives, bit for bit:
///
/// - Daily summary: each changed customer's rows are deleted and computed again from its
///   orders (a customer's rows depend on its orders alone).
/// - Roll-ups, day grain: each changed day's rows are computed again from that day's lines.
/// - Roll-ups, week, month and year: orders, units and revenue are added up again from the
///   period's day rows in date order, as the full build adds them
///   (``SalesRollupsColumnar/rollUp(_:keys:periodOfDate:)``); distinct customers are the
///   stored count plus, for each changed customer, whether it joined or left the group: its
///   revenue lines as the marts saw them (the unchanged orders' lines and the logged images)
///   against its lines now.
///
/// The work grows with the changed days, customers and periods, not with the history: a day
/// of new orders reads that day's lines, the changed customers' lines and the day rows of the
/// week, month and year it falls in.
enum IncrementalMarts {
    /// A count that cannot be right: the stored marts do not match the log (edited by hand, or
    /// built by other code). The caller rebuilds them in full.
    struct Mismatch: Error, CustomStringConvertible {
        var description: String
    }

    static func update(_ db: Database, changes: MartChangeLog.Changes) throws {
        try db.execute(sql: """
            DROP TABLE IF EXISTS temp.mart_customers;
            DROP TABLE IF EXISTS temp.mart_days;
            CREATE TEMP TABLE mart_customers(customer_key INTEGER PRIMARY KEY);
            CREATE TEMP TABLE mart_days(date_key INTEGER PRIMARY KEY);
            """)
        try BulkInsert.rows(db, "INSERT INTO temp.mart_customers VALUES (?)", count: changes.customers.count) { i, row in row.int(changes.customers[i]) }
        try BulkInsert.rows(db, "INSERT INTO temp.mart_days VALUES (?)", count: changes.days.count) { i, row in row.int(changes.days[i]) }
        try updateDailySummary(db)
        try updateRollups(db, changedDays: changes.days)
        try db.execute(sql: "DROP TABLE temp.mart_customers; DROP TABLE temp.mart_days")
    }

    private static func updateDailySummary(_ db: Database) throws {
        try db.execute(sql: """
            DELETE FROM \(CustomerDailySummary.table)
            WHERE customer_id IN (SELECT customer_id FROM dim_customer WHERE customer_key IN (SELECT customer_key FROM temp.mart_customers))
            """)
        try CustomerDailyColumnar.insert(db, onlyChangedCustomers: true)
    }

    private typealias Columnar = SalesRollupsColumnar

    private static func updateRollups(_ db: Database, changedDays: [Int64]) throws {
        let calendar = try Columnar.Calendar(db), catalog = try Columnar.Catalog(db)
        let days = changedDays.compactMap { calendar.dateIndex[$0] }
        let writer = try RollupWriter(db, calendar: calendar, catalog: catalog)

        // The day grain: the changed days again, from their lines.
        let lines = try Columnar.readLines(db, calendar: calendar, catalog: catalog, onlyChangedDays: true)
        let byCustomer = Columnar.customerOrder(lines)
        for key in Columnar.Key.allCases {
            try deletePeriods(db, table: table(key), grain: 0, starts: days.map { calendar.periods[0][Int($0)].start })
            try writer.write(Columnar.dayGroups(lines, byCustomer: byCustomer, keys: key.count(catalog)) { key.of(product: lines.product[$0], catalog) },
                             grain: 0, key: key)
        }

        // The coarser grains: the periods holding a changed day.
        let joined = try customerChanges(db, calendar: calendar, catalog: catalog)
        let dateOfText = Dictionary(calendar.periods[0].enumerated().map { ($1.start, Int32($0)) }, uniquingKeysWith: { a, _ in a })
        let keyIndex: [Columnar.Key: [String: Int]] = [
            .product: Dictionary(catalog.productIDs.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a }),
            .category: Dictionary(catalog.categories.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a }),
        ]
        for g in 1..<SalesRollups.grains.count {
            let periodOfDate = calendar.periodOfDate[g]
            let periods = Set(days.map { periodOfDate[Int($0)] }).sorted()
            for period in periods {
                let dates = periodOfDate.indices.filter { periodOfDate[$0] == period }
                guard let first = dates.first, let last = dates.last else { continue }
                let start = calendar.periods[g][Int(period)].start
                for key in Columnar.Key.allCases {
                    let keys = key.count(catalog), keyOfText = keyIndex[key]!
                    let column = key == .product ? "product_id" : "category"
                    var stored: [Int: Int] = [:]
                    for row in try Row.fetchAll(db, sql: "SELECT \(column), customers FROM \(table(key)) WHERE grain = ? AND period_start = ?",
                                                arguments: [SalesRollups.grains[g].name, start]) {
                        if let k = keyOfText[row[0] as String] { stored[k] = row[1] }
                    }
                    var dayRows: [Columnar.Group] = []
                    for row in try Row.fetchAll(db, sql: """
                        SELECT period_start, \(column), orders, units, revenue FROM \(table(key))
                        WHERE grain = 'day' AND period_start BETWEEN ? AND ?
                        """, arguments: [calendar.periods[0][first].start, calendar.periods[0][last].start]) {
                        guard let d = dateOfText[row[0] as String], let k = keyOfText[row[1] as String] else { continue }
                        dayRows.append(Columnar.Group(id: Int(d) * keys + k, orders: row[2], units: row[3], revenue: row[4], customers: 0))
                    }
                    var groups = Columnar.rollUp(dayRows.sorted { $0.id < $1.id }, keys: keys, periodOfDate: periodOfDate)
                    for i in groups.indices {
                        let k = groups[i].id % keys
                        groups[i].customers = (stored[k] ?? 0) + (joined[Member(grain: g, period: period, key: key, keyIndex: Int32(k), customer: -1)] ?? 0)
                        guard (1...groups[i].orders).contains(groups[i].customers) else {
                            throw Mismatch(description: "\(table(key)) \(SalesRollups.grains[g].name) \(start) key \(k): \(groups[i].customers) customers for \(groups[i].orders) orders")
                        }
                    }
                    try deletePeriods(db, table: table(key), grain: g, starts: [start])
                    try writer.write(groups, grain: g, key: key)
                }
            }
        }
    }

    private static func table(_ key: Columnar.Key) -> String {
        key == .product ? SalesRollups.productTable : SalesRollups.categoryTable
    }

    private static func deletePeriods(_ db: Database, table: String, grain g: Int, starts: [String]) throws {
        let statement = try db.makeStatement(sql: "DELETE FROM \(table) WHERE grain = ? AND period_start = ?")
        for start in starts { try statement.execute(arguments: [SalesRollups.grains[g].name, start]) }
    }

    /// A customer's membership of a coarse roll-up group.
    struct Member: Hashable {
        var grain: Int
        var period: Int32
        var key: SalesRollupsColumnar.Key
        var keyIndex: Int32
        var customer: Int64

        /// The group alone (the customer left out), to count members by.
        var group: Member { Member(grain: grain, period: period, key: key, keyIndex: keyIndex, customer: -1) }
    }

    /// Per coarse group, the changed customers that joined it minus those that left: their
    /// revenue lines now against their lines as the marts saw them.
    private static func customerChanges(_ db: Database, calendar: Columnar.Calendar, catalog: Columnar.Catalog) throws -> [Member: Int] {
        func members(_ sql: String) throws -> Set<Member> {
            var set: Set<Member> = []
            try BulkRead.rows(db, sql) { s in
                let customer = sqlite3_column_int64(s, 0)
                guard let p = catalog.productIndex[sqlite3_column_int64(s, 1)], let d = calendar.dateIndex[sqlite3_column_int64(s, 2)] else { return }
                for g in 1..<SalesRollups.grains.count {
                    let period = calendar.periodOfDate[g][Int(d)]
                    for key in Columnar.Key.allCases {
                        set.insert(Member(grain: g, period: period, key: key, keyIndex: key.of(product: p, catalog), customer: customer))
                    }
                }
            }
            return set
        }
        let ofChangedCustomers = """
            SELECT l.customer_key, l.product_key, l.date_key FROM fct_orders o JOIN fct_order_lines l ON l.order_key = o.order_key
            WHERE o.customer_key IN (SELECT customer_key FROM temp.mart_customers) AND l.is_revenue = 1
            """
        let now = try members(ofChangedCustomers)
        let then = try members(ofChangedCustomers + """
             AND o.order_key NOT IN (SELECT order_key FROM etl_mart_changes)
            UNION ALL SELECT customer_key, product_key, date_key FROM etl_mart_change_lines WHERE is_revenue = 1
            """)
        var joined: [Member: Int] = [:]
        for m in now.subtracting(then) { joined[m.group, default: 0] += 1 }
        for m in then.subtracting(now) { joined[m.group, default: 0] -= 1 }
        return joined
    }
}
