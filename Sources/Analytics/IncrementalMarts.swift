import GRDB
import GRDBSQLite
import Warehouse

/// Brings `mart_customer_daily` and the sales roll-ups up to date from the orders a load
/// changed (``MartChangeLog``), giving the rows a full build gives, bit for bit:
///
/// - Daily summary: each changed customer's rows from its first changed day on are deleted
///   and computed again from its orders of those days, the running totals going on from its
///   last row before them (a customer's rows depend on its orders alone).
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
            CREATE TEMP TABLE mart_customers(customer_key INTEGER PRIMARY KEY, from_date_key INTEGER NOT NULL, from_date TEXT NOT NULL);
            CREATE TEMP TABLE mart_days(date_key INTEGER PRIMARY KEY);
            """)
        try BulkInsert.rows(db, "INSERT INTO temp.mart_customers VALUES (?, ?, ?)", count: changes.customers.count) { i, row in
            let c = changes.customers[i], d = c.firstDay
            row.int(c.key); row.int(d)
            row.text(Columnar.pad(Int(d / 10_000), 4) + "-" + Columnar.pad(Int(d / 100 % 100), 2) + "-" + Columnar.pad(Int(d % 100), 2))
        }
        try BulkInsert.rows(db, "INSERT INTO temp.mart_days VALUES (?)", count: changes.days.count) { i, row in row.int(changes.days[i]) }
        try updateDailySummary(db)
        try updateRollups(db, changedDays: changes.days)
        try db.execute(sql: "DROP TABLE temp.mart_customers; DROP TABLE temp.mart_days")
    }

    /// Each changed customer's rows from its first changed day on, deleted and computed again.
    private static func updateDailySummary(_ db: Database) throws {
        let delete = try db.makeStatement(sql: "DELETE FROM \(CustomerDailySummary.table) WHERE customer_id = ? AND date >= ?")
        for row in try Row.fetchAll(db, sql: """
            SELECT c.customer_id, m.from_date FROM temp.mart_customers m JOIN dim_customer c ON c.customer_key = m.customer_key
            """) {
            try delete.execute(arguments: [row[0] as String?, row[1] as String?])
        }
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
            try deletePeriods(db, key: key, grain: 0, starts: days.map { calendar.periods[0][Int($0)].start })
            try writer.write(Columnar.dayGroups(lines, byCustomer: byCustomer, keys: key.count(catalog)) { key.of(product: lines.product[$0], catalog) },
                             grain: 0, key: key)
        }

        // The coarser grains: the periods holding a changed day, added up again from the day rows
        // of the days they cover (read once per key), with the customers' joins and leaves.
        let grains = 1..<SalesRollups.grains.count
        var affected: [Int: Set<Int32>] = [:]
        for g in grains { affected[g] = Set(days.map { calendar.periodOfDate[g][Int($0)] }) }
        let covered = (0..<calendar.dayCount).filter { d in grains.contains { affected[$0]!.contains(calendar.periodOfDate[$0][d]) } }
        guard let first = covered.first, let last = covered.last else { return }
        let joined = try customerChanges(db, calendar: calendar, catalog: catalog, days: days)
        let dateOfText = Dictionary(calendar.periods[0].enumerated().map { ($1.start, Int32($0)) }, uniquingKeysWith: { a, _ in a })
        for key in Columnar.Key.allCases {
            let keys = key.count(catalog)
            let keyOfText = Dictionary(key.names(catalog).enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            var dayRows: [Columnar.Group] = []
            for row in try Row.fetchAll(db, sql: """
                SELECT period_start, \(key.column), orders, units, revenue FROM \(key.table)
                WHERE grain = 'day' AND period_start BETWEEN ? AND ?
                """, arguments: [calendar.periods[0][first].start, calendar.periods[0][last].start]) {
                // (NULLs read as 0: a table edited by hand then fails the check below, not the process.)
                guard let date = row[0] as String?, let text = row[1] as String?, let d = dateOfText[date], let k = keyOfText[text] else { continue }
                dayRows.append(Columnar.Group(id: Int(d) * keys + k, orders: row[2] as Int? ?? 0, units: row[3] as Double? ?? 0,
                                              revenue: row[4] as Double? ?? 0, customers: 0))
            }
            dayRows.sort { $0.id < $1.id }
            for g in grains {
                let periodOfDate = calendar.periodOfDate[g], periods = affected[g]!
                let starts = periods.sorted().map { calendar.periods[g][Int($0)].start }
                var stored: [Int: Int] = [:]  // customers per group id
                let read = try db.makeStatement(sql: "SELECT \(key.column), customers FROM \(key.table) WHERE grain = ? AND period_start = ?")
                for period in periods {
                    for row in try Row.fetchAll(read, arguments: [SalesRollups.grains[g].name, calendar.periods[g][Int(period)].start]) {
                        if let text = row[0] as String?, let k = keyOfText[text] { stored[Int(period) * keys + k] = row[1] as Int? ?? 0 }
                    }
                }
                var groups = Columnar.rollUp(dayRows.filter { periods.contains(periodOfDate[$0.id / keys]) }, keys: keys, periodOfDate: periodOfDate)
                for i in groups.indices {
                    let period = Int32(groups[i].id / keys), k = groups[i].id % keys
                    groups[i].customers = (stored[groups[i].id] ?? 0) + (joined[memberCode(grain: g, period: period, key: key, keyIndex: Int32(k))] ?? 0)
                    guard groups[i].orders >= 1, (1...groups[i].orders).contains(groups[i].customers) else {
                        throw Mismatch(description: "\(key.table) \(SalesRollups.grains[g].name) \(calendar.periods[g][Int(period)].start) "
                                       + "\(key.names(catalog)[k]): \(groups[i].customers) customers for \(groups[i].orders) orders")
                    }
                }
                try deletePeriods(db, key: key, grain: g, starts: starts)
                try writer.write(groups, grain: g, key: key)
            }
        }
    }

    private static func deletePeriods(_ db: Database, key: Columnar.Key, grain g: Int, starts: [String]) throws {
        let statement = try db.makeStatement(sql: "DELETE FROM \(key.table) WHERE grain = ? AND period_start = ?")
        for start in starts { try statement.execute(arguments: [SalesRollups.grains[g].name, start]) }
    }

    /// A coarse roll-up group as one number: grain, key kind, period, key.
    private static func memberCode(grain: Int, period: Int32, key: Columnar.Key, keyIndex: Int32) -> Int64 {
        Int64(grain * 2 + (key == .product ? 0 : 1)) << 56 | Int64(period) << 28 | Int64(keyIndex)
    }

    /// Per coarse group (``memberCode(grain:period:key:keyIndex:)``), the changed customers that
    /// joined it minus those that left: their revenue lines now against their lines as the marts
    /// saw them, within the years that hold a changed day (no other group can have changed).
    private static func customerChanges(_ db: Database, calendar: Columnar.Calendar, catalog: Columnar.Catalog, days: [Int32]) throws -> [Int64: Int] {
        let yearOfDate = calendar.periodOfDate[SalesRollups.grains.count - 1]
        let years = Set(days.map { yearOfDate[Int($0)] })
        let inYears = yearOfDate.indices.filter { years.contains(yearOfDate[$0]) }
        guard let first = inYears.first, let last = inYears.last else { return [:] }
        let from = calendar.periods[0][first].start, through = calendar.periods[0][last].start
        func key(_ text: String) -> Int64 { Int64(text.filter(\.isNumber)) ?? 0 }

        /// (customer, group) pairs, sorted and unique.
        func members(_ sql: String) throws -> [(Int64, Int64)] {
            var pairs: [(Int64, Int64)] = []
            try BulkRead.rows(db, sql) { s in
                let customer = sqlite3_column_int64(s, 0)
                guard let p = catalog.productIndex[sqlite3_column_int64(s, 1)], let d = calendar.dateIndex[sqlite3_column_int64(s, 2)] else { return }
                for g in 1..<SalesRollups.grains.count {
                    let period = calendar.periodOfDate[g][Int(d)]
                    for k in Columnar.Key.allCases {
                        pairs.append((customer, memberCode(grain: g, period: period, key: k, keyIndex: k.of(product: p, catalog))))
                    }
                }
            }
            pairs.sort { $0 < $1 }
            var unique: [(Int64, Int64)] = []
            unique.reserveCapacity(pairs.count)
            for pair in pairs where unique.last.map({ $0 != pair }) ?? true { unique.append(pair) }
            return unique
        }
        // The changed customers' revenue lines in those years (`ordered_at` bounds the index range).
        let ofChangedCustomers = """
            SELECT l.customer_key, l.product_key, l.date_key
            FROM temp.mart_customers m CROSS JOIN fct_orders o ON o.customer_key = m.customer_key AND o.ordered_at >= '\(from)'
            JOIN fct_order_lines l ON l.order_key = o.order_key
            WHERE l.is_revenue = 1 AND l.date_key BETWEEN \(key(from)) AND \(key(through))
            """
        let now = try members(ofChangedCustomers)
        let then = try members(ofChangedCustomers + """
             AND o.order_key NOT IN (SELECT order_key FROM etl_mart_changes)
            UNION ALL SELECT customer_key, product_key, date_key FROM etl_mart_change_lines
            WHERE is_revenue = 1 AND date_key BETWEEN \(key(from)) AND \(key(through))
            """)
        // Walk both in order: a pair only now joined its group, a pair only then left it.
        var joined: [Int64: Int] = [:]
        var i = 0, j = 0
        while i < now.count || j < then.count {
            if j == then.count || (i < now.count && now[i] < then[j]) {
                joined[now[i].1, default: 0] += 1
                i += 1
            } else if i == now.count || then[j] < now[i] {
                joined[then[j].1, default: 0] -= 1
                j += 1
            } else {
                i += 1
                j += 1
            }
        }
        return joined
    }
}
