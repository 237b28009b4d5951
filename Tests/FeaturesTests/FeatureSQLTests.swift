import Core
import Foundation
import GRDB
import TestSupport
import Testing
@testable import Features
@testable import Ingestion

/// The features compiled to SQL (`FeatureSQL`) against the Swift definition, run in SQLite: every
/// column of every customer, for cutoffs on and off a month start, with and without products.
@Suite("Features as SQL")
struct FeatureSQLTests {
    static func sqlite(_ rows: [(String, Int, Double, Int32)]) throws -> DatabaseQueue {
        let db = try DatabaseQueue()
        try db.write { db in
            try db.execute(sql: "CREATE TABLE transactions (customer_id TEXT, timestamp TEXT, quantity REAL, amount REAL, product_id TEXT)")
            let insert = try db.makeStatement(sql: "INSERT INTO transactions VALUES (?, ?, 1, ?, ?)")
            for (c, d, a, p) in rows {
                try insert.execute(arguments: [c, "\(CivilDate(dayNumber: d)) 01:00:00", a, "p\(p)"])
            }
        }
        return db
    }

    @Test(arguments: [(2018, 3, 1, false), (2019, 1, 1, true), (2018, 11, 17, true), (2017, 2, 1, false)])
    func everyFeatureMatchesTheSwiftDefinition(year: Int, month: Int, day: Int, products: Bool) throws {
        let rows = SeededPurchases.rows(customers: 300, seed: 7)
        let cutoff = CivilDate(year: year, month: month, day: day).dayNumber
        let log = makeLog(rows)
        let matrix = EventLog(log).features(asOf: cutoff)
        let names = FeatureSet.names(withProducts: products)
        let db = try Self.sqlite(rows)
        let sql = FeatureSQL.select(.sqlite, cutoff: cutoff, withProducts: products)
        let result = try db.read { db in try Row.fetchAll(db, sql: sql) }
        #expect(result.count == matrix.rowCount && matrix.rowCount > 0)
        #expect(result.first.map { Array($0.columnNames) } == ["customer_id"] + names)
        var rowOf: [String: Int] = [:]
        for (i, c) in matrix.customers.enumerated() { rowOf[log.customerIDs[Int(c)]] = i }
        var compared = 0
        for row in result {
            let id: String = row[0]
            guard let i = rowOf[id] else { Issue.record("\(id) is not in the Swift matrix"); continue }
            for (f, name) in names.enumerated() {
                let want = matrix.columns[matrix.names.firstIndex(of: name)!][i]
                let got: Double? = row[f + 1]
                if want.isNaN {
                    #expect(got == nil, "\(id) \(name): \(String(describing: got)) for NaN")
                } else if let got {
                    #expect(abs(got - want) <= 1e-9 * max(1, abs(want)), "\(id) \(name): \(got) vs \(want)")
                } else {
                    Issue.record("\(id) \(name): NULL for \(want)")
                }
                compared += 1
            }
        }
        #expect(compared == matrix.rowCount * names.count)
    }
}
