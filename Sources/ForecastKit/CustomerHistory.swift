import Ingestion

/// One purchase line of a customer: when, how many, for how much (the line total), and
/// optionally which product.
public struct Purchase: Sendable, Equatable {
    /// Seconds since 1970-01-01T00:00:00Z.
    public var seconds: Int64
    public var quantity: Double
    /// The line total (quantity × unit price).
    public var amount: Double
    /// The product id; the `product_breadth` feature needs it on every purchase.
    public var product: String?

    public init(seconds: Int64, quantity: Double, amount: Double, product: String? = nil) {
        self.seconds = seconds
        self.quantity = quantity
        self.amount = amount
        self.product = product
    }

    /// The times a purchase may have: 0001-01-01 to 9999-12-31 (day numbers must fit the log's 32 bits).
    public static let supportedSeconds: ClosedRange<Int64> = -62_135_596_800...253_402_300_799

    /// A purchase at an ISO 8601 date or date-time (`2019-03-04`, `2019-03-04T12:30:00Z`,
    /// with `T` or a space, an optional offset; zone-less times are UTC).
    public init(timestamp: String, quantity: Double, amount: Double, product: String? = nil) throws {
        guard let seconds = TimestampFormat.iso8601.parse(timestamp) else {
            throw ForecastInputError(path: "timestamp", "'\(timestamp)' is not \(TimestampFormat.iso8601.example)")
        }
        self.init(seconds: seconds, quantity: quantity, amount: amount, product: product)
    }
}

/// A customer's purchases, in any order: what a service sends instead of a whole log.
public struct CustomerHistory: Sendable, Equatable {
    public var customerID: String
    public var purchases: [Purchase]

    public init(customerID: String, purchases: [Purchase]) {
        self.customerID = customerID
        self.purchases = purchases
    }

    /// Whether every purchase names its product: only then does their log have products.
    public static func allNameProducts(_ histories: [CustomerHistory]) -> Bool {
        histories.allSatisfy { $0.purchases.allSatisfy { $0.product != nil } }
    }
}

/// A request's input that cannot be used, with where it is (`histories[2].purchases[0].quantity`).
public struct ForecastInputError: Error, Equatable, CustomStringConvertible {
    /// The JSON-style path of the offending value; empty for the input as a whole.
    public var path: String
    public var message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    /// The same error under a parent path (`purchases[0]` + `quantity`).
    func nested(in parent: String) -> ForecastInputError {
        ForecastInputError(path: path.isEmpty ? parent : parent + "." + path, message)
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

extension TransactionLog {
    /// The log of some customers' histories, grouped and sorted as an ingested file would be.
    ///
    /// The ingestion rules' defaults apply: a negative quantity or amount, a non-finite number
    /// or an empty customer id is refused (the error names the purchase), a zero quantity is
    /// kept. The log has products only when every purchase names one. A customer may appear
    /// once; customers without purchases have no rows.
    public init(histories: [CustomerHistory]) throws {
        // Built directly rather than through `grouping`: the rows already come by customer, so
        // each history only needs a stable sort by time (usually none: histories are in order).
        var seen: [String: Int] = [:]
        seen.reserveCapacity(histories.count)
        let rowCount = histories.reduce(0) { $0 + $1.purchases.count }
        let withProducts = rowCount > 0 && CustomerHistory.allNameProducts(histories)
        var customerIDs: [String] = [], productIDs: [String] = [], offsets = [0]
        var seconds: [Int64] = [], quantity: [Double] = [], amount: [Double] = [], product: [Int32] = []
        seconds.reserveCapacity(rowCount); quantity.reserveCapacity(rowCount); amount.reserveCapacity(rowCount)
        var productIndex: [String: Int32] = [:]
        for (h, history) in histories.enumerated() {
            let at = "histories[\(h)]"
            guard !history.customerID.isEmpty else { throw ForecastInputError(path: at + ".customer_id", "is empty") }
            if let first = seen.updateValue(h, forKey: history.customerID) {
                throw ForecastInputError(path: at + ".customer_id", "'\(history.customerID)' is also histories[\(first)]: send each customer once")
            }
            for (p, purchase) in history.purchases.enumerated() {
                guard purchase.quantity.isFinite, purchase.quantity >= 0 else {
                    throw ForecastInputError(path: "\(at).purchases[\(p)].quantity", "must be a count of 0 or more, got \(purchase.quantity)")
                }
                guard Purchase.supportedSeconds.contains(purchase.seconds) else {
                    throw ForecastInputError(path: "\(at).purchases[\(p)].timestamp", "must be in the years 1 to 9999, got \(purchase.seconds) s since 1970")
                }
                guard purchase.amount.isFinite, purchase.amount >= 0 else {
                    throw ForecastInputError(path: "\(at).purchases[\(p)].amount", "must be an amount of 0 or more, got \(purchase.amount)")
                }
            }
            // Customers without purchases have no rows, as in an ingested log.
            guard !history.purchases.isEmpty else { continue }
            let purchases = history.purchases
            let inOrder = zip(purchases, purchases.dropFirst()).allSatisfy { $0.seconds <= $1.seconds }
            let order = inOrder ? Array(purchases.indices)
                : purchases.indices.sorted { (purchases[$0].seconds, $0) < (purchases[$1].seconds, $1) }
            for k in order {
                let purchase = purchases[k]
                seconds.append(purchase.seconds)
                quantity.append(purchase.quantity)
                amount.append(purchase.amount)
                if withProducts, let id = purchase.product {
                    if let index = productIndex[id] {
                        product.append(index)
                    } else {
                        let index = Int32(productIDs.count)
                        productIDs.append(id)
                        productIndex[id] = index
                        product.append(index)
                    }
                }
            }
            customerIDs.append(history.customerID)
            offsets.append(seconds.count)
        }
        self.init(customerIDs: customerIDs, productIDs: productIDs, offsets: offsets, seconds: seconds,
                  product: product, quantity: quantity, amount: amount, order: [])
    }
}
