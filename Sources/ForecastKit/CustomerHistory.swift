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
        var seen: [String: Int] = [:]
        var rows = UngroupedTransactions(customer: [], customerIDs: [], seconds: [])
        let withProducts = !histories.isEmpty && histories.allSatisfy { $0.purchases.allSatisfy { $0.product != nil } }
        var productIndex: [String: Int32] = [:]
        for (h, history) in histories.enumerated() {
            let at = "histories[\(h)]"
            guard !history.customerID.isEmpty else { throw ForecastInputError(path: at + ".customer_id", "is empty") }
            if let first = seen[history.customerID] {
                throw ForecastInputError(path: at + ".customer_id", "'\(history.customerID)' is also histories[\(first)]: send each customer once")
            }
            seen[history.customerID] = h
            let c = Int32(rows.customerIDs.count)
            rows.customerIDs.append(history.customerID)
            for (p, purchase) in history.purchases.enumerated() {
                let path = "\(at).purchases[\(p)]"
                guard purchase.quantity.isFinite, purchase.quantity >= 0 else {
                    throw ForecastInputError(path: path + ".quantity", "must be a count of 0 or more, got \(purchase.quantity)")
                }
                guard purchase.amount.isFinite, purchase.amount >= 0 else {
                    throw ForecastInputError(path: path + ".amount", "must be an amount of 0 or more, got \(purchase.amount)")
                }
                rows.customer.append(c)
                rows.seconds.append(purchase.seconds)
                rows.quantity.append(purchase.quantity)
                rows.amount.append(purchase.amount)
                if withProducts, let id = purchase.product {
                    let index = productIndex[id] ?? {
                        let next = Int32(rows.productIDs.count)
                        rows.productIDs.append(id)
                        productIndex[id] = next
                        return next
                    }()
                    rows.product.append(index)
                }
            }
        }
        self = TransactionLog.grouping(rows).log
    }
}
