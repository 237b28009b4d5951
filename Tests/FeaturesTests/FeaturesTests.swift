import Core
import Foundation
import TestSupport
import Testing
@testable import Features
@testable import Ingestion

func same(_ a: Double, _ b: Double) -> Bool { a == b || (a.isNaN && b.isNaN) }

@Suite("Features")
struct FeaturesTests {
    let c = CivilDate(year: 2018, month: 3, day: 1).dayNumber  // cutoff

    @Test func handComputedValues() throws {
        // Customer a: events on c-100 (two rows, same day), c-40, c-10; one event after the cutoff.
        let log = makeLog([("a", c - 100, 5, 1), ("a", c - 100, 7, 2), ("a", c - 40, 3, 1), ("a", c - 10, 10, 3),
                           ("a", c + 3, 99, 4), ("b", c + 1, 1, 1), ("e", c - 400, 2, 0)])
        let events = EventLog(log)
        #expect(events.eventCount == 6)
        let m = events.features(asOf: c)
        #expect(m.rowCount == 2)  // b has no event before the cutoff
        let row = m.customers.firstIndex(of: 0)!
        func f(_ name: String) -> Double { m.column(name)![row] }
        #expect(f("recency_days") == 10 && f("tenure_days") == 100 && f("freq_total") == 3)
        #expect(f("freq_30") == 1 && f("freq_90") == 2 && f("freq_180") == 3 && f("freq_365") == 3)
        #expect(f("mean_gap_days") == 45)
        // gaps 60 and 30: sample standard deviation sqrt(((60-45)^2 + (30-45)^2) / 1) = 21.2132...
        #expect(abs(f("gap_std_days") - (450.0).squareRoot()) < 1e-9)
        #expect(f("monetary_total") == 25 && abs(f("monetary_mean") - 25.0 / 3) < 1e-12)
        #expect(f("target_month") == 3)
        #expect(f("product_breadth") == 3)
        #expect(m.nextMonthEvents[row] == 1)
        // yoy window [2017-03-01, 2017-04-01) is observed (the log starts at c-400) and empty for a.
        #expect(f("yoy_same_month") == 0)
        // Monthly windows before March 2018: Feb has 1 event (c-10), Jan 1 (c-40), Nov 1 (c-100 = Nov 21).
        let monthly: [Double] = [0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]
        #expect(abs(f("slope_6m") - FeatureMatrix.slope(monthly, months: 6)) < 1e-12)
        #expect(f("slope_6m") > 0)
        let e = m.customers.firstIndex(of: 2)!
        #expect(m.column("mean_gap_days")![e].isNaN && m.column("gap_std_days")![e].isNaN)
        #expect(m.column("yoy_same_month")![e] == 0 && m.column("recency_days")![e] == 400)
    }

    /// The column names and their order are part of every saved model (feature schema version 1).
    @Test func featureColumnsKeepTheirNamesAndOrder() {
        #expect(FeatureSet.names(withProducts: true) == [
            "recency_days", "freq_total", "freq_30", "freq_90", "freq_180", "freq_365", "tenure_days",
            "mean_gap_days", "gap_std_days", "monetary_total", "monetary_mean", "target_month", "yoy_same_month",
            "slope_6m", "slope_12m", "product_breadth",
        ])
        #expect(FeatureSet.names(withProducts: false) == FeatureSet.baseNames && FeatureSet.baseNames.count == 15)
        for f in Feature.allCases { #expect(FeatureSet.names(withProducts: true)[f.rawValue] == f.name) }
    }

    @Test func slopeMatchesLeastSquares() {
        // Counts 1..6 in the months before the cutoff, rising towards the present:
        // y(k) = 7 - k for k = 1...6 at x = -k, so the slope is +1 per month.
        var counts = [Double](repeating: 0, count: 13)
        for k in 1...6 { counts[k] = Double(7 - k) }
        #expect(abs(FeatureMatrix.slope(counts, months: 6) - 1) < 1e-12)
        #expect(FeatureMatrix.slope([Double](repeating: 2, count: 13), months: 12) == 0)
    }

    @Test func yoyIsNaNWhenTheLogDoesNotReachBack() {
        let log = makeLog([("a", c - 30, 1, 0), ("b", c - 20, 1, 0)])
        let m = EventLog(log).features(asOf: c)
        #expect(m.column("yoy_same_month")!.allSatisfy { $0.isNaN })
    }

    /// Leakage is a defect: events on or after the cutoff must not change any feature.
    @Test func noFeatureReadsTheCutoffDayOrLater() {
        var rng = RandomSource(seed: 11)
        var rows: [(String, Int, Double, Int32)] = []
        for i in 0..<3000 {
            rows.append(("c\(rng.below(300))", c - 1 - rng.below(800), Double(rng.below(100)), Int32(rng.below(10))))
            if i % 3 == 0 { rows.append(("c\(rng.below(300))", c - rng.below(2), 5, Int32(rng.below(10)))) }  // some on c itself
        }
        let before = rows.filter { $0.1 < c }
        let base = EventLog(makeLog(before)).features(asOf: c)
        var withFuture = before
        for _ in 0..<2000 {
            withFuture.append(("c\(rng.below(400))", c + rng.below(400), Double(rng.below(100)), Int32(rng.below(10))))
        }
        withFuture.append(("c1", c, 1000, 9))
        for variant in [rows, withFuture] {
            let m = EventLog(makeLog(variant)).features(asOf: c)
            // Compare by customer id: numbering may differ when the extra rows add customers.
            let ids = EventLog(makeLog(variant)).customerIDs
            let baseIDs = EventLog(makeLog(before)).customerIDs
            #expect(m.rowCount == base.rowCount)
            var byID: [String: Int] = [:]
            for (r, cust) in m.customers.enumerated() { byID[ids[Int(cust)]] = r }
            for (r, cust) in base.customers.enumerated() {
                guard let other = byID[baseIDs[Int(cust)]] else { Issue.record("customer missing"); continue }
                for f in base.names.indices {
                    #expect(same(base.columns[f][r], m.columns[f][other]), "\(base.names[f])")
                }
            }
        }
    }

    @Test func panelStacksOriginsWithNextMonthTargets() {
        let jan = CivilDate(year: 2018, month: 1, day: 1), apr = CivilDate(year: 2018, month: 4, day: 1)
        let origins = TrainingPanel.origins(from: jan, cutoff: apr)
        #expect(origins == [jan.dayNumber, CivilDate(year: 2018, month: 2, day: 1).dayNumber, c])
        let log = makeLog([("a", jan.dayNumber - 5, 1, 0), ("a", jan.dayNumber + 3, 1, 0), ("a", jan.dayNumber + 4, 1, 0),
                           ("b", jan.dayNumber + 40, 1, 0), ("b", c + 2, 1, 0)])
        let panel = TrainingPanel(events: EventLog(log), origins: origins)
        // Jan: a only (target 2); Feb: a (0) and b? b's first event is Feb 10 -> not before Feb 1; Mar: a (0), b (1).
        #expect(panel.rowCount == 4)
        #expect(panel.target == [2, 0, 0, 1])
        #expect(panel.origin == [0, 1, 2, 2])
        // Each origin's rows are the feature matrix of that origin (training reuses them).
        let events = EventLog(log)
        for k in origins.indices {
            let fromPanel = panel.matrix(origin: k), computed = events.features(asOf: origins[k])
            #expect(fromPanel.cutoff == computed.cutoff && fromPanel.customers == computed.customers)
            #expect(fromPanel.names == computed.names && fromPanel.nextMonthEvents == computed.nextMonthEvents)
            #expect(zip(fromPanel.columns, computed.columns).allSatisfy { a, b in
                a.count == b.count && zip(a, b).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
            })
        }
    }

    @Test func emptyAndSingleEventLogs() {
        let empty = EventLog(TransactionLog.grouping(UngroupedTransactions(customer: [], customerIDs: [], seconds: [])).log)
        #expect(empty.features(asOf: c).rowCount == 0)
        let one = EventLog(makeLog([("a", c - 1, 0, 0)])).features(asOf: c)
        #expect(one.rowCount == 1 && one.column("recency_days") == [1] && one.column("monetary_mean") == [0])
    }
}

let cdnowMaster = SharedData.cdnowMaster

@Suite("Features on CDNOW")
struct CDNOWFeatureTests {
    /// Column sums and NaN counts at origin 1998-01-01 from the Python reference
    /// (`../shared/anchors/features.py`, build_features_pandas), computed once and pinned here.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: cdnowMaster)))
    func matchesThePythonReference() throws {
        let log = try TransactionIngest.flat(path: cdnowMaster, mapping: KnownLayout.cdnow.mapping!).log
        let m = EventLog(log).features(asOf: CivilDate(year: 1998, month: 1, day: 1).dayNumber)
        let reference: [String: (sum: Double, nan: Int)] = [
            "recency_days": (5_760_655, 0), "freq_total": (55_319, 0), "freq_30": (2289, 0), "freq_90": (7268, 0),
            "freq_180": (14_406, 0), "freq_365": (55_319, 0), "tenure_days": (7_591_746, 0),
            "mean_gap_days": (899_148.1547332624, 13_080), "monetary_total": (2_024_161.26, 0),
            "monetary_mean": (780_177.7583372821, 0), "target_month": (23_570, 0), "yoy_same_month": (8767, 0),
        ]
        #expect(m.rowCount == 23_570)
        for (name, expected) in reference {
            let column = try #require(m.column(name))
            let sum = column.filter { !$0.isNaN }.reduce(0, +)
            #expect(abs(sum - expected.sum) <= 1e-9 * max(1, abs(expected.sum)), "\(name): \(sum)")
            #expect(column.filter(\.isNaN).count == expected.nan, "\(name)")
        }
        #expect(m.nextMonthEvents.reduce(0, +) == 1965)
    }
}
