import Ingestion

/// What the warehouse derives from a load's orders and lines before staging them, the same for
/// every backend: each order's line count, units and total, each line's total, and which
/// orders are excluded from revenue (cancelled).
public struct OrderTotals: Sendable {
    /// Per order.
    public var lineCount: [Int]
    public var units: [Double]
    public var total: [Double]
    public var excluded: [Bool]
    /// Per line: quantity x unit price.
    public var lineTotal: [Double]
    /// Orders excluded from revenue.
    public var excludedOrders: Int
    /// Revenue of the lines of orders that are not excluded, summed in line order.
    public var revenue: Double

    public init(_ shop: ShopTables) {
        let orders = shop.orders, lines = shop.lines
        excluded = shop.excludedOrders()
        lineCount = [Int](repeating: 0, count: orders.count)
        units = [Double](repeating: 0, count: orders.count)
        total = [Double](repeating: 0, count: orders.count)
        lineTotal = [Double](repeating: 0, count: lines.count)
        revenue = 0
        for i in 0..<lines.count {
            let o = Int(lines.order[i])
            lineTotal[i] = lines.quantity[i] * lines.unitPrice[i]
            lineCount[o] += 1
            units[o] += lines.quantity[i]
            total[o] += lineTotal[i]
            if !excluded[o] { revenue += lineTotal[i] }
        }
        excludedOrders = excluded.lazy.filter { $0 }.count
    }
}
