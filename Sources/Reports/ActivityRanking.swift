/// Question 1: customers ranked by their number of transactions, and how concentrated
/// purchasing is (the share of transactions the top 1%, 10%, 20% of customers make).
public struct ActivityRanking: Sendable, Codable, Equatable {
    public struct Customer: Sendable, Codable, Equatable {
        public var id: String
        public var transactions: Int
        /// The customer's share of all transactions.
        public var share: Double
    }

    /// Transactions per customer, most active first (ties by customer id, for determinism).
    public var counts: [Int]
    public var totalTransactions: Int
    /// The most active customers, in rank order.
    public var top: [Customer]
    /// Share of transactions made by the top 1%, 10% and 20% of customers (rounded up to whole customers).
    public var topShares: [Double: Double]

    public init(_ baskets: Baskets, topCustomers: Int = 10) {
        let per = baskets.perCustomer
        let ids = baskets.log.customerIDs
        let order = per.indices.sorted { per[$0] != per[$1] ? per[$0] > per[$1] : ids[$0] < ids[$1] }
        counts = order.map { per[$0] }
        totalTransactions = counts.reduce(0, +)
        let total = Double(max(1, totalTransactions))
        top = order.prefix(topCustomers).map { Customer(id: ids[$0], transactions: per[$0], share: Double(per[$0]) / total) }
        var shares: [Double: Double] = [:]
        for f in [0.01, 0.1, 0.2] { shares[f] = Self.share(ofTop: f, counts: counts, total: total) }
        topShares = shares
    }

    /// The share of transactions made by the top `fraction` of customers.
    public func share(ofTop fraction: Double) -> Double { Self.share(ofTop: fraction, counts: counts, total: Double(max(1, totalTransactions))) }

    static func share(ofTop fraction: Double, counts: [Int], total: Double) -> Double {
        guard !counts.isEmpty else { return 0 }
        let n = min(counts.count, max(1, Int((Double(counts.count) * fraction).rounded(.up))))
        return Double(counts.prefix(n).reduce(0, +)) / total
    }

    /// The cumulative share of transactions after each rank (the concentration curve).
    public var cumulativeShare: [Double] {
        var running = 0, out: [Double] = []
        out.reserveCapacity(counts.count)
        let total = Double(max(1, totalTransactions))
        for c in counts { running += c; out.append(Double(running) / total) }
        return out
    }
}
