import Core
import Foundation
import Ingestion

/// The log's transactions ("baskets"): rows of one customer that share a timestamp (and an
/// order, when the source has orders) are one transaction, whatever number of lines it has.
///
/// All the customer-dynamics questions count transactions this way, so a three-line order is
/// one transaction, and CDNOW's one-row purchases are one each.
public struct Baskets: Sendable {
    /// Customer index (into `log.customerIDs`) per transaction, grouped by customer.
    public let customer: [Int32]
    public let seconds: [Int64]
    /// The transaction's total amount (0 when the log has no amounts).
    public let amount: [Double]
    /// Transaction `t`'s rows are `rowStart[t] ..< rowStart[t + 1]`.
    public let rowStart: [Int]
    /// `customerStart[c] ..< customerStart[c + 1]` are customer `c`'s transactions, in time order.
    public let customerStart: [Int]
    public let log: TransactionLog

    public var count: Int { customer.count }

    public init(_ log: TransactionLog) {
        self.log = log
        var customer: [Int32] = [], seconds: [Int64] = [], amount: [Double] = [], rowStart: [Int] = []
        var customerStart = [0]
        customerStart.reserveCapacity(log.customerCount + 1)
        for c in 0..<log.customerCount {
            var previous: (Int64, Int32)?
            for i in log.rows(ofCustomer: c) {
                let key = (log.seconds[i], log.order.isEmpty ? -1 : log.order[i])
                if previous == nil || previous! != key {
                    customer.append(Int32(c)); seconds.append(log.seconds[i]); amount.append(0); rowStart.append(i)
                    previous = key
                }
                if log.hasAmounts { amount[amount.count - 1] += log.amount[i] }
            }
            customerStart.append(customer.count)
        }
        rowStart.append(log.rowCount)
        self.customer = customer; self.seconds = seconds; self.amount = amount; self.rowStart = rowStart; self.customerStart = customerStart
    }

    /// The day number of transaction `t`.
    public func day(_ t: Int) -> Int { dayNumber(ofSeconds: seconds[t]) }

    /// Transactions per customer, indexed like `log.customerIDs`.
    public var perCustomer: [Int] { (0..<log.customerCount).map { customerStart[$0 + 1] - customerStart[$0] } }

    /// First and last day with a transaction, or nil when there are none.
    public var dayRange: ClosedRange<Int>? { log.dayRange }

    /// Whether any timestamp carries a time of day (CDNOW has dates only).
    public var hasTimeOfDay: Bool { seconds.contains { $0 % 86_400 != 0 } }

    /// Calls `body(t, p)` once per transaction `t` and distinct product `p` in it.
    public func forEachProduct(_ body: (Int, Int) -> Void) {
        guard log.hasProducts else { return }
        var seenIn = [Int](repeating: -1, count: log.productIDs.count)
        for t in 0..<count {
            for i in rowStart[t]..<rowStart[t + 1] {
                let p = Int(log.product[i])
                if seenIn[p] != t { seenIn[p] = t; body(t, p) }
            }
        }
    }
}

/// Month arithmetic on day numbers.
enum Months {
    /// Months since year 0 of a day number.
    static func index(ofDay d: Int) -> Int {
        let date = CivilDate(dayNumber: d)
        return date.year * 12 + date.month - 1
    }
    /// The first day of month `m`.
    static func firstDay(_ m: Int) -> Int { CivilDate(year: m / 12, month: m % 12 + 1, day: 1).dayNumber }
    /// "2019-03".
    static func label(_ m: Int) -> String { String(format: "%04d-%02d", m / 12, m % 12 + 1) }
}
