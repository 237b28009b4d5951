import Core
import Foundation
import Testing
@testable import Features
@testable import Ingestion
@testable import PostgresWarehouse
import TestSupport

/// The features compiled to SQL, run inside PostgreSQL, against the Swift definition.
@Suite("Features as SQL in PostgreSQL", .enabled(if: PostgresTestServer.available, Comment(rawValue: PostgresTestServer.absent)))
struct FeatureSQLPostgresTests {
    @Test func everyFeatureMatchesTheSwiftDefinition() async throws {
        let rows = SeededPurchases.rows(customers: 300, seed: 11)
        let log = makeLog(rows)
        let (location, name) = try PostgresBackendTests.freshDatabase()
        defer { PostgresTestServer.dropDatabase(name) }
        try await PostgresSession.with(location) { session in
            try await session.execute("CREATE TABLE transactions (customer_id text, timestamp timestamp, quantity double precision, amount double precision, product_id text)")
            try await session.copy(into: "transactions", columns: ["customer_id", "timestamp", "quantity", "amount", "product_id"], count: rows.count) { i, row in
                let (c, d, a, p) = rows[i]
                row.text(c); row.text("\(CivilDate(dayNumber: d)) 01:00:00"); row.double(1); row.double(a); row.text("p\(p)")
            }
            for (cutoff, products) in [(CivilDate(year: 2018, month: 3, day: 1).dayNumber, true), (CivilDate(year: 2019, month: 6, day: 15).dayNumber, false)] {
                let matrix = EventLog(log).features(asOf: cutoff)
                let names = FeatureSet.names(withProducts: products)
                let result = try await session.rows(FeatureSQL.select(.postgres, cutoff: cutoff, withProducts: products))
                #expect(result.count == matrix.rowCount && matrix.rowCount > 0)
                var rowOf: [String: Int] = [:]
                for (i, c) in matrix.customers.enumerated() { rowOf[log.customerIDs[Int(c)]] = i }
                var compared = 0
                for row in result {
                    guard let id = row[0].text, let i = rowOf[id] else { Issue.record("\(row[0]) is not in the Swift matrix"); continue }
                    for (f, name) in names.enumerated() {
                        let want = matrix.columns[matrix.names.firstIndex(of: name)!][i]
                        let got = row[f + 1].double
                        if want.isNaN {
                            #expect(got == nil, "\(id) \(name): \(String(describing: got)) for NaN")
                        } else {
                            #expect(got.map { abs($0 - want) <= 1e-9 * max(1, abs(want)) } == true, "\(id) \(name): \(String(describing: got)) vs \(want)")
                        }
                        compared += 1
                    }
                }
                #expect(compared == matrix.rowCount * names.count)
            }
        }
    }
}
