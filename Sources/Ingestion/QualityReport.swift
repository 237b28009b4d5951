import Core

/// Quality findings for one source table.
public struct TableQuality: Codable, Sendable, Equatable {
    public var table: String
    public var file: String
    /// Always `rowsRead == rowsAccepted + rowsRejected`.
    public var rowsRead: Int
    public var rowsAccepted: Int
    public var rowsRejected: Int
    public var blankLines: Int
    public var delimiter: String
    public var header: Bool
    public var timestampFormat: String?
    public var timestampFormatDetected: Bool
    public var columns: [ColumnQuality]
    public var rejectsByCategory: [LabelCount]
    /// Exact duplicate rows (kept or rejected according to the rules).
    public var duplicateRows: Int
    /// Rows whose key was already taken by an earlier row (rejected).
    public var duplicateKeys: Int
    /// Broken references by kind, e.g. "item without order" (rejected).
    public var orphans: [LabelCount]
}

/// A customer and their number of events.
public struct CustomerActivity: Codable, Sendable, Equatable {
    public var customer: String
    public var events: Int
}

/// Findings on the assembled transaction log.
public struct LogQuality: Codable, Sendable, Equatable {
    public var rows: Int
    /// Accepted rows kept out of the log because of their order status.
    public var excludedByStatus: Int
    public var customers: Int
    public var products: Int
    public var orders: Int
    /// Distinct (customer, day) pairs.
    public var events: Int
    public var firstDay: String?
    public var lastDay: String?
    public var asOfDay: String
    public var futureTimestamps: Int
    /// 0.1% and 99.9% quantiles of the days, the basis of the "far outside" check.
    public var typicalRange: [String]
    public var farOutsideRange: Int
    public var zeroAmountRows: Int
    public var outlierThresholdEvents: Int
    public var outlierCustomers: Int
    /// The most active customers (at most 10), outliers or not.
    public var mostActiveCustomers: [CustomerActivity]
}

/// The data-quality report written as `quality.json` and `quality.md`.
public struct QualityReport: Codable, Sendable, Equatable {
    public var source: String
    public var layout: String
    public var tables: [TableQuality]
    public var log: LogQuality
    public var rules: [RuleDescription]
    /// A header column that looks like an order status (`status`, `order_status`, ...) when no
    /// status is mapped: every row then counts as a purchase, cancelled orders included. Absent
    /// (nil) otherwise. It costs no row, but it changes what the numbers mean.
    public var unmappedStatusColumn: String? = nil

    /// What ``unmappedStatusColumn`` means, for people; nil when there is none.
    public var unmappedStatusWarning: String? {
        unmappedStatusColumn.map {
            "column \"\($0)\" looks like an order status but is not mapped as one: every row counts as a purchase, cancelled orders included"
        }
    }

    /// Counted over all tables.
    public var rowsRead: Int { tables.reduce(0) { $0 + $1.rowsRead } }
    public var rowsAccepted: Int { tables.reduce(0) { $0 + $1.rowsAccepted } }
    public var rowsRejected: Int { tables.reduce(0) { $0 + $1.rowsRejected } }
}

extension TableQuality {
    init(_ t: ParsedTable, duplicateRows: Int = 0, duplicateKeys: Int = 0, orphans: [LabelCount] = []) {
        var byCategory: [String: Int] = [:]
        for r in t.rejects { byCategory[r.category, default: 0] += 1 }
        self.init(table: t.schema.table, file: t.path, rowsRead: t.rowsRead, rowsAccepted: t.rowsAccepted,
                  rowsRejected: t.rowsRejected, blankLines: t.blankLines, delimiter: t.delimiter.description,
                  header: t.hasHeader, timestampFormat: t.timestampFormat?.rawValue,
                  timestampFormatDetected: t.timestampFormatDetected, columns: t.columnQuality,
                  rejectsByCategory: byCategory.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { LabelCount(label: $0.key, count: $0.value) },
                  duplicateRows: duplicateRows, duplicateKeys: duplicateKeys, orphans: orphans)
    }
}

extension LogQuality {
    /// Runs the log-level checks.
    static func assess(_ log: TransactionLog, excludedByStatus: Int, rules: QualityRules) -> LogQuality {
        // One pass over the rows: events (distinct days) per customer and the day range.
        var events = [Int](repeating: 0, count: log.customerCount)
        var firstDay = Int.max, lastDay = Int.min
        log.seconds.withUnsafeBufferPointer { seconds in
            for c in 0..<log.customerCount {
                var last = Int.min
                for r in log.rows(ofCustomer: c) {
                    let d = dayNumber(ofSeconds: seconds[r])
                    if d != last { events[c] += 1; last = d }
                    firstDay = min(firstDay, d); lastDay = max(lastDay, d)
                }
            }
        }
        let range = log.rowCount > 0 ? firstDay...lastDay : nil
        var q = LogQuality(rows: log.rowCount, excludedByStatus: excludedByStatus, customers: log.customerCount,
                           products: log.hasProducts ? log.productsInUse : 0, orders: log.orderCount,
                           events: events.reduce(0, +), firstDay: range.map { CivilDate(dayNumber: $0.lowerBound).description },
                           lastDay: range.map { CivilDate(dayNumber: $0.upperBound).description },
                           asOfDay: CivilDate(dayNumber: rules.asOfDay).description, futureTimestamps: 0,
                           typicalRange: [], farOutsideRange: 0, zeroAmountRows: 0, outlierThresholdEvents: 0,
                           outlierCustomers: 0, mostActiveCustomers: [])
        guard log.rowCount > 0 else { return q }
        let futureStart = Int64(rules.asOfDay + 1) * 86_400
        // Quantiles from a deterministic systematic sample of at most 200k rows.
        let step = max(1, log.rowCount / 200_000)
        var sample: [Int64] = []
        sample.reserveCapacity(log.rowCount / step + 1)
        var i = 0
        while i < log.rowCount { sample.append(log.seconds[i]); i += step }
        sample.sort()
        let lo = dayNumber(ofSeconds: sample[Int(Double(sample.count - 1) * 0.001)])
        let hi = dayNumber(ofSeconds: sample[Int(Double(sample.count - 1) * 0.999)])
        q.typicalRange = [CivilDate(dayNumber: lo).description, CivilDate(dayNumber: hi).description]
        let farLo = lo - rules.farOutsideDays, farHi = hi + rules.farOutsideDays
        for s in log.seconds {
            if s >= futureStart { q.futureTimestamps += 1 }
            let d = dayNumber(ofSeconds: s)
            if d < farLo || d > farHi { q.farOutsideRange += 1 }
        }
        if log.hasAmounts { q.zeroAmountRows = log.amount.lazy.filter { $0 == 0 }.count }

        // The 99th percentile of events per customer from a histogram (counts are small).
        let maxEvents = events.max() ?? 0
        var histogram = [Int](repeating: 0, count: maxEvents + 1)
        for e in events { histogram[e] += 1 }
        let rank = Int(Double(events.count - 1) * 0.99)
        var p99 = 0, seen = 0
        while seen + histogram[p99] <= rank { seen += histogram[p99]; p99 += 1 }
        let threshold = max(Int(Double(p99) * rules.outlierFactor), p99 + 10)
        q.outlierThresholdEvents = threshold
        q.outlierCustomers = events.lazy.filter { $0 > threshold }.count
        // Top 10 by events, ties by customer id (stable whatever the internal numbering).
        var top: [Int] = []
        for c in events.indices {
            let better = { (a: Int, b: Int) in
                events[a] != events[b] ? events[a] > events[b] : log.customerIDs[a] < log.customerIDs[b]
            }
            if top.count < 10 || better(c, top[top.count - 1]) {
                top.insert(c, at: top.firstIndex { better(c, $0) } ?? top.count)
                if top.count > 10 { top.removeLast() }
            }
        }
        q.mostActiveCustomers = top.map { CustomerActivity(customer: log.customerIDs[$0], events: events[$0]) }
        return q
    }
}
