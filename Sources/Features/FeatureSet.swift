import Core

/// The customer features as of a cutoff day, one definition for training and prediction.
///
/// Every feature for cutoff `c` reads only events with day < c (a test adds and removes
/// events on and after `c` and checks that no value changes). Days are days since
/// 1970-01-01; an event is a distinct (customer, day). Months are calendar months: "k months
/// before c" is the first day of the month k months before c's month.
///
/// | feature | definition |
/// | --- | --- |
/// | `recency_days` | c − day of the last event (≥ 1) |
/// | `freq_total` | events before c |
/// | `freq_30`, `freq_90`, `freq_180`, `freq_365` | events with day in [c − k, c) |
/// | `tenure_days` | c − day of the first event (≥ 1) |
/// | `mean_gap_days` | (last − first) / (freq_total − 1); NaN with one event |
/// | `gap_std_days` | sample standard deviation of the gaps between consecutive events; NaN with fewer than 3 events |
/// | `monetary_total` | sum of event values |
/// | `monetary_mean` | monetary_total / freq_total |
/// | `target_month` | month of year of c (1 ... 12): the month being predicted when c is a month start |
/// | `yoy_same_month` | events in [c − 12 months, c − 11 months), the same month a year earlier; NaN for everyone when that window starts before the log's first event day (not observed) |
/// | `slope_6m`, `slope_12m` | least-squares slope of the event counts in the last 6 (12) monthly windows against time in months (positive: buying more lately); window k = [m_k, m_(k−1)) with m_0 = c and m_k the first day of the month k months before c's month, so for a month-start cutoff the calendar months before c; months before the first event count as 0 |
/// | `product_breadth` | distinct products among the rows before c (only when the log has products) |
///
/// The first twelve are the reference list of `../shared/anchors/features.py` (same
/// definitions), so results can be compared with the Python runs.
public enum FeatureSet {
    /// Bumped whenever a definition changes; saved models record it.
    public static let version = 1

    /// The names of the features every log has, in column order (``Feature/base``).
    public static let baseNames = Feature.base.map(\.name)
    /// The day windows of `freq_30` ... `freq_365`.
    public static let windows = [30, 90, 180, 365]

    /// The feature names for a log with or without products.
    public static func names(withProducts: Bool) -> [String] {
        withProducts ? baseNames + [Feature.productBreadth.name] : baseNames
    }
}

/// Features for the customers with at least one event before the cutoff.
public struct FeatureMatrix: Sendable {
    public let names: [String]
    /// The cutoff day (days since 1970-01-01).
    public let cutoff: Int
    /// Customer index (into the event log) of each row.
    public let customers: [Int32]
    /// `columns[f][row]`.
    public let columns: [[Double]]
    /// Events in [cutoff, first day of the next month) per row: the target when the cutoff
    /// is a month start.
    public let nextMonthEvents: [Double]

    public var rowCount: Int { customers.count }

    /// A matrix from its parts (every column `customers.count` long): for rows built outside
    /// an event log, such as the feature rows a service receives.
    public init(names: [String], cutoff: Int, customers: [Int32], columns: [[Double]], nextMonthEvents: [Double]) {
        precondition(columns.count == names.count && columns.allSatisfy { $0.count == customers.count }
                     && nextMonthEvents.count == customers.count, "FeatureMatrix: ragged columns")
        self.names = names
        self.cutoff = cutoff
        self.customers = customers
        self.columns = columns
        self.nextMonthEvents = nextMonthEvents
    }

    /// The column of a named feature.
    public func column(_ name: String) -> [Double]? {
        names.firstIndex(of: name).map { columns[$0] }
    }
}

extension EventLog {
    /// The feature matrix as of `cutoff` (a day number), computed on `threads` threads over
    /// contiguous ranges of customers (the result does not depend on the thread count).
    ///
    /// About twenty binary searches per customer over its own events and no allocation per
    /// customer.
    ///
    /// `observedSince` is the first day the data cover; by default the log's first event day.
    /// Only `yoy_same_month` reads it (missing when its window starts before that day). A log
    /// of a few customers' histories, cut from a longer record, passes the record's first day,
    /// so its features equal those the whole record gives.
    public func features(asOf cutoff: Int, threads: Int = defaultThreadCount, observedSince: Int? = nil) -> FeatureMatrix {
        let names = FeatureSet.names(withProducts: hasProducts)
        let parts = max(1, min(threads, customerCount / 50_000))
        let pieces = parallelMap(parts) { k in
            featureRows(asOf: cutoff, customers: (customerCount * k / parts)..<(customerCount * (k + 1) / parts), width: names.count,
                        observedSince: observedSince ?? firstDay)
        }
        if pieces.count == 1 {
            let p = pieces[0]
            return FeatureMatrix(names: names, cutoff: cutoff, customers: p.customers, columns: p.columns, nextMonthEvents: p.target)
        }
        return FeatureMatrix(names: names, cutoff: cutoff, customers: pieces.flatMap(\.customers),
                             columns: names.indices.map { f in pieces.flatMap { $0.columns[f] } },
                             nextMonthEvents: pieces.flatMap(\.target))
    }

    /// The features of one customer as of `cutoff` (no row when it has no event before it):
    /// the same values as its row in ``features(asOf:threads:observedSince:)``.
    public func features(asOf cutoff: Int, customer c: Int, observedSince: Int? = nil) -> FeatureMatrix {
        let names = FeatureSet.names(withProducts: hasProducts)
        let p = featureRows(asOf: cutoff, customers: c..<(c + 1), width: names.count, observedSince: observedSince ?? firstDay)
        return FeatureMatrix(names: names, cutoff: cutoff, customers: p.customers, columns: p.columns, nextMonthEvents: p.target)
    }

    private func featureRows(asOf cutoff: Int, customers range: Range<Int>, width: Int, observedSince: Int)
        -> (customers: [Int32], columns: [[Double]], target: [Double]) {
        let start = CivilDate(dayNumber: cutoff)
        // Month boundaries: monthStart[k] = first day of the month k months before c's month;
        // monthly window k is [monthStart[k], monthStart[k - 1]) with monthStart[0] = c.
        var monthStart = [Int32](repeating: 0, count: 13)
        monthStart[0] = Int32(clamping: cutoff)
        for k in 1...12 { monthStart[k] = Int32(clamping: start.firstOfMonth(adding: -k).dayNumber) }
        let nextMonth = start.firstOfMonth(adding: 1).dayNumber
        let yoyObserved = eventCount > 0 && Int(monthStart[12]) >= observedSince
        let targetMonth = Double(start.month)
        let windowStart = FeatureSet.windows.map { Int32(clamping: cutoff - $0) }  // ascending windows: 30, 90, 180, 365
        // The oldest day any window or month reaches back to.
        let horizon = min(windowStart[windowStart.count - 1], monthStart[12])
        let c32 = Int32(clamping: cutoff)

        // A customer has features iff its first event is before the cutoff: size the columns exactly.
        var rowCount = 0
        for c in range where offsets[c] < offsets[c + 1] && day[offsets[c]] < c32 { rowCount += 1 }
        var rows = [Int32](repeating: 0, count: rowCount)
        var target = [Double](repeating: 0, count: rowCount)
        let out = UnsafeMutablePointer<Double>.allocate(capacity: max(1, rowCount * width))
        defer { out.deallocate() }
        var monthly = [Double](repeating: 0, count: 13)
        var r = 0
        day.withUnsafeBufferPointer { day in
            for c in range {
                let lo = offsets[c]
                guard lo < offsets[c + 1], day[lo] < c32 else { continue }
                let n0 = firstEvent(ofCustomer: c, onOrAfter: cutoff)  // one past the last event before c
                let n = n0 - lo
                let first = Int(day[lo]), last = Int(day[n0 - 1])
                // One backward scan over the events of the last year: day windows and months.
                var window = (0, 0, 0, 0)
                for k in 1...12 { monthly[k] = 0 }
                var k = 1
                var i = n0 - 1
                while i >= lo, day[i] >= horizon {
                    let d = day[i]
                    if d >= windowStart[0] { window.0 += 1 }
                    if d >= windowStart[1] { window.1 += 1 }
                    if d >= windowStart[2] { window.2 += 1 }
                    if d >= windowStart[3] { window.3 += 1 }
                    while k <= 12, d < monthStart[k] { k += 1 }
                    if k <= 12 { monthly[k] += 1 }
                    i -= 1
                }
                let row = out + r * width
                row[.recencyDays] = Double(cutoff - last)
                row[.freqTotal] = Double(n)
                row[.freq30] = Double(window.0); row[.freq90] = Double(window.1); row[.freq180] = Double(window.2); row[.freq365] = Double(window.3)
                row[.tenureDays] = Double(cutoff - first)
                if n > 1 {
                    let mean = Double(last - first) / Double(n - 1)
                    row[.meanGapDays] = mean
                    if n > 2 {
                        let gaps = Double(n - 1)
                        let variance = (squaredGapsBefore(customer: c, event: n0) - gaps * mean * mean) / (gaps - 1)
                        row[.gapStdDays] = max(0, variance).squareRoot()
                    } else {
                        row[.gapStdDays] = .nan
                    }
                } else {
                    row[.meanGapDays] = .nan
                    row[.gapStdDays] = .nan
                }
                let total = valueBefore(customer: c, event: n0)
                row[.monetaryTotal] = total
                row[.monetaryMean] = total / Double(n)
                row[.targetMonth] = targetMonth
                row[.yoySameMonth] = yoyObserved ? monthly[12] : .nan
                row[.slope6m] = FeatureMatrix.slope(monthly, months: 6)
                row[.slope12m] = FeatureMatrix.slope(monthly, months: 12)
                if width > Feature.productBreadth.rawValue { row[.productBreadth] = Double(distinctProductsThrough[n0 - 1]) }
                rows[r] = Int32(c)
                target[r] = Double(firstEvent(ofCustomer: c, onOrAfter: nextMonth) - n0)
                r += 1
            }
        }
        // Row-major scratch to columns.
        let columns = (0..<width).map { f in
            [Double](unsafeUninitializedCapacity: rowCount) { col, count in
                for i in 0..<rowCount { col.initializeElement(at: i, to: out[i * width + f]) }
                count = rowCount
            }
        }
        return (rows, columns, target)
    }
}

extension FeatureMatrix {
    /// Least-squares slope of `counts[1...months]` against time x = −k (months before the
    /// cutoff), so a customer buying more lately has a positive slope. Closed form: with
    /// x = −1 ... −K, Σ(x − x̄)² = K(K² − 1)/12.
    @inline(__always)
    static func slope(_ counts: [Double], months k: Int) -> Double {
        var sumY = 0.0, sumXY = 0.0
        for m in 1...k { sumY += counts[m]; sumXY += Double(-m) * counts[m] }
        let meanX = -Double(k + 1) / 2
        let sxx = Double(k * (k * k - 1)) / 12
        return (sumXY - meanX * sumY) / sxx
    }
}

extension UnsafeMutablePointer<Double> {
    /// The value of feature `f` in a row of the row-major scratch (one value per feature, in
    /// ``Feature`` order).
    fileprivate subscript(f: Feature) -> Double {
        get { self[f.rawValue] }
        nonmutating set { self[f.rawValue] = newValue }
    }
}
