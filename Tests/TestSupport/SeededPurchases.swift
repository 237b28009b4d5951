import Core
import Ingestion

/// A transaction log from (customer, day, amount, product) tuples: one row per tuple at 01:00,
/// quantity 1, products `p0` ... `p9`.
public func makeLog(_ rows: [(String, Int, Double, Int32)]) -> TransactionLog {
    var ids: [String] = []
    var code: [String: Int32] = [:]
    var t = UngroupedTransactions(customer: [], customerIDs: [], seconds: [])
    for (c, d, a, p) in rows {
        if code[c] == nil { code[c] = Int32(ids.count); ids.append(c) }
        t.customer.append(code[c]!)
        t.seconds.append(Int64(d) * 86_400 + 3600)
        t.amount.append(a)
        t.quantity.append(1)
        t.product.append(p)
    }
    t.customerIDs = ids
    t.productIDs = (0..<10).map { "p\($0)" }
    return TransactionLog.grouping(t).log
}

/// Seeded purchase tuples for ``makeLog(_:)``: `customers` customers starting within 2017-2019,
/// one to forty purchase days each (gaps of 1 to 60 days), one to three rows a day, amounts with
/// cents, ten products.
public enum SeededPurchases {
    public static func rows(customers: Int, seed: UInt64) -> [(String, Int, Double, Int32)] {
        var state = seed
        func next() -> UInt64 {  // splitmix64
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let first = CivilDate(year: 2017, month: 1, day: 1).dayNumber
        var rows: [(String, Int, Double, Int32)] = []
        for c in 0..<customers {
            let start = first + Int(next() % 900), days = 1 + Int(next() % 40)
            var day = start
            for _ in 0..<days {
                for _ in 0..<(1 + Int(next() % 3)) {
                    rows.append(("c\(c)", day, Double(next() % 20_000) / 100, Int32(next() % 10)))
                }
                day += 1 + Int(next() % 60)
            }
        }
        return rows
    }
}
