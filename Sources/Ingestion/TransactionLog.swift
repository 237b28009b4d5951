import Core
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

    /// Groups rows by customer and sorts each customer's rows by time, keeping file order
    /// among equal times. Customers keep the order of their codes (ids are interned in order
    /// of first appearance); customers without rows are dropped. Exact duplicates (same
    /// customer, time, product, quantity and amount) can only share a timestamp, so they are
    /// found by comparing rows within each run of equal times (usually one order's lines).
    /// With `dropDuplicates` they are removed.
    ///
    /// A counting sort that scatters whole rows: the columns are read in file order and each
    /// row is written, as one 40-byte record, to its customer's next slot. One random write
    /// per row costs far less than a random read per column, and the per-customer work then
    /// runs on contiguous memory.
    /// The input is consumed: its columns are released as soon as the rows are scattered,
    /// so the input and the output are never both in memory in full.
    public static func grouping(_ t: consuming UngroupedTransactions, dropDuplicates: Bool = false) -> Grouping {
        struct Row {
            var seconds: Int64
            var amount: Double
            var quantity: Double
            var product: Int32
            var order: Int32
            var origin: Int32
        }
        let n = t.customer.count
        precondition(n < Int(Int32.max), "more than 2^31 rows")
        var counts = [Int](repeating: 0, count: t.customerIDs.count)
        for c in t.customer { counts[Int(c)] += 1 }
        var ids: [String] = []
        var offsets = [0]
        var next = [Int](repeating: 0, count: t.customerIDs.count)  // next slot per code
        for code in 0..<counts.count where counts[code] > 0 {
            ids.append(t.customerIDs[code])
            next[code] = offsets[offsets.count - 1]
            offsets.append(offsets[offsets.count - 1] + counts[code])
        }
        counts = []
        let hasP = !t.product.isEmpty, hasQ = !t.quantity.isEmpty, hasA = !t.amount.isEmpty, hasO = !t.order.isEmpty
        let productIDs = t.productIDs
        // Plain local arrays with the same length as the rows (no optional columns in the loop);
        // `t` lets go of its columns, so they are freed after the scatter.
        var seconds = t.seconds, customer = t.customer
        var amount = hasA ? t.amount : [Double](repeating: .nan, count: n)
        var quantity = hasQ ? t.quantity : [Double](repeating: 1, count: n)
        var product = hasP ? t.product : [Int32](repeating: -1, count: n)
        var order = hasO ? t.order : [Int32](repeating: -1, count: n)
        t = UngroupedTransactions(customer: [], customerIDs: [], seconds: [])
        let rowMemory = HugePageMemory.allocate(Row.self, count: n)
        defer { HugePageMemory.deallocate(rowMemory, count: n) }
        next.withUnsafeMutableBufferPointer { nx in
            for i in 0..<n {
                let c = Int(customer[i])
                (rowMemory + nx[c]).initialize(to: Row(seconds: seconds[i], amount: amount[i], quantity: quantity[i],
                                                       product: product[i], order: order[i], origin: Int32(i)))
                nx[c] += 1
            }
        }
        next = []
        seconds = []; customer = []; amount = []; quantity = []; product = []; order = []
        var rows = UnsafeMutableBufferPointer(start: rowMemory, count: n)

        // Per customer: restore time order where the file was not sorted, then find duplicates.
        var duplicateRows: [Int] = []  // positions in `rows`
        do {
            let r = rows
            for c in 0..<ids.count {
                let lo = offsets[c], hi = offsets[c + 1]
                guard hi - lo > 1 else { continue }
                var sorted = true
                for i in (lo + 1)..<hi where r[i - 1].seconds > r[i].seconds { sorted = false; break }
                if !sorted { r[lo..<hi].sort { ($0.seconds, $0.origin) < ($1.seconds, $1.origin) } }
                var i = lo
                while i < hi {
                    var j = i + 1
                    while j < hi, r[j].seconds == r[i].seconds { j += 1 }
                    if j - i > 1 {
                        for a in (i + 1)..<j where (i..<a).contains(where: { b in
                            r[a].product == r[b].product && r[a].quantity == r[b].quantity
                                && (r[a].amount == r[b].amount || (r[a].amount.isNaN && r[b].amount.isNaN))
                        }) {
                            duplicateRows.append(a)
                        }
                    }
                    i = j
                }
            }
        }
        let duplicatePositions = duplicateRows.map { Int(rows[$0].origin) }.sorted()
        if dropDuplicates, !duplicateRows.isEmpty {
            // Compact in place: rows only move towards the front.
            var drop = [Bool](repeating: false, count: n)
            for r in duplicateRows { drop[r] = true }
            var kept = 0
            var newOffsets = [0]
            for c in 0..<ids.count {
                for r in offsets[c]..<offsets[c + 1] where !drop[r] { rows[kept] = rows[r]; kept += 1 }
                newOffsets.append(kept)
            }
            rows = UnsafeMutableBufferPointer(rebasing: rows[0..<kept])
            offsets = newOffsets
        }
        func column<T>(_ value: (Row) -> T) -> [T] {
            [T](unsafeUninitializedCapacity: rows.count) { out, count in
                for i in 0..<rows.count { out.initializeElement(at: i, to: value(rows[i])) }
                count = rows.count
            }
        }
        let log = TransactionLog(customerIDs: ids, productIDs: productIDs, offsets: offsets,
                                 seconds: column { $0.seconds }, product: hasP ? column { $0.product } : [],
                                 quantity: column { $0.quantity }, amount: hasA ? column { $0.amount } : [],
                                 order: hasO ? column { $0.order } : [])
        return Grouping(log: log, duplicatePositions: duplicatePositions)
    }
}
