
/// Question 5, continued: how customers come back. Cohort retention by acquisition month,
/// the days between a customer's purchases, and new versus returning customers per month.
public struct CustomerFlow: Sendable, Codable, Equatable {
    /// Month labels ("2019-03") from the first to the last month of the data.
    public var months: [String]
    /// Customers whose first transaction falls in each month.
    public var cohortSizes: [Int]
    /// `retention[cohort][k]`: the share of the cohort with a transaction k months after the
    /// acquisition month (k = 0 is 1 by definition); nil past the data's end.
    public var retention: [[Double?]]
    /// Customers with a transaction in the month whose first transaction was that month / earlier.
    public var newCustomers: [Int]
    public var returningCustomers: [Int]
    /// Days between consecutive transaction days of a customer (same-day transactions are one).
    public var gaps: [Int]

    public init(_ baskets: Baskets) {
        guard let range = baskets.dayRange else {
            months = []; cohortSizes = []; retention = []; newCustomers = []; returningCustomers = []; gaps = []
            return
        }
        let first = Months.index(ofDay: range.lowerBound), last = Months.index(ofDay: range.upperBound)
        let n = last - first + 1
        months = (first...last).map(Months.label)
        var sizes = [Int](repeating: 0, count: n)
        var active = [[Int]](repeating: [Int](repeating: 0, count: n), count: n)
        var new = [Int](repeating: 0, count: n), returning = [Int](repeating: 0, count: n)
        var gaps: [Int] = []
        for c in 0..<baskets.log.customerCount {
            let ts = baskets.customerStart[c]..<baskets.customerStart[c + 1]
            guard let t0 = ts.first else { continue }
            let cohort = Months.index(ofDay: baskets.day(t0)) - first
            sizes[cohort] += 1
            var lastMonth = -1, lastDay = Int.min
            for t in ts {
                let d = baskets.day(t)
                if lastDay != Int.min && d != lastDay { gaps.append(d - lastDay) }
                lastDay = d
                let m = Months.index(ofDay: d) - first
                guard m != lastMonth else { continue }
                lastMonth = m
                active[cohort][m - cohort] += 1
                if m == cohort { new[m] += 1 } else { returning[m] += 1 }
            }
        }
        cohortSizes = sizes
        var retention: [[Double?]] = []
        for c in 0..<n {
            var row: [Double?] = []
            for k in 0..<n {
                row.append(c + k < n && sizes[c] > 0 ? Double(active[c][k]) / Double(sizes[c]) : nil)
            }
            retention.append(row)
        }
        self.retention = retention
        newCustomers = new
        returningCustomers = returning
        self.gaps = gaps
    }

    /// The median gap in days (nil without repeat purchases).
    public var medianGap: Double? {
        guard !gaps.isEmpty else { return nil }
        let s = gaps.sorted()
        return s.count % 2 == 1 ? Double(s[s.count / 2]) : Double(s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// The `q` quantile of the gaps (nearest rank).
    public func gapQuantile(_ q: Double) -> Int? {
        guard !gaps.isEmpty else { return nil }
        let s = gaps.sorted()
        return s[min(s.count - 1, max(0, Int((q * Double(s.count)).rounded(.up)) - 1))]
    }

    /// The mean share of a cohort active k months after acquisition, over cohorts with data at k
    /// (weighted by cohort size).
    public func meanRetention(after k: Int) -> Double? {
        var active = 0.0, size = 0.0
        for (c, row) in retention.enumerated() where k < row.count {
            if let r = row[k] { active += r * Double(cohortSizes[c]); size += Double(cohortSizes[c]) }
        }
        return size > 0 ? active / size : nil
    }
}
