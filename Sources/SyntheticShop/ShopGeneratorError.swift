/// Settings of the synthetic shop that cannot make a shop.
public enum ShopGeneratorError: Error, Equatable, CustomStringConvertible {
    /// A shop needs at least one customer.
    case noCustomers
    /// A shop needs at least one product.
    case noProducts
    /// The first and last day are fewer than 60 days apart (`days` apart).
    case historyTooShort(days: Int)

    public var description: String {
        switch self {
        case .noCustomers: return "the shop needs at least 1 customer"
        case .noProducts: return "the shop needs at least 1 product"
        case .historyTooShort(let days): return "the shop's last day must be at least 60 days after its first (got \(days))"
        }
    }
}
