import Core
import Foundation

/// Question 3: the products that drove the most sales over the months before a date, and how
/// their ranks moved month by month.
public struct TopProducts: Sendable, Codable, Equatable {
    public enum Measure: String, Sendable, Codable, CaseIterable { case transactions, revenue }

    public struct Entry: Sendable, Codable, Equatable {
        public var rank: Int
        public var product: String
        public var transactions: Int
        /// Revenue of the product's lines (nil when the data have no amounts).
        public var revenue: Double?
        /// The share of the window's transactions that included the product (or its share of revenue).
        public var share: Double
    }

    /// The ranking at one date: the window is [asOf - months, asOf], whole days.
    public struct Ranking: Sendable, Codable, Equatable {
        public var asOf: String
        public var windowStart: String
        public var entries: [Entry]
    }

    public var measure: Measure
    public var months: Int
    public var top: Int
    public var ranking: Ranking
    /// The month ends before `asOf` (oldest first) and `asOf` itself, for the rank chart ...
    public var historyDates: [String]
    /// ... and at each, the rank of every product in `ranking` (nil when it sold nothing in that window).
    public var historyRanks: [[Int?]]

    /// Why products could not be ranked.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        /// The data have no product column.
        case noProducts
        /// Ranking by ``Measure/revenue`` needs amounts or prices, and the data have none.
        case noAmounts
        /// A window of fewer than one month (the months asked for).
        case windowTooShort(months: Int)
        /// Fewer than one product to keep (the number asked for).
        case emptyTop(top: Int)

        public var description: String {
            switch self {
            case .noProducts: return "the data have no product column, so products cannot be ranked"
            case .noAmounts: return "ranking by revenue needs amounts or prices, and the data have none"
            case .windowTooShort(let months): return "the window must be at least 1 month (got \(months))"
            case .emptyTop(let top): return "the ranking must keep at least 1 product (got \(top))"
            }
        }
    }

    /// Ranks products by `measure` over the `months` months up to and including `asOf` (a day
    /// number), keeping `top`; the history ranks the same products at each of the previous
    /// `historyMonths` month ends.
    public init(_ baskets: Baskets, asOf: Int, months: Int = 6, top: Int = 5, by measure: Measure = .transactions, historyMonths: Int = 12) throws {
        let log = baskets.log
        guard log.hasProducts else { throw Problem.noProducts }
        guard measure == .transactions || log.hasAmounts else { throw Problem.noAmounts }
        guard months >= 1 else { throw Problem.windowTooShort(months: months) }
        guard top >= 1 else { throw Problem.emptyTop(top: top) }
        self.measure = measure; self.months = months; self.top = top
        // One pass collects (day, product, revenue) per transaction and product; each window
        // is then a filtered sum over it.
        let dayRange = baskets.dayRange ?? asOf...asOf
        let firstDay = min(dayRange.lowerBound, asOf)
        let productCount = log.productIDs.count
        var events: [(day: Int, product: Int, revenue: Double)] = []
        baskets.forEachProduct { t, p in
            var revenue = 0.0
            if log.hasAmounts {
                for i in baskets.rowStart[t]..<baskets.rowStart[t + 1] where Int(log.product[i]) == p { revenue += log.amount[i] }
            }
            events.append((baskets.day(t), p, revenue))
        }
        func rank(until end: Int) -> (tx: [Int], rev: [Double], order: [Int]) {
            let start = Self.windowStart(asOf: end, months: months)
            var tx = [Int](repeating: 0, count: productCount), rev = [Double](repeating: 0, count: productCount)
            for e in events where e.day >= start && e.day <= end { tx[e.product] += 1; rev[e.product] += e.revenue }
            let ids = log.productIDs
            let order = (0..<productCount).filter { tx[$0] > 0 }.sorted { a, b in
                let (va, vb) = measure == .transactions ? (Double(tx[a]), Double(tx[b])) : (rev[a], rev[b])
                if va != vb { return va > vb }
                if tx[a] != tx[b] { return tx[a] > tx[b] }
                return ids[a] < ids[b]
            }
            return (tx, rev, order)
        }
        let now = rank(until: asOf)
        // Shares of the window's transactions (a basket with several products counts once).
        let start = Self.windowStart(asOf: asOf, months: months)
        let totalTx = Double(max(1, (0..<baskets.count).reduce(0) { $0 + (baskets.day($1) >= start && baskets.day($1) <= asOf ? 1 : 0) }))
        let totalRev = now.rev.reduce(0, +)
        let chosen = Array(now.order.prefix(top))
        ranking = Ranking(asOf: CivilDate(dayNumber: asOf).description, windowStart: CivilDate(dayNumber: Self.windowStart(asOf: asOf, months: months)).description,
                          entries: chosen.enumerated().map { k, p in
                              Entry(rank: k + 1, product: log.productIDs[p], transactions: now.tx[p], revenue: log.hasAmounts ? now.rev[p] : nil,
                                    share: measure == .transactions ? Double(now.tx[p]) / totalTx : (totalRev > 0 ? now.rev[p] / totalRev : 0))
                          })
        // Month ends before asOf, oldest first, not before the data's first month.
        var dates: [String] = [], ranks: [[Int?]] = []
        let asOfMonth = Months.index(ofDay: asOf)
        for back in stride(from: historyMonths - 1, through: 1, by: -1) {
            let end = Months.firstDay(asOfMonth - back + 1) - 1
            guard end >= firstDay else { continue }
            let r = rank(until: end)
            var position = [Int: Int]()
            for (k, p) in r.order.enumerated() { position[p] = k + 1 }
            dates.append(CivilDate(dayNumber: end).description)
            ranks.append(chosen.map { position[$0] })
        }
        dates.append(ranking.asOf)
        ranks.append(chosen.indices.map { $0 + 1 })
        historyDates = dates
        historyRanks = ranks
    }

    /// The first day of the window that ends on `asOf` and spans `months` calendar months:
    /// the day after `asOf`, `months` months earlier (clamped to the month's length), so the
    /// 6 months to 2019-06-30 start on 2019-01-01.
    public static func windowStart(asOf: Int, months: Int) -> Int {
        let next = CivilDate(dayNumber: asOf + 1)
        let m = next.year * 12 + next.month - 1 - months
        let first = CivilDate(year: m / 12, month: m % 12 + 1, day: 1)
        let daysInMonth = first.firstOfMonth(adding: 1).dayNumber - first.dayNumber
        return first.dayNumber + min(next.day, daysInMonth) - 1
    }

    /// The ranking as text, JSON or CSV.
    public func render(_ format: String) throws -> String {
        switch format {
        case "json":
            return try TextQuoting.jsonText(self)
        case "csv":
            var out = "rank,product,transactions,revenue,share\n"
            for e in ranking.entries {
                out += "\(e.rank),\(TextQuoting.csv(e.product)),\(e.transactions),\(e.revenue.map { String(format: "%.2f", $0) } ?? ""),\(String(format: "%.6f", e.share))\n"
            }
            return out
        default:
            var out = "Top \(top) products by \(measure.rawValue), \(ranking.windowStart) to \(ranking.asOf) (\(months) months)\n"
            let width = max(7, ranking.entries.map(\.product.count).max() ?? 0)
            out += "rank  " + "product".padding(toLength: width, withPad: " ", startingAt: 0) + "  transactions       revenue   share\n"
            for e in ranking.entries {
                let revenue = e.revenue.map { String(format: "%12.2f", $0) } ?? String(repeating: " ", count: 11) + "-"
                out += String(format: "%4d  ", e.rank) + e.product.padding(toLength: width, withPad: " ", startingAt: 0)
                    + String(format: "  %12d  ", e.transactions) + revenue + String(format: "  %5.1f%%\n", e.share * 100)
            }
            if ranking.entries.isEmpty { out += "(no product sold in this window)\n" }
            return out
        }
    }
}
