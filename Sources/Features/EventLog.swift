import Ingestion

/// The forecasting protocol's view of a transaction log: events, one per distinct
/// (customer, calendar day) with at least one row, the event's value the sum of its rows'
/// amounts. Grouped by customer (same customer numbering as the log), days ascending.
///
/// Prefix sums make every feature for a cutoff a few binary searches per customer:
/// `cumulativeValue[i]` is the value of the customer's events before event `i`, and
/// `cumulativeSquaredGap[i]` the sum of squared gaps between consecutive events before `i`.
public struct EventLog: Sendable {
    public let customerIDs: [String]
    /// `customerCount + 1` offsets into the event arrays.
    public let offsets: [Int]
    /// Day number (days since 1970-01-01) of each event.
    public let day: [Int32]
    /// Sum of the event's row amounts (0 when the log has no amounts).
    public let value: [Double]
    /// Per customer, running sums over its events; index `offsets[c] + k` holds the sum over
    /// the customer's first `k` events. Length `events + customers`.
    let cumulativeValue: [Double]
    let cumulativeSquaredGap: [Double]
    /// Distinct products among the rows before each event (rows of the same day counted
    /// with their event); empty when the log has no products.
    let distinctProductsThrough: [Int32]
    /// First and last event day of the whole log.
    public let firstDay: Int
    public let lastDay: Int

    public var customerCount: Int { customerIDs.count }
    public var eventCount: Int { day.count }
    public var hasProducts: Bool { !distinctProductsThrough.isEmpty }

    /// Collapses `log`'s rows into events.
    public init(_ log: TransactionLog) {
        var offsets = [0]
        offsets.reserveCapacity(log.customerCount + 1)
        var day: [Int32] = []
        var value: [Double] = []
        var cumValue: [Double] = []
        var cumGap: [Double] = []
        var products: [Int32] = []
        day.reserveCapacity(log.rowCount)
        value.reserveCapacity(log.rowCount)
        let hasProducts = log.hasProducts
        var seen = Set<Int32>()
        var first = Int.max, last = Int.min
        for c in 0..<log.customerCount {
            var running = 0.0
            cumValue.append(0)
            cumGap.append(0)
            seen.removeAll(keepingCapacity: true)
            var previous = Int.min
            for r in log.rows(ofCustomer: c) {
                let d = log.day(r)
                let amount = log.hasAmounts ? log.amount[r] : 0
                if hasProducts { seen.insert(log.product[r]) }
                if d != previous {
                    day.append(Int32(d))
                    value.append(amount)
                    if hasProducts { products.append(Int32(seen.count)) }
                    previous = d
                    first = min(first, d); last = max(last, d)
                } else {
                    value[value.count - 1] += amount
                    if hasProducts { products[products.count - 1] = Int32(seen.count) }
                }
            }
            // Running sums are written after the customer's events are known.
            let lo = offsets[offsets.count - 1]
            for i in lo..<day.count {
                running += value[i]
                cumValue.append(running)
            }
            var gapSum = 0.0
            for i in lo..<day.count {
                if i > lo { let g = Double(day[i] - day[i - 1]); gapSum += g * g }
                cumGap.append(gapSum)
            }
            offsets.append(day.count)
        }
        self.customerIDs = log.customerIDs
        self.offsets = offsets
        self.day = day
        self.value = value
        self.cumulativeValue = cumValue
        self.cumulativeSquaredGap = cumGap
        self.distinctProductsThrough = products
        self.firstDay = first == Int.max ? 0 : first
        self.lastDay = last == Int.min ? 0 : last
    }

    /// The events of customer `c`.
    @inlinable
    public func events(ofCustomer c: Int) -> Range<Int> { offsets[c]..<offsets[c + 1] }

    /// Index of the customer's first event on or after `day` (binary search).
    @inlinable
    public func firstEvent(ofCustomer c: Int, onOrAfter target: Int) -> Int {
        var lo = offsets[c], hi = offsets[c + 1]
        let t = Int32(clamping: target)
        while lo < hi {
            let mid = (lo + hi) >> 1
            if day[mid] < t { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    // Customer c's running sums start at offsets[c] + c (each earlier customer contributed
    // its events plus one leading zero); entry k covers the customer's first k events.

    /// Sum of values of the customer's events with index in `offsets[c] ..< i`.
    @inline(__always)
    func valueBefore(customer c: Int, event i: Int) -> Double { cumulativeValue[i + c] }

    /// Sum of squared gaps between consecutive events among `offsets[c] ..< i`.
    @inline(__always)
    func squaredGapsBefore(customer c: Int, event i: Int) -> Double { cumulativeSquaredGap[i + c] }
}
