/// The toolkit's canonical transaction data: parallel arrays grouped by customer and sorted
/// by time within each customer.
///
/// Customer `c`'s rows are `offsets[c] ..< offsets[c + 1]`; ids are interned to dense
/// integers (`customerIDs[c]`, `productIDs[p]`). Times are seconds since 1970-01-01 UTC, so
/// the day of a row is `dayNumber(ofSeconds:)` and features for a cutoff are a binary
/// search inside a customer's range. Optional columns are empty arrays when the source had
/// no such column.
public struct TransactionLog: Sendable, Equatable {
    public let customerIDs: [String]
    public let productIDs: [String]
    /// `customerCount + 1` offsets into the row arrays.
    public let offsets: [Int]
    public let seconds: [Int64]
    /// Product code per row; empty without a product column.
    public let product: [Int32]
    /// Quantity per row; 1 when the source had no quantity column.
    public let quantity: [Double]
    /// Line total per row (quantity × unit price, or the amount column); empty without prices.
    public let amount: [Double]
    /// Order code per row; empty without an order column.
    public let order: [Int32]

    public var customerCount: Int { customerIDs.count }
    public var rowCount: Int { seconds.count }
    public var hasProducts: Bool { !product.isEmpty }
    public var hasAmounts: Bool { !amount.isEmpty }

    /// The rows of customer `c`.
    @inlinable
    public func rows(ofCustomer c: Int) -> Range<Int> { offsets[c]..<offsets[c + 1] }

    /// Day number (days since 1970-01-01) of row `i`.
    @inlinable
    public func day(_ i: Int) -> Int { dayNumber(ofSeconds: seconds[i]) }

    /// First and last day with a row, or nil for an empty log.
    public var dayRange: ClosedRange<Int>? {
        guard !seconds.isEmpty else { return nil }
        var lo = Int64.max, hi = Int64.min
        for s in seconds { lo = min(lo, s); hi = max(hi, s) }
        return dayNumber(ofSeconds: lo)...dayNumber(ofSeconds: hi)
    }

    /// Distinct (customer, day) pairs: the "events" of the forecasting protocol.
    public var eventCount: Int {
        var n = 0
        for c in 0..<customerCount {
            var last = Int.min
            for i in rows(ofCustomer: c) {
                let d = day(i)
                if d != last { n += 1; last = d }
            }
        }
        return n
    }

    /// Distinct orders (order codes are global, so this counts distinct codes).
    public var orderCount: Int {
        guard !order.isEmpty else { return 0 }
        var seen = Set<Int32>()
        for o in order { seen.insert(o) }
        return seen.count
    }

    /// Distinct products that occur in the log.
    public var productsInUse: Int {
        guard !product.isEmpty else { return 0 }
        var seen = [Bool](repeating: false, count: productIDs.count)
        var n = 0
        for p in product where p >= 0 && !seen[Int(p)] { seen[Int(p)] = true; n += 1 }
        return n
    }

    public init(customerIDs: [String], productIDs: [String], offsets: [Int], seconds: [Int64],
                product: [Int32], quantity: [Double], amount: [Double], order: [Int32]) {
        self.customerIDs = customerIDs
        self.productIDs = productIDs
        self.offsets = offsets
        self.seconds = seconds
        self.product = product
        self.quantity = quantity
        self.amount = amount
        self.order = order
    }
}

/// Rows in file order, before grouping; the input of ``TransactionLog/grouping(_:)``.
public struct UngroupedTransactions: Sendable {
    public var customer: [Int32]
    public var customerIDs: [String]
    public var seconds: [Int64]
    public var product: [Int32] = []
    public var productIDs: [String] = []
    public var quantity: [Double] = []
    public var amount: [Double] = []
    public var order: [Int32] = []
    /// Source line of each row (for rejects found while grouping); may be empty.
    public var lines: [Int32] = []

    public init(customer: [Int32], customerIDs: [String], seconds: [Int64]) {
        self.customer = customer
        self.customerIDs = customerIDs
        self.seconds = seconds
    }
}

extension TransactionLog {
    /// What grouping found: the log, and the rows that were exact duplicates of an earlier
    /// row (same customer, time, product, quantity and amount), by position in the input.
    public struct Grouping: Sendable {
        public var log: TransactionLog
        /// Input positions of rows identical to another row, after the first of each group.
        public var duplicatePositions: [Int]
    }

    /// Groups rows by customer (customers numbered by first appearance; customers without
    /// rows are dropped) and sorts each customer's rows by time, then product, quantity and
    /// amount, so that exact duplicates are adjacent. With `dropDuplicates` they are removed.
    public static func grouping(_ t: UngroupedTransactions, dropDuplicates: Bool = false) -> Grouping {
        let n = t.customer.count
        // Compact customer codes to those with rows, numbered by first appearance.
        var newCode = [Int32](repeating: -1, count: t.customerIDs.count)
        var ids: [String] = []
        var counts: [Int] = []
        for c in t.customer {
            if newCode[Int(c)] < 0 { newCode[Int(c)] = Int32(ids.count); ids.append(t.customerIDs[Int(c)]); counts.append(0) }
            counts[Int(newCode[Int(c)])] += 1
        }
        var offsets = [Int](repeating: 0, count: ids.count + 1)
        for c in 0..<ids.count { offsets[c + 1] = offsets[c] + counts[c] }
        // Stable counting sort: perm[destination] = source position.
        var perm = [Int](repeating: 0, count: n)
        var next = Array(offsets.dropLast())
        for i in 0..<n {
            let c = Int(newCode[Int(t.customer[i])])
            perm[next[c]] = i
            next[c] += 1
        }
        // Plain local arrays: the comparators run n log n times and must not copy `t`.
        let sec = t.seconds, prod = t.product, qty = t.quantity, amt = t.amount
        let hasP = !prod.isEmpty, hasQ = !qty.isEmpty, hasA = !amt.isEmpty
        func less(_ a: Int, _ b: Int) -> Bool {
            if sec[a] != sec[b] { return sec[a] < sec[b] }
            if hasP, prod[a] != prod[b] { return prod[a] < prod[b] }
            if hasQ, qty[a] != qty[b] { return qty[a] < qty[b] }
            if hasA, amt[a] != amt[b] { return amt[a] < amt[b] }
            return a < b
        }
        func same(_ a: Int, _ b: Int) -> Bool {
            sec[a] == sec[b] && (!hasP || prod[a] == prod[b]) && (!hasQ || qty[a] == qty[b])
                && (!hasA || amt[a] == amt[b] || (amt[a].isNaN && amt[b].isNaN))
        }
        var duplicates: [Int] = []
        perm.withUnsafeMutableBufferPointer { pm in
            for c in 0..<ids.count {
                let lo = offsets[c], hi = offsets[c + 1]
                if hi - lo > 1 {
                    var sorted = true
                    for i in (lo + 1)..<hi where !less(pm[i - 1], pm[i]) { sorted = false; break }
                    if !sorted { pm[lo..<hi].sort(by: less) }
                    for i in (lo + 1)..<hi where same(pm[i - 1], pm[i]) { duplicates.append(pm[i]) }
                }
            }
        }
        if dropDuplicates, !duplicates.isEmpty {
            let drop = Set(duplicates)
            var kept: [Int] = []
            kept.reserveCapacity(n - drop.count)
            var newOffsets = [0]
            for c in 0..<ids.count {
                for i in offsets[c]..<offsets[c + 1] where !drop.contains(perm[i]) { kept.append(perm[i]) }
                newOffsets.append(kept.count)
            }
            perm = kept
            offsets = newOffsets
        }
        func gather<T>(_ a: [T]) -> [T] { a.isEmpty ? [] : perm.map { a[$0] } }
        let log = TransactionLog(customerIDs: ids, productIDs: t.productIDs, offsets: offsets,
                                 seconds: gather(t.seconds), product: gather(t.product),
                                 quantity: t.quantity.isEmpty ? [Double](repeating: 1, count: perm.count) : gather(t.quantity),
                                 amount: gather(t.amount), order: gather(t.order))
        return Grouping(log: log, duplicatePositions: duplicates.sorted())
    }
}
