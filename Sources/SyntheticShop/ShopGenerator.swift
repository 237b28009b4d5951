import Core
import Foundation

/// Settings of the synthetic shop.
public struct ShopGeneratorConfig: Sendable {
    public var customers = 10_000
    public var products = 400
    public var seed: UInt64 = 42
    /// The kind of shop: the parameters of the process, and the period unless ``start`` or
    /// ``end`` is set.
    public var profile = ShopProfile.default
    /// First day of the period: the profile's unless set.
    public var start: CivilDate {
        get { startOverride ?? profile.start }
        set { startOverride = newValue }
    }
    /// Last day of the period: the profile's unless set.
    public var end: CivilDate {
        get { endOverride ?? profile.end }
        set { endOverride = newValue }
    }
    // Kept apart from the profile so that setting the profile after the period keeps the period.
    private var startOverride: CivilDate?
    private var endOverride: CivilDate?
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

/// The built-in shop: the toolkit's default data, or another kind of shop (``ShopProfile``).
///
/// The process with the ``ShopProfile/default`` profile's values, per customer (each with its
/// own random stream, so results do not depend on the order of work):
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
/// Other profiles change the numbers, make some customers buy once only, replace the Poisson
/// process by regular Gamma gaps, write dates without times, or keep cancelled orders in
/// `transactions.csv` with a status column (see ``ShopProfile``).
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
        if let problem = config.profile.problem { throw ShopGeneratorError.invalidProfile(name: config.profile.name, problem: problem) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)

        var rng = RandomSource(seed: config.seed)
        let products = makeProducts(&rng, firstDay: firstDay, lastDay: lastDay)
        progress("products: \(products.0.count)")
        var orders = Orders()
        var items = Items()
        let acquisition = cumulativeSums((firstDay...lastDay).map { d in
            let growth = 1 + 1.5 * Double(d - firstDay) / Double(lastDay - firstDay)
            return growth * config.profile.monthFactors[CivilDate(dayNumber: d).month - 1]
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
        let profile = config.profile
        let born = firstDay + r.pick(cumulative: acquisition)
        let ordersPerYear = r.gamma(shape: profile.purchaseRateShape, scale: profile.purchaseRateMean / profile.purchaseRateShape)
        let churnPerYear = r.gamma(shape: profile.churnRateShape, scale: profile.churnRateMean / profile.churnRateShape)
        var death = Double(born) + r.exponential(rate: max(churnPerYear, 1e-6) / 365.25)
        let preferences = cumulativeSums(cats.map { _ in r.gamma(shape: 0.5, scale: 1) + 1e-6 })
        // Drawn only when the profile has one-time buyers, so that the default's streams stay as they were.
        if profile.oneTimeShare > 0, r.chance(profile.oneTimeShare) { death = Double(born) }
        let maxFactor = profile.monthFactors.max()! * ShopGenerator.weekdayFactor.max()!
        let ratePerDay = ordersPerYear / 365.25
        let regular = profile.interPurchaseShape != 1

        var t = Double(born) + r.uniform()
        var first = true
        while true {
            if !first, regular {
                // A renewal process: thinning would turn one regular gap into two, so a slow
                // month stretches the gap instead.
                let k = profile.interPurchaseShape
                let month = CivilDate(dayNumber: Int(t)).month
                t += r.gamma(shape: k, scale: 1 / (max(ratePerDay, 1e-9) * k)) / profile.monthFactors[month - 1]
                if t > death || t >= Double(lastDay + 1) { break }
            } else if !first {
                t += r.exponential(rate: max(ratePerDay * maxFactor, 1e-9))
                if t > death || t >= Double(lastDay + 1) { break }
                let day = Int(t)
                let date = CivilDate(dayNumber: day)
                let factor = profile.monthFactors[date.month - 1] * ShopGenerator.weekdayFactor[CivilDate.weekday(dayNumber: day) - 1]
                if !r.chance(factor / maxFactor) { continue }
            }
            first = false
            let day = Int(t)
            let date = CivilDate(dayNumber: day)
            let seconds = Int64(day) * 86_400 + Int64(r.pick(cumulative: hours) * 3600 + r.below(3600))
            let roll = r.uniform()
            orders.customer.append(Int32(c))
            orders.seconds.append(seconds)
            // 1 - cancelled rather than completed + returned: for the default (0.93, 0.04) it is
            // exactly the 0.96 the generator always used.
            orders.status.append(roll < profile.completedShare ? 0 : roll < 1 - profile.cancelledShare ? 1 : 2)
            orders.firstItem.append(Int32(items.product.count))
            let holiday = date.month >= 11
            let lines = min(8, 1 + r.poisson(holiday ? profile.holidayExtraLines : profile.extraLines))
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
}
