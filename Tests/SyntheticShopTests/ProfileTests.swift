import Core
import Foundation
import Ingestion
import SyntheticShop
import Testing

@Suite("Shop profiles")
struct ProfileTests {
    static let files = ["customers.csv", "products.csv", "orders.csv", "items.csv", "transactions.csv"]

    func config(_ profile: ShopProfile, customers: Int, clean: Bool = false) -> ShopGeneratorConfig {
        var c = ShopGeneratorConfig()
        c.profile = profile
        c.customers = customers
        c.products = 120
        c.clean = clean
        return c
    }

    func generate(_ config: ShopGeneratorConfig, caller: String = #function) throws -> String {
        let dir = temporaryDirectory(caller)
        _ = try ShopGenerator(config: config).write(to: dir)
        return dir
    }

    /// The flat log as the toolkit reads it; with the profile's status column mapped, so that
    /// cancelled lines are excluded as `--layout transactions --status-col status` would.
    func flat(_ dir: String, profile: ShopProfile) throws -> IngestResult {
        var mapping = KnownLayout.transactions.mapping!
        if profile.flatLogHasStatus { mapping.status = .name("status") }
        return try TransactionIngest.flat(path: dir + "/transactions.csv", mapping: mapping, threads: 1)
    }

    /// Distinct order days of each customer of the log, in order.
    func eventDays(_ log: TransactionLog) -> [[Int]] {
        (0..<log.customerCount).map { c in
            var days: [Int] = []
            for i in log.rows(ofCustomer: c) where days.last != log.day(i) { days.append(log.day(i)) }
            return days
        }
    }

    /// Share of the log's customers with a single event (order day).
    func oneTimeShare(_ log: TransactionLog) -> Double {
        let days = eventDays(log)
        return Double(days.filter { $0.count == 1 }.count) / Double(days.count)
    }

    /// Events a month in November-December over the mean of the other months' (whole months only).
    func holidayFactor(_ log: TransactionLog) -> Double {
        var perMonthOfYear = [Int](repeating: 0, count: 13), monthsSeen = [Set<Int>](repeating: [], count: 13)
        for days in eventDays(log) {
            for d in days {
                let date = CivilDate(dayNumber: d)
                perMonthOfYear[date.month] += 1
                monthsSeen[date.month].insert(date.year)
            }
        }
        let rate = (1...12).map { m in Double(perMonthOfYear[m]) / Double(max(1, monthsSeen[m].count)) }
        let holiday = (rate[10] + rate[11]) / 2
        return holiday / (rate[0..<10].reduce(0, +) / 10)
    }

    /// Median over customers with at least four order days of the coefficient of variation of
    /// their gaps between order days.
    func medianGapCV(_ log: TransactionLog) -> Double {
        var cvs: [Double] = []
        for days in eventDays(log) where days.count >= 4 {
            let gaps = zip(days.dropFirst(), days).map { Double($0 - $1) }
            let mean = gaps.reduce(0, +) / Double(gaps.count)
            let variance = gaps.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(gaps.count - 1)
            cvs.append(variance.squareRoot() / mean)
        }
        cvs.sort()
        return cvs.isEmpty ? .nan : cvs[cvs.count / 2]
    }

    @Test func profilesAreFoundByName() {
        #expect(ShopProfile.all.map(\.name) == ["default", "low-repeat", "seasonal", "subscription-like"])
        for p in ShopProfile.all {
            #expect(ShopProfile.named(p.name) == p)
            #expect(p.problem == nil, "\(p.name)")
            #expect(!p.summary.isEmpty)
        }
        #expect(ShopProfile.named("nope") == nil)
        #expect(ShopGeneratorConfig().profile == .default)
    }

    @Test func theProfileSetsThePeriodUnlessTheConfigDoes() {
        var c = ShopGeneratorConfig()
        #expect(c.start == CivilDate(year: 2017, month: 1, day: 1) && c.end == CivilDate(year: 2019, month: 12, day: 31))
        c.profile = .lowRepeat
        #expect(c.start == CivilDate(year: 2019, month: 1, day: 1) && c.end == CivilDate(year: 2019, month: 12, day: 31))
        c.start = CivilDate(year: 2018, month: 6, day: 1)
        c.profile = .seasonal  // set after the period: the period stays
        #expect(c.start == CivilDate(year: 2018, month: 6, day: 1) && c.end == CivilDate(year: 2019, month: 12, day: 31))
    }

    @Test func anUnusableProfileIsRefused() throws {
        var profile = ShopProfile.seasonal
        profile.monthFactors = [1, 1]
        var c = config(profile, customers: 5)
        #expect(throws: ShopGeneratorError.invalidProfile(name: "seasonal", problem: "it needs 12 month factors (has 2)")) {
            try ShopGenerator(config: c).write(to: temporaryDirectory())
        }
        profile = .lowRepeat
        profile.cancelledShare = 0.5
        c.profile = profile
        #expect(throws: ShopGeneratorError.self) { try ShopGenerator(config: c).write(to: temporaryDirectory()) }
    }

    @Test(arguments: ShopProfile.all)
    func eachProfileIsDeterministicAndIngestsCleanly(_ profile: ShopProfile) throws {
        let c = config(profile, customers: 600)
        let a = try generate(c), b = try generate(c)
        var other = c
        other.seed = 7
        let o = try generate(other)
        for file in Self.files {
            let x = FileManager.default.contents(atPath: a + "/" + file)!
            #expect(x == FileManager.default.contents(atPath: b + "/" + file)!, "\(profile.name) \(file)")
            if file != "products.csv" { #expect(x != FileManager.default.contents(atPath: o + "/" + file)!, "\(profile.name) \(file)") }
        }
        let end = CivilDate(year: 2019, month: 12, day: 31).dayNumber
        let shop = try ShopIngest.read(directory: a, rules: QualityRules(asOfDay: end), threads: 1)
        for t in shop.report.tables { #expect(t.rowsRead == t.rowsAccepted + t.rowsRejected, "\(profile.name) \(t.table)") }
        #expect(shop.log.customerCount > 100)
        #expect(shop.log.dayRange!.lowerBound >= c.start.dayNumber && shop.log.dayRange!.upperBound <= c.end.dayNumber)
        let log = try flat(a, profile: profile)
        let t = log.report.tables[0]
        #expect(t.rowsRead == t.rowsAccepted + t.rowsRejected, "\(profile.name)")
        #expect(t.rowsRejected < t.rowsRead / 50, "\(profile.name): only the injected negative quantities are rejected")
        #expect(log.log.customerCount > 100)
    }

    @Test(arguments: ShopProfile.all)
    func cleanShopTablesAndFlatLogAgree(_ profile: ShopProfile) throws {
        let dir = try generate(config(profile, customers: 300, clean: true))
        let shop = try ShopIngest.read(directory: dir, threads: 1)
        let flat = try flat(dir, profile: profile)
        #expect(shop.report.rowsRejected == 0 && flat.report.rowsRejected == 0)
        #expect(shop.log.rowCount == flat.log.rowCount, "\(profile.name)")
        #expect(shop.log.eventCount == flat.log.eventCount, "\(profile.name)")
        #expect(shop.report.log.excludedByStatus > 0)
        #expect(abs(shop.log.amount.reduce(0, +) - flat.log.amount.reduce(0, +)) < 1e-6)
    }

    @Test func lowRepeatBuyersMostlyBuyOnceAThirdIsCancelledAndDatesHaveNoTimes() throws {
        let c = config(.lowRepeat, customers: 4000, clean: true)
        let dir = try generate(c)
        let tables = try ShopIngest.readTables(directory: dir, threads: 1)
        let cancelled = Double(tables.orders.status.filter { $0 == "cancelled" }.count) / Double(tables.orders.count)
        #expect(abs(cancelled - 1.0 / 3) < 0.03, "cancelled share \(cancelled)")

        let result = try flat(dir, profile: .lowRepeat)
        let lines = result.report.tables[0].rowsAccepted
        let excluded = Double(result.report.log.excludedByStatus) / Double(lines)
        #expect(abs(excluded - 1.0 / 3) < 0.04, "cancelled lines in the flat log \(excluded)")
        let share = oneTimeShare(result.log)
        #expect(share >= 0.6 && share <= 0.85, "one-time buyers \(share)")
        #expect(result.log.seconds.allSatisfy { $0 % 86_400 == 0 })
        #expect(result.log.dayRange!.lowerBound >= CivilDate(year: 2019, month: 1, day: 1).dayNumber)

        let text = String(decoding: FileManager.default.contents(atPath: dir + "/transactions.csv")!.prefix(200), as: UTF8.self)
        let rows = text.split(separator: "\n")
        #expect(rows[0] == "customer_id,product_id,timestamp,quantity,unit_price,status")
        #expect(rows[1].split(separator: ",")[2].count == 10)  // YYYY-MM-DD
        // Without the status column mapped, the cancelled lines count as sales: the trap of such exports.
        let unaware = try TransactionIngest.flat(path: dir + "/transactions.csv", mapping: KnownLayout.transactions.mapping!, threads: 1)
        #expect(unaware.log.rowCount == lines && unaware.report.log.excludedByStatus == 0)
    }

    @Test func seasonalPeaksInNovemberAndDecemberMoreThanTheDefault() throws {
        let seasonal = try flat(try generate(config(.seasonal, customers: 3000, clean: true)), profile: .seasonal).log
        let standard = try flat(try generate(config(.default, customers: 3000, clean: true)), profile: .default).log
        let factor = holidayFactor(seasonal), defaultFactor = holidayFactor(standard)
        #expect(factor >= 1.5 * 1.2, "seasonal Nov-Dec factor \(factor)")
        #expect(factor > defaultFactor + 0.5, "seasonal \(factor), default \(defaultFactor)")
    }

    @Test func subscriptionBuyersReorderRegularly() throws {
        let subscription = try flat(try generate(config(.subscriptionLike, customers: 1500, clean: true)), profile: .subscriptionLike).log
        let standard = try flat(try generate(config(.default, customers: 3000, clean: true)), profile: .default).log
        let cv = medianGapCV(subscription), defaultCV = medianGapCV(standard)
        #expect(cv < 0.4 && cv < defaultCV / 2, "median gap CV: subscription-like \(cv), default \(defaultCV)")
        // Personal periods of about 25-35 days: the median gap is about a month.
        let gaps = eventDays(subscription).flatMap { d in zip(d.dropFirst(), d).map { $0 - $1 } }.sorted()
        #expect((25...35).contains(gaps[gaps.count / 2]), "median gap \(gaps[gaps.count / 2]) days")
        #expect(oneTimeShare(subscription) < 0.3)
    }
}
