import Core
import Foundation

// The five files of the shop, from the simulated orders; defects are injected here.
extension ShopGenerator {
    struct DefectLog {
        private var table: [String: Int] = [:]
        mutating func add(_ label: String) { table[label, default: 0] += 1 }
        var counts: [LabelCount] { table.sorted { $0.key < $1.key }.map { LabelCount(label: $0.key, count: $0.value) } }
    }

    var rate: Double { config.clean ? 0 : config.defectRate }

    func writeCustomers(_ dir: String, _ r: inout RandomSource, _ defects: inout DefectLog, orders: Orders) throws {
        let v = GeneratorVocabulary.self
        let places = cumulativeSums(v.places.map(\.4))
        var firstOrderDay = [Int](repeating: Int.max, count: config.customers)
        for (i, c) in orders.customer.enumerated() { firstOrderDay[Int(c)] = min(firstOrderDay[Int(c)], dayNumber(ofSeconds: orders.seconds[i])) }
        let w = try ByteWriter(path: dir + "/customers.csv")
        w.text("customer_id,name,email,phone,street,city,state,zip,signup_date"); w.newline()
        for c in 0..<config.customers {
            var cr = RandomSource(seed: config.seed ^ 0x5EED, stream: UInt64(c))
            let first = v.firstNames[cr.below(v.firstNames.count)], last = v.lastNames[cr.below(v.lastNames.count)]
            let place = v.places[cr.pick(cumulative: places)]
            let line = w
            line.int(c + 1); line.comma(); line.field("\(first) \(last)"); line.comma()
            if !cr.chance(0.1) {
                let user = "\(first).\(last)".lowercased().filter { $0.isLetter || $0 == "." }
                line.text("\(user)\(c + 1)@example.\(["com", "org", "net"][cr.below(3)])")
            }
            line.comma()
            if !cr.chance(0.25) { line.text("+1-\(place.3)-555-\(String(format: "%04d", cr.below(10_000)))") }
            line.comma()
            line.field("\(1 + cr.below(9_899)) \(v.streets[cr.below(v.streets.count)]) \(v.streetSuffixes[cr.below(v.streetSuffixes.count)])")
            line.comma(); line.field(place.0); line.comma()
            let s = cr.uniform()
            line.text(s < 0.015 ? "" : s < 0.02 ? "ZZ" : place.1)
            line.comma(); line.text(String(format: "%03d%02d", place.2, cr.below(100))); line.comma()
            let signup = firstOrderDay[c] == Int.max ? config.start.dayNumber : firstOrderDay[c] - cr.below(31)
            line.date(signup)
            line.endLine(copies: r.chance(rate / 5) ? 2 : 1, defects: &defects, label: "customers: duplicated row")
        }
        try w.close()
    }

    func writeProducts(_ dir: String, _ products: [Product]) throws {
        let w = try ByteWriter(path: dir + "/products.csv")
        w.text("product_id,name,category,price"); w.newline()
        for p in products {
            w.field(p.id); w.byte(44); w.field(p.name); w.byte(44)
            w.field(GeneratorVocabulary.categories[p.category].0); w.byte(44)
            w.decimal(Double(p.priceCents) / 100); w.newline()
        }
        try w.close()
    }

    func writeOrders(_ dir: String, _ r: inout RandomSource, _ defects: inout DefectLog, orders: Orders, byTime: [Int]) throws {
        let w = try ByteWriter(path: dir + "/orders.csv")
        let precision = config.profile.timestampPrecision
        w.text("order_id,customer_id,timestamp,status"); w.newline()
        for (k, o) in byTime.enumerated() {
            let line = w
            line.int(k + 1); line.comma()
            if r.chance(rate / 2) {
                if r.chance(0.5) { defects.add("orders: missing customer reference") }
                else { line.int(config.customers + 1 + r.below(1000)); defects.add("orders: unknown customer reference") }
            } else {
                line.int(Int(orders.customer[o]) + 1)
            }
            line.comma()
            if r.chance(rate / 2) {
                let bad = ["2018-02-30T10:15:00", "31/12/2018 10:00", "not available", "2019-13-01T00:00:00", ""]
                line.text(bad[r.below(bad.count)]); defects.add("orders: unparseable timestamp")
            } else if r.chance(rate / 10) {
                line.orderTime(orders.seconds[o] + Int64(80 * 365) * 86_400, precision); defects.add("orders: timestamp far in the future")
            } else {
                line.orderTime(orders.seconds[o], precision)
            }
            line.comma(); line.text(ShopGenerator.statusNames[Int(orders.status[o])])
            line.endLine(copies: r.chance(rate) ? 2 : 1, defects: &defects, label: "orders: duplicated row")
        }
        try w.close()
    }

    func writeItems(_ dir: String, _ r: inout RandomSource, _ defects: inout DefectLog, orders: Orders, items: Items,
                            byTime: [Int], products: [Product]) throws {
        let w = try ByteWriter(path: dir + "/items.csv")
        w.text("order_id,product_id,quantity,unit_price"); w.newline()
        for (k, o) in byTime.enumerated() {
            for i in Int(orders.firstItem[o])..<Int(orders.firstItem[o + 1]) {
                let line = w
                if r.chance(rate / 2) { line.int(byTime.count + 1 + r.below(100_000)); defects.add("items: orphan (unknown order)") }
                else { line.int(k + 1) }
                line.comma(); line.field(products[Int(items.product[i])].id); line.comma()
                if r.chance(rate / 2) { line.int(-Int(items.quantity[i])); defects.add("items: negative quantity") }
                else { line.int(Int(items.quantity[i])) }
                line.comma(); line.decimal(Double(items.priceCents[i]) / 100)
                line.endLine(copies: r.chance(rate) ? 2 : 1, defects: &defects, label: "items: duplicated row")
            }
        }
        try w.close()
    }

    func writeTransactions(_ dir: String, _ r: inout RandomSource, _ defects: inout DefectLog, orders: Orders,
                                   items: Items, byTime: [Int], products: [Product]) throws -> Int {
        let w = try ByteWriter(path: dir + "/transactions.csv")
        let precision = config.profile.timestampPrecision, withStatus = config.profile.flatLogHasStatus
        w.text(withStatus ? "customer_id,product_id,timestamp,quantity,unit_price,status" : "customer_id,product_id,timestamp,quantity,unit_price")
        w.newline()
        var rows = 0
        for o in byTime where withStatus || orders.status[o] != 2 {
            for i in Int(orders.firstItem[o])..<Int(orders.firstItem[o + 1]) {
                let line = w
                line.int(Int(orders.customer[o]) + 1); line.comma()
                line.field(products[Int(items.product[i])].id); line.comma()
                line.orderTime(orders.seconds[o], precision); line.comma()
                if r.chance(rate / 2) { line.int(-Int(items.quantity[i])); defects.add("transactions: negative quantity") }
                else { line.int(Int(items.quantity[i])) }
                line.comma(); line.decimal(Double(items.priceCents[i]) / 100)
                if withStatus { line.comma(); line.text(ShopGenerator.statusNames[Int(orders.status[o])]) }
                let copies = r.chance(rate) ? 2 : 1
                line.endLine(copies: copies, defects: &defects, label: "transactions: duplicated row")
                rows += copies
            }
        }
        try w.close()
        return rows
    }
}

extension ByteWriter {
    @inline(__always)
    func comma() { byte(44) }

    /// An order's time, with the date only when the profile keeps no times.
    func orderTime(_ seconds: Int64, _ precision: ShopProfile.TimestampPrecision) {
        switch precision {
        case .seconds: timestamp(seconds)
        case .day: date(dayNumber(ofSeconds: seconds))
        }
    }

    /// Ends the line; with `copies == 2` writes it twice (an injected duplicate) and logs it.
    func endLine(copies: Int, defects: inout ShopGenerator.DefectLog, label: String) {
        newline(repeating: copies == 2)
        if copies == 2 { defects.add(label) }
    }
}
