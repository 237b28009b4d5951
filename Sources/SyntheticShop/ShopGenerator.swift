import Core
import Foundation

/// Settings of the synthetic shop.
public struct ShopGeneratorConfig: Sendable {
    public var customers = 10_000
    public var products = 400
    public var seed: UInt64 = 42
    public var start = CivilDate(year: 2017, month: 1, day: 1)
    public var end = CivilDate(year: 2019, month: 12, day: 31)
    /// Rate of each injected defect kind, relative to the rows of the table it affects.
    public var defectRate = 0.004
    /// No injected defects.
    public var clean = false

    public init() {}
}

/// What was generated, for the command's summary.
public struct ShopGeneratorSummary: Sendable, Codable {
    public var customers: Int
    public var products: Int
    public var orders: Int
    public var items: Int
    public var transactionRows: Int
    /// Injected defects by kind and table.
    public var defects: [LabelCount]
}

/// The built-in shop: the toolkit's default data.
///
/// The process, per customer (each with its own random stream, so results do not depend on
/// the order of work):
/// - acquisition: a first order on a day drawn from a slowly growing, seasonal intake;
/// - purchase rate λ ~ Gamma(0.6, mean 6 orders a year) and lifetime ~ Exponential with a
///   Gamma-distributed churn rate (mean lifetime about two years): heterogeneous buyers who
///   churn, as the BG/NBD and Pareto/NBD models assume;
/// - repeat orders from a Poisson process thinned by month of year (November-December peak),
///   day of week (weekend high) and hour of day (evening peak);
/// - baskets of 1 + Poisson(0.45) lines (bigger in the holidays); a category from the
///   customer's own preferences (Dirichlet); a product within the category with Zipf-like
///   popularity that changes over time (launches ramp up over two months, some products
///   decline with a half-life of 4-12 months); prices drift up 3% a year with occasional
///   discounts (more in November);
/// - status: 93% completed, 3% returned, 4% cancelled (cancelled orders are not in
///   `transactions.csv`).
///
/// Defects, each at `defectRate` of its table unless `clean`: orders duplicated, with
/// unparseable timestamps (half that rate), with missing or unknown customers (half),
/// far in the future (a tenth); items duplicated, orphaned (half), with negative quantities
/// (half); customers duplicated (a fifth). `transactions.csv` only gets duplicated rows and
/// negative quantities, so that tools with strict timestamp parsing can still read it.
public struct ShopGenerator {
    public let config: ShopGeneratorConfig

    public init(config: ShopGeneratorConfig) { self.config = config }

    struct Product {
        var id: String
        var name: String
        var category: Int
        var priceCents: Int
    }

    struct Orders {
        var customer: [Int32] = []
        var seconds: [Int64] = []
        var status: [UInt8] = []  // 0 completed, 1 returned, 2 cancelled
        var firstItem: [Int32] = []
    }

    struct Items {
        var product: [Int32] = []
        var quantity: [Int8] = []
        var priceCents: [Int32] = []
    }

    static let statusNames = ["completed", "returned", "cancelled"]
    static let monthFactor: [Double] = [0.85, 0.8, 0.9, 0.9, 0.95, 0.9, 0.88, 0.95, 0.95, 1.0, 1.45, 1.75]
    static let weekdayFactor: [Double] = [1.0, 0.97, 0.97, 1.0, 0.95, 1.1, 1.15]  // Monday..Sunday
    static let hourWeights: [Double] = [0.6, 0.35, 0.2, 0.15, 0.15, 0.25, 0.6, 1.2, 1.8, 2.2, 2.5, 2.7,
                                        3.0, 2.8, 2.6, 2.6, 2.8, 3.2, 3.8, 4.4, 4.6, 4.0, 2.8, 1.4]

    /// Generates the shop and writes the five CSV files into `directory`.
    public func write(to directory: String, progress: (String) -> Void = { _ in }) throws -> ShopGeneratorSummary {
        guard config.customers >= 1 else { throw ShopGeneratorError.tooFewCustomers(config.customers) }
        guard config.products >= 1 else { throw ShopGeneratorError.tooFewProducts(config.products) }
        let firstDay = config.start.dayNumber, lastDay = config.end.dayNumber
        guard lastDay - firstDay >= ShopGeneratorError.minimumDays else {
            throw ShopGeneratorError.periodTooShort(start: config.start, end: config.end)
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)

        var rng = RandomSource(seed: config.seed)
        let products = makeProducts(&rng, firstDay: firstDay, lastDay: lastDay)
        progress("products: \(products.0.count)")
        var orders = Orders()
        var items = Items()
        let acquisition = cumulativeSums((firstDay...lastDay).map { d in
            let growth = 1 + 1.5 * Double(d - firstDay) / Double(lastDay - firstDay)
            return growth * ShopGenerator.monthFactor[CivilDate(dayNumber: d).month - 1]
        })
        let hours = cumulativeSums(ShopGenerator.hourWeights)
        let reportEvery = max(1, config.customers / 10)
        for c in 0..<config.customers {
            var r = RandomSource(seed: config.seed, stream: UInt64(c))
            simulateCustomer(c, &r, acquisition: acquisition, hours: hours, firstDay: firstDay, lastDay: lastDay,
                             products: products, orders: &orders, items: &items)
            if (c + 1) % reportEvery == 0 { progress("customers: \(c + 1)/\(config.customers), orders: \(orders.seconds.count)") }
        }
        orders.firstItem.append(Int32(items.product.count))

        // Orders in time order; order ids 1, 2, ... follow that order.
        let byTime = orders.seconds.indices.sorted { (orders.seconds[$0], $0) < (orders.seconds[$1], $1) }
        var defects = DefectLog()
        var defectRng = RandomSource(seed: config.seed, stream: UInt64.max)
        try writeCustomers(directory, &defectRng, &defects, orders: orders)
        try writeProducts(directory, products.0)
        try writeOrders(directory, &defectRng, &defects, orders: orders, byTime: byTime)
        try writeItems(directory, &defectRng, &defects, orders: orders, items: items, byTime: byTime, products: products.0)
        let flatRows = try writeTransactions(directory, &defectRng, &defects, orders: orders, items: items, byTime: byTime, products: products.0)
        progress("wrote \(directory)/customers.csv, products.csv, orders.csv, items.csv, transactions.csv")
        return ShopGeneratorSummary(customers: config.customers, products: products.0.count, orders: orders.seconds.count,
                                    items: items.product.count, transactionRows: flatRows, defects: defects.counts)
    }

    // MARK: products

    /// Products and, per month of the period and category, the cumulative popularity table.
    private func makeProducts(_ rng: inout RandomSource, firstDay: Int, lastDay: Int) -> ([Product], [[[Double]]], [[Int]]) {
        let cats = GeneratorVocabulary.categories
        let catCumulative = cumulativeSums(cats.map(\.1))
        var products: [Product] = []
        var popularity: [Double] = []
        var launch: [Int] = [], declineStart: [Int] = [], halfLife: [Double] = []
        var rankInCategory = [Int](repeating: 0, count: cats.count)
        for p in 0..<config.products {
            let cat = p < cats.count ? p : rng.pick(cumulative: catCumulative)
            let typical = cats[cat].2
            let price = max(0.99, (exp(log(typical) + 0.45 * rng.normal())).rounded(.down) + 0.99)
            let nouns = GeneratorVocabulary.nouns[cats[cat].0]!
            let name = "\(GeneratorVocabulary.adjectives[rng.below(GeneratorVocabulary.adjectives.count)]) \(nouns[rng.below(nouns.count)]) \(p + 1)"
            products.append(Product(id: "P\(String(format: "%05d", p + 1))", name: name, category: cat, priceCents: Int((price * 100).rounded())))
            rankInCategory[cat] += 1
            popularity.append(1 / pow(Double(rankInCategory[cat]), 1.1))
            let span = lastDay - firstDay
            launch.append(rng.chance(0.7) ? firstDay - rng.below(720) : firstDay + rng.below(span))
            if rng.chance(0.4) {
                declineStart.append(launch[p] + 180 + rng.below(span))
                halfLife.append(120 + Double(rng.below(240)))
            } else {
                declineStart.append(Int.max); halfLife.append(1)
            }
        }
        // Monthly tables: months from the start month to the end month.
        let months = (config.end.year * 12 + config.end.month) - (config.start.year * 12 + config.start.month) + 1
        var tables: [[[Double]]] = []
        var members: [[Int]] = (0..<cats.count).map { c in products.indices.filter { products[$0].category == c } }
        for m in 0..<months {
            let mid = config.start.firstOfMonth(adding: m).dayNumber + 14
            tables.append(members.map { list in
                cumulativeSums(list.map { p in
                    if mid < launch[p] { return 1e-9 }
                    var w = popularity[p] * min(1, Double(mid - launch[p] + 1) / 60)
                    if mid > declineStart[p] { w *= pow(0.5, Double(mid - declineStart[p]) / halfLife[p]) }
                    return max(w, 1e-9)
                })
            })
        }
        members = members.map { $0 }
        return (products, tables, members)
    }

    // MARK: customers' behaviour

    private func simulateCustomer(_ c: Int, _ r: inout RandomSource, acquisition: [Double], hours: [Double],
                                  firstDay: Int, lastDay: Int, products: ([Product], [[[Double]]], [[Int]]),
                                  orders: inout Orders, items: inout Items) {
        let cats = GeneratorVocabulary.categories
        let born = firstDay + r.pick(cumulative: acquisition)
        let ordersPerYear = r.gamma(shape: 0.6, scale: 6 / 0.6)
        let churnPerYear = r.gamma(shape: 2, scale: 0.5 / 2)
        let death = Double(born) + r.exponential(rate: max(churnPerYear, 1e-6) / 365.25)
        let preferences = cumulativeSums(cats.map { _ in r.gamma(shape: 0.5, scale: 1) + 1e-6 })
        let maxFactor = ShopGenerator.monthFactor.max()! * ShopGenerator.weekdayFactor.max()!
        let ratePerDay = ordersPerYear / 365.25

        var t = Double(born) + r.uniform()
        var first = true
        while true {
            if !first {
                t += r.exponential(rate: max(ratePerDay * maxFactor, 1e-9))
                if t > death || t >= Double(lastDay + 1) { break }
                let day = Int(t)
                let date = CivilDate(dayNumber: day)
                let factor = ShopGenerator.monthFactor[date.month - 1] * ShopGenerator.weekdayFactor[CivilDate.weekday(dayNumber: day) - 1]
                if !r.chance(factor / maxFactor) { continue }
            }
            first = false
            let day = Int(t)
            let date = CivilDate(dayNumber: day)
            let seconds = Int64(day) * 86_400 + Int64(r.pick(cumulative: hours) * 3600 + r.below(3600))
            let roll = r.uniform()
            orders.customer.append(Int32(c))
            orders.seconds.append(seconds)
            orders.status.append(roll < 0.93 ? 0 : roll < 0.96 ? 1 : 2)
            orders.firstItem.append(Int32(items.product.count))
            let holiday = date.month >= 11
            let lines = min(8, 1 + r.poisson(holiday ? 0.7 : 0.45))
            let monthIndex = (date.year * 12 + date.month) - (config.start.year * 12 + config.start.month)
            let years = Double(day - firstDay) / 365.25
            var chosen: [Int32] = []
            for _ in 0..<lines {
                var cat = r.pick(cumulative: preferences)
                if holiday, r.chance(0.3 * (cats[cat].3 < 1.3 ? 1 : 0)) { cat = r.pick(cumulative: preferences) }
                let list = products.2[cat]
                if list.isEmpty { continue }
                let p = Int32(list[r.pick(cumulative: products.1[monthIndex][cat])])
                if chosen.contains(p) { continue }
                chosen.append(p)
                let q = r.uniform()
                let quantity: Int8 = q < 0.78 ? 1 : q < 0.93 ? 2 : q < 0.98 ? 3 : Int8(4 + r.below(3))
                var price = Double(products.0[Int(p)].priceCents) * pow(1.03, years)
                if r.chance(date.month == 11 ? 0.35 : 0.12) { price *= 1 - (0.1 + 0.2 * r.uniform()) }
                items.product.append(p)
                items.quantity.append(quantity)
                items.priceCents.append(Int32(max(1, price.rounded())))
            }
        }
    }

    // MARK: writing

    struct DefectLog {
        private var table: [String: Int] = [:]
        mutating func add(_ label: String) { table[label, default: 0] += 1 }
        var counts: [LabelCount] { table.sorted { $0.key < $1.key }.map { LabelCount(label: $0.key, count: $0.value) } }
    }

    private var rate: Double { config.clean ? 0 : config.defectRate }

    private func writeCustomers(_ dir: String, _ r: inout RandomSource, _ defects: inout DefectLog, orders: Orders) throws {
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

    private func writeProducts(_ dir: String, _ products: [Product]) throws {
        let w = try ByteWriter(path: dir + "/products.csv")
        w.text("product_id,name,category,price"); w.newline()
        for p in products {
            w.field(p.id); w.byte(44); w.field(p.name); w.byte(44)
            w.field(GeneratorVocabulary.categories[p.category].0); w.byte(44)
            w.decimal(Double(p.priceCents) / 100); w.newline()
        }
        try w.close()
    }

    private func writeOrders(_ dir: String, _ r: inout RandomSource, _ defects: inout DefectLog, orders: Orders, byTime: [Int]) throws {
        let w = try ByteWriter(path: dir + "/orders.csv")
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
                line.timestamp(orders.seconds[o] + Int64(80 * 365) * 86_400); defects.add("orders: timestamp far in the future")
            } else {
                line.timestamp(orders.seconds[o])
            }
            line.comma(); line.text(ShopGenerator.statusNames[Int(orders.status[o])])
            line.endLine(copies: r.chance(rate) ? 2 : 1, defects: &defects, label: "orders: duplicated row")
        }
        try w.close()
    }

    private func writeItems(_ dir: String, _ r: inout RandomSource, _ defects: inout DefectLog, orders: Orders, items: Items,
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

    private func writeTransactions(_ dir: String, _ r: inout RandomSource, _ defects: inout DefectLog, orders: Orders,
                                   items: Items, byTime: [Int], products: [Product]) throws -> Int {
        let w = try ByteWriter(path: dir + "/transactions.csv")
        w.text("customer_id,product_id,timestamp,quantity,unit_price"); w.newline()
        var rows = 0
        for o in byTime where orders.status[o] != 2 {
            for i in Int(orders.firstItem[o])..<Int(orders.firstItem[o + 1]) {
                let line = w
                line.int(Int(orders.customer[o]) + 1); line.comma()
                line.field(products[Int(items.product[i])].id); line.comma()
                line.timestamp(orders.seconds[o]); line.comma()
                if r.chance(rate / 2) { line.int(-Int(items.quantity[i])); defects.add("transactions: negative quantity") }
                else { line.int(Int(items.quantity[i])) }
                line.comma(); line.decimal(Double(items.priceCents[i]) / 100)
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

    /// Ends the line; with `copies == 2` writes it twice (an injected duplicate) and logs it.
    func endLine(copies: Int, defects: inout ShopGenerator.DefectLog, label: String) {
        newline(repeating: copies == 2)
        if copies == 2 { defects.add(label) }
    }
}
