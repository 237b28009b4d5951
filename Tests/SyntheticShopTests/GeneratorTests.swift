import Core
import Foundation
import Testing
import Ingestion
import SyntheticShop

@Suite("Shop generator and shop layout")
struct GeneratorTests {
    func generate(_ config: ShopGeneratorConfig, caller: String = #function) throws -> String {
        let dir = temporaryDirectory(caller)
        _ = try ShopGenerator(config: config).write(to: dir)
        return dir
    }

    var small: ShopGeneratorConfig {
        var c = ShopGeneratorConfig()
        c.customers = 400
        c.products = 60
        c.defectRate = 0.02
        return c
    }

    @Test func sameArgumentsGiveIdenticalFiles() throws {
        let a = try generate(small), b = try generate(small)
        var other = small
        other.seed = 43
        let c = try generate(other)
        for file in ["customers.csv", "products.csv", "orders.csv", "items.csv", "transactions.csv"] {
            let x = FileManager.default.contents(atPath: a + "/" + file)!
            #expect(x == FileManager.default.contents(atPath: b + "/" + file)!, "\(file)")
            #expect(x.count > 100)
            if file != "products.csv" { #expect(x != FileManager.default.contents(atPath: c + "/" + file)!) }
        }
        let header = String(decoding: FileManager.default.contents(atPath: a + "/transactions.csv")!.prefix(53), as: UTF8.self)
        #expect(header == "customer_id,product_id,timestamp,quantity,unit_price\n")
    }

    /// The committed reports are computed from the default data, so its bytes must never drift:
    /// the hash was taken from the generator before shop profiles existed.
    @Test func defaultShopBytesArePinned() throws {
        #expect(fnv1a(directory: try generate(small)) == 0x053f_6d3d_2d28_b548)
        var clean = small
        clean.clean = true
        #expect(fnv1a(directory: try generate(clean)) == 0x4cf0_a8b2_57da_4547)
    }

    @Test func defectsAreFoundByTheQualityReport() throws {
        let dir = try generate(small)
        let r = try ShopIngest.read(directory: dir, rules: QualityRules(asOfDay: CivilDate(year: 2019, month: 12, day: 31).dayNumber), threads: 1)
        for t in r.report.tables { #expect(t.rowsRead == t.rowsAccepted + t.rowsRejected, "\(t.table)") }
        let orders = r.report.tables.first { $0.table == "orders" }!
        let items = r.report.tables.first { $0.table == "items" }!
        #expect(orders.duplicateKeys > 0 && orders.duplicateRows == orders.duplicateKeys)
        #expect(orders.rejectsByCategory.contains { $0.label == "unparseable timestamp" })
        #expect(orders.orphans.first?.count ?? 0 > 0)
        #expect(items.orphans.contains { $0.label == "item without an order" })
        #expect(items.columns.first { $0.field == "quantity" }!.negative > 0)
        #expect(orders.rejectsByCategory.contains { $0.label == "future timestamp" })
        #expect(r.report.log.futureTimestamps == 0 && r.report.log.lastDay! <= "2019-12-31")
        #expect(r.report.log.excludedByStatus > 0)
        #expect(r.rejects.count == r.report.rowsRejected)
    }

    @Test func cleanShopTablesAndFlatLogAgree() throws {
        var config = small
        config.clean = true
        let dir = try generate(config)
        let shop = try ShopIngest.read(directory: dir, threads: 1)
        #expect(shop.report.rowsRejected == 0)
        let flat = try TransactionIngest.flat(path: dir + "/transactions.csv", mapping: KnownLayout.transactions.mapping!, threads: 1)
        #expect(flat.report.rowsRejected == 0)
        #expect(shop.log.rowCount == flat.log.rowCount)
        #expect(shop.log.customerCount == flat.log.customerCount)
        #expect(shop.log.eventCount == flat.log.eventCount)
        #expect(abs(shop.log.amount.reduce(0, +) - flat.log.amount.reduce(0, +)) < 1e-6)
    }

    @Test func dataHasSeasonalityAndHeterogeneity() throws {
        var config = ShopGeneratorConfig()
        config.customers = 3000
        config.clean = true
        let dir = try generate(config)
        let log = try TransactionIngest.flat(path: dir + "/transactions.csv", mapping: KnownLayout.transactions.mapping!).log
        var byMonth = [Int](repeating: 0, count: 13)
        for i in 0..<log.rowCount { byMonth[CivilDate(dayNumber: log.day(i)).month] += 1 }
        #expect(byMonth[12] > byMonth[2] * 3 / 2)  // December peak
        let counts = (0..<log.customerCount).map { log.rows(ofCustomer: $0).count }.sorted()
        #expect(counts[counts.count * 99 / 100] > 8 * counts[counts.count / 2])  // a long tail of heavy buyers
        #expect(log.dayRange!.lowerBound == CivilDate(year: 2017, month: 1, day: 1).dayNumber)
    }

    @Test func oneCustomerWorks() throws {
        var config = small
        config.customers = 1
        config.clean = true
        let dir = try generate(config)
        let r = try ShopIngest.read(directory: dir, threads: 1)
        #expect(r.log.customerCount == 1)
    }
}

/// FNV-1a (64 bits) over the five files of a shop, in a fixed order.
func fnv1a(directory: String) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for file in ["customers.csv", "products.csv", "orders.csv", "items.csv", "transactions.csv"] {
        for byte in FileManager.default.contents(atPath: directory + "/" + file) ?? Data() { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
    }
    return h
}

/// A fresh temporary folder for one test.
func temporaryDirectory(_ name: String = #function) -> String {
    let safe = name.filter { $0.isLetter || $0.isNumber }
    let path = NSTemporaryDirectory() + "generator-tests-\(safe)-\(UUID().uuidString.prefix(8))"
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
