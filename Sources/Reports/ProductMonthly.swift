import Core

/// Question 2: how many transactions included one product, month by month, in one year.
public struct ProductMonthly: Sendable, Codable, Equatable {
    public var product: String
    public var year: Int
    /// Transactions with the product per month, January first (zero for empty months).
    public var counts: [Int]
    public var revenue: [Double]?

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case noProducts
        case unknownProduct(String, examples: [String])
        case yearOutsideData(Int, first: Int, last: Int)

        public var description: String {
            switch self {
            case .noProducts: return "the data have no product column, so there is no per-product frequency"
            case .unknownProduct(let p, let examples):
                return "product '\(p)' does not occur in the data; products that do include \(examples.joined(separator: ", "))"
            case .yearOutsideData(let y, let first, let last):
                return "year \(y) is outside the data, which cover \(first == last ? "\(first)" : "\(first) to \(last)")"
            }
        }
    }

    public init(_ baskets: Baskets, product: String, year: Int) throws {
        let log = baskets.log
        guard log.hasProducts else { throw Problem.noProducts }
        // A product of the catalogue that never sold is as unknown to the log as a typo.
        guard let p = log.productIDs.firstIndex(of: product), log.product.contains(Int32(p)) else {
            let sold = Set(log.product)
            throw Problem.unknownProduct(product, examples: Array(sold.map { log.productIDs[Int($0)] }.sorted().prefix(5)))
        }
        guard let range = baskets.dayRange else { throw Problem.yearOutsideData(year, first: 0, last: 0) }
        let first = CivilDate(dayNumber: range.lowerBound).year, last = CivilDate(dayNumber: range.upperBound).year
        guard (first...last).contains(year) else { throw Problem.yearOutsideData(year, first: first, last: last) }
        var counts = [Int](repeating: 0, count: 12)
        var revenue = [Double](repeating: 0, count: 12)
        baskets.forEachProduct { t, q in
            guard q == p else { return }
            let date = CivilDate(dayNumber: baskets.day(t))
            guard date.year == year else { return }
            counts[date.month - 1] += 1
            if log.hasAmounts {
                for i in baskets.rowStart[t]..<baskets.rowStart[t + 1] where Int(log.product[i]) == p { revenue[date.month - 1] += log.amount[i] }
            }
        }
        self.product = product
        self.year = year
        self.counts = counts
        self.revenue = log.hasAmounts ? revenue : nil
    }
}
