/// The shop's tables after the row checks and the referential checks, in canonical form:
/// every reference is a row index into the table it points to, so nothing here can be an
/// orphan. Both source layouts (``ShopMapping/Layout``) end up in this shape; the warehouse
/// loads it and the transaction log is assembled from it.
public struct ShopTables: Sendable {
    /// One row per accepted customer; missing text is "", a missing signup date `Int64.min`.
    public struct Customers: Sendable {
        public var id: [String] = []
        public var name: [String] = [], email: [String] = [], phone: [String] = [], street: [String] = []
        public var city: [String] = [], state: [String] = [], zip: [String] = []
        /// Seconds since 1970 UTC, `Int64.min` when missing.
        public var signupSeconds: [Int64] = []
        public var count: Int { id.count }
    }

    /// One row per accepted product; a missing price is NaN.
    public struct Products: Sendable {
        public var id: [String] = [], name: [String] = [], category: [String] = [], availability: [String] = []
        public var price: [Double] = []
        public var count: Int { id.count }
    }

    /// One row per accepted order.
    public struct Orders: Sendable {
        public var id: [String] = []
        /// Row in ``ShopTables/customers``.
        public var customer: [Int32] = []
        public var seconds: [Int64] = []
        /// "" when the source has no status.
        public var status: [String] = []
        public var count: Int { id.count }
    }

    /// One row per accepted order line; (order, product) is unique.
    public struct Lines: Sendable {
        /// Row in ``ShopTables/orders``.
        public var order: [Int32] = []
        /// Row in ``ShopTables/products``.
        public var product: [Int32] = []
        public var quantity: [Double] = []
        public var unitPrice: [Double] = []
        public var count: Int { order.count }
    }

    /// The folder read.
    public var source: String
    /// `shop` or `sales-orders`.
    public var layout: String
    public var customers = Customers()
    public var products = Products()
    public var orders = Orders()
    public var lines = Lines()
    /// Order statuses whose lines are kept out of revenue and the transaction log (compared
    /// case-insensitively); such orders stay in the tables with their status.
    public var excludedStatuses: [String]
    /// Per source table: rows read, accepted and rejected, and why.
    public var tableQuality: [TableQuality] = []
    /// Every rejected row of every table, with file, line, column and reason.
    public var rejects: [RejectedRow] = []

    public init(source: String, layout: String, excludedStatuses: [String]) {
        self.source = source
        self.layout = layout
        self.excludedStatuses = excludedStatuses
    }

    /// True when an order with this status is not revenue.
    public func isExcluded(status: String) -> Bool {
        excludedStatuses.contains { $0.lowercased() == status.lowercased() }
    }

    /// The transaction log (one row per line of a non-excluded order) and the quality report.
    public func ingestResult(rules: QualityRules) -> IngestResult {
        let excludedOrder = excludedOrders()
        var rows = UngroupedTransactions(customer: [], customerIDs: customers.id, seconds: [])
        rows.productIDs = products.id
        var excluded = 0
        for i in 0..<lines.count {
            let o = Int(lines.order[i])
            if excludedOrder[o] { excluded += 1; continue }
            rows.customer.append(orders.customer[o])
            rows.seconds.append(orders.seconds[o])
            rows.product.append(lines.product[i])
            rows.quantity.append(lines.quantity[i])
            rows.amount.append(lines.quantity[i] * lines.unitPrice[i])
            rows.order.append(Int32(o))
        }
        let grouping = TransactionLog.grouping(rows)
        let report = QualityReport(source: source, layout: layout, tables: tableQuality,
                                   log: .assess(grouping.log, excludedByStatus: excluded, rules: rules),
                                   rules: rules.descriptions)
        return IngestResult(log: grouping.log, rejects: rejects, report: report)
    }

    /// For each order row, whether its status is excluded (statuses are few: decided once each).
    public func excludedOrders() -> [Bool] {
        var decided: [String: Bool] = [:]
        return orders.status.map { s in
            if let d = decided[s] { return d }
            let d = isExcluded(status: s)
            decided[s] = d
            return d
        }
    }
}
