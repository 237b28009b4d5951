import Core
import Foundation
import Testing
import TestSupport
@testable import Ingestion
@testable import Reports

/// A log from (customer, ISO date, hour, product, amount) rows; products p0 ... p9.
func shopLog(_ rows: [(String, String, Int, Int32, Double)], amounts: Bool = true) -> TransactionLog {
    var ids: [String] = [], code: [String: Int32] = [:]
    var t = UngroupedTransactions(customer: [], customerIDs: [], seconds: [])
    for (c, date, hour, p, a) in rows {
        if code[c] == nil { code[c] = Int32(ids.count); ids.append(c) }
        t.customer.append(code[c]!)
        t.seconds.append(Int64(CivilDate(iso: date)!.dayNumber) * 86_400 + Int64(hour) * 3600)
        if amounts { t.amount.append(a) }
        t.quantity.append(1)
        t.product.append(p)
    }
    t.customerIDs = ids
    t.productIDs = (0..<10).map { "p\($0)" }
    return TransactionLog.grouping(t).log
}

@Suite("Customer-dynamics analyses")
struct AnalysesTests {
    @Test func linesOfOneBasketAreOneTransaction() {
        let log = shopLog([("a", "2019-01-05", 10, 1, 5), ("a", "2019-01-05", 10, 2, 7), ("a", "2019-01-05", 11, 1, 5), ("b", "2019-02-01", 0, 3, 1)])
        let b = Baskets(log)
        #expect(b.count == 3)
        #expect(b.perCustomer == [2, 1])
        #expect(b.amount == [12, 5, 1])
        #expect(b.hasTimeOfDay)
        var pairs: [[Int]] = []
        b.forEachProduct { pairs.append([$0, $1]) }
        #expect(pairs == [[0, 1], [0, 2], [1, 1], [2, 3]])
    }

    @Test func rankingAndConcentration() {
        // Customer c0 buys 10 times, c1 ... c9 once each: 19 transactions.
        var rows: [(String, String, Int, Int32, Double)] = (1...10).map { ("c0", "2019-01-\($0 < 10 ? "0" : "")\($0)", 9, 0, 1) }
        for k in 1...9 { rows.append(("c\(k)", "2019-02-01", 9, 0, 1)) }
        let r = ActivityRanking(Baskets(shopLog(rows)), topCustomers: 3)
        #expect(r.counts == [10, 1, 1, 1, 1, 1, 1, 1, 1, 1])
        #expect(r.totalTransactions == 19)
        #expect(r.top.map(\.id) == ["c0", "c1", "c2"])  // ties by id
        #expect(abs(r.share(ofTop: 0.1) - 10.0 / 19) < 1e-12)
        #expect(abs(r.share(ofTop: 0.2) - 11.0 / 19) < 1e-12)
        #expect(abs(r.share(ofTop: 0.01) - 10.0 / 19) < 1e-12)  // at least one customer
        #expect(r.cumulativeShare.last == 1)
        let empty = ActivityRanking(Baskets(shopLog([])))
        #expect(empty.counts.isEmpty && empty.share(ofTop: 0.1) == 0)
    }

    @Test func productMonthlyCountsZeroMonthsAndRejectsBadInput() throws {
        let log = shopLog([("a", "2018-01-05", 1, 1, 5), ("a", "2018-01-05", 1, 1, 5), ("b", "2018-01-20", 1, 1, 5),
                           ("a", "2018-03-02", 1, 1, 5), ("a", "2018-03-02", 1, 2, 5), ("c", "2019-06-01", 1, 1, 5)])
        let m = try ProductMonthly(Baskets(log), product: "p1", year: 2018)
        // Two lines of p1 in one basket count once.
        #expect(m.counts == [2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(m.revenue?[0] == 15)
        #expect(throws: ProductMonthly.Problem.self) { try ProductMonthly(Baskets(log), product: "p9", year: 2018) }
        #expect(throws: ProductMonthly.Problem.yearOutsideData(2017, first: 2018, last: 2019)) {
            try ProductMonthly(Baskets(log), product: "p1", year: 2017)
        }
        do {
            _ = try ProductMonthly(Baskets(log), product: "nope", year: 2018)
        } catch {
            #expect("\(error)".contains("'nope' does not occur") && "\(error)".contains("p1"))
        }
    }

    @Test func topProductsRankTheWindowAndTrackRanks() throws {
        // p1 sells in the window 3 times, p2 twice (more revenue), p3 only before the window.
        let log = shopLog([("a", "2019-06-10", 1, 1, 1), ("b", "2019-06-11", 1, 1, 1), ("c", "2019-06-12", 1, 1, 1),
                           ("a", "2019-06-20", 1, 2, 50), ("b", "2019-06-21", 1, 2, 50),
                           ("c", "2018-01-01", 1, 3, 9), ("c", "2018-01-02", 1, 3, 9), ("c", "2018-01-03", 1, 3, 9), ("c", "2018-01-04", 1, 3, 9)])
        let asOf = CivilDate(iso: "2019-06-30")!.dayNumber
        #expect(TopProducts.windowStart(asOf: asOf, months: 6) == CivilDate(iso: "2019-01-01")!.dayNumber)
        #expect(TopProducts.windowStart(asOf: CivilDate(iso: "2019-03-31")!.dayNumber, months: 1) == CivilDate(iso: "2019-03-01")!.dayNumber)
        let byTx = try TopProducts(Baskets(log), asOf: asOf, months: 6, top: 5)
        #expect(byTx.ranking.entries.map(\.product) == ["p1", "p2"])
        #expect(byTx.ranking.entries.map(\.transactions) == [3, 2])
        #expect(abs(byTx.ranking.entries[0].share - 3.0 / 5) < 1e-12)
        let byRev = try TopProducts(Baskets(log), asOf: asOf, months: 6, top: 1, by: .revenue)
        #expect(byRev.ranking.entries.map(\.product) == ["p2"])
        #expect(byRev.ranking.entries[0].revenue == 100)
        // History: at 2019-05-31 the window (Dec 2018 - May 2019) has no p1 sales.
        #expect(byTx.historyDates.last == "2019-06-30")
        #expect(byTx.historyRanks.last! == [1, 2])
        let may = byTx.historyDates.firstIndex(of: "2019-05-31")!
        #expect(byTx.historyRanks[may] == [nil, nil])
        // Text, CSV and JSON.
        #expect(try byTx.render("csv").hasPrefix("rank,product,transactions,revenue,share\n1,p1,3,3.00,0.600000\n"))
        #expect(try byTx.render("text").contains("   1  p1"))
        let object = try JSONSerialization.jsonObject(with: Data(try byTx.render("json").utf8)) as? [String: Any]
        #expect((object?["ranking"] as? [String: Any])?["as_of"] as? String == "2019-06-30")
        #expect(throws: TopProducts.Problem.noAmounts) {
            try TopProducts(Baskets(shopLog([("a", "2019-01-01", 1, 1, 1)], amounts: false)), asOf: asOf, by: .revenue)
        }
    }

    @Test func weeklyDecompositionRecoversAPureWeeklyPattern() {
        // 10 + weekday effect, no trend, no noise.
        let effect: [Double] = [3, -1, -1, -1, -1, 0, 1]  // Monday first, sums to zero
        let first = CivilDate(iso: "2019-01-07")!.dayNumber  // a Monday
        let observed = (0..<70).map { 10 + effect[($0 + 0) % 7] }
        let d = Decomposition(firstDay: first, observed: observed)
        for w in 0..<7 { #expect(abs(d.weekdayEffect[w] - effect[w]) < 1e-9) }
        #expect(d.trend.compactMap { $0 }.allSatisfy { abs($0 - 10) < 1e-9 })
        #expect(d.remainder.compactMap { $0 }.allSatisfy { abs($0) < 1e-9 })
        #expect(d.trend.prefix(3).allSatisfy { $0 == nil } && d.trend.suffix(3).allSatisfy { $0 == nil })
        let flat = Decomposition(firstDay: first, observed: [Double](repeating: 4, count: 30))
        #expect(flat.seasonalStrength == 0)
        #expect(Decomposition(firstDay: first, observed: [1, 2]).trend == [nil, nil])
    }

    @Test func seasonalityCountsByMonthWeekdayAndHour() {
        let log = shopLog([("a", "2019-01-07", 9, 1, 1), ("a", "2019-01-08", 9, 1, 1), ("b", "2019-03-10", 23, 1, 1)])
        let s = Seasonality(Baskets(log))
        #expect(s.years == [2019])
        #expect(s.byMonth[0][0] == 2 && s.byMonth[0][1] == 0 && s.byMonth[0][2] == 1 && s.byMonth[0][3] == nil)
        #expect(s.byWeekday == [1, 1, 0, 0, 0, 0, 1])  // Mon, Tue, Sun
        #expect(s.byHour[9] == 2 && s.byHour[23] == 1)
    }

    @Test func cohortsGapsAndNewVersusReturning() {
        let log = shopLog([("a", "2019-01-05", 1, 1, 1), ("a", "2019-01-15", 1, 1, 1), ("a", "2019-03-01", 1, 1, 1),
                           ("b", "2019-01-20", 1, 1, 1), ("c", "2019-02-03", 1, 1, 1), ("c", "2019-03-03", 1, 1, 1)])
        let f = CustomerFlow(Baskets(log))
        #expect(f.months == ["2019-01", "2019-02", "2019-03"])
        #expect(f.cohortSizes == [2, 1, 0])
        #expect(f.retention[0] == [1, 0, 0.5])
        #expect(f.retention[1] == [1, 1, nil])
        #expect(f.retention[2] == [nil, nil, nil])
        #expect(f.newCustomers == [2, 1, 0])
        #expect(f.returningCustomers == [0, 0, 2])
        #expect(f.gaps.sorted() == [10, 28, 45])
        #expect(f.medianGap == 28)
        #expect(f.meanRetention(after: 1) == 1.0 / 3)
    }

    @Test func calibrationSplitsIntoTenGroups() {
        let p = (0..<100).map { Double($0) }, y = (0..<100).map { Double($0) * 2 }
        let bins = ModelDiagnostics.calibration(predicted: p.reversed(), actual: y.reversed())
        #expect(bins.count == 10)
        #expect(bins.allSatisfy { $0.customers == 10 })
        #expect(bins[0].meanPredicted == 4.5 && bins[0].meanActual == 9)
        #expect(ModelDiagnostics.calibration(predicted: [], actual: []).isEmpty)
        #expect(ModelDiagnostics.calibration(predicted: [1, 2, 3], actual: [0, 0, 1]).count == 3)
    }
}
