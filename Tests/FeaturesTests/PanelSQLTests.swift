import Core
import Foundation
import GRDB
import TestSupport
import Testing
@testable import Features
@testable import Ingestion

/// The training panel compiled to SQL (`FeatureSQL.panel`) against `TrainingPanel`, run in SQLite, and the panel
/// file reader (`PanelFile`) against the panel it was written from.
@Suite("Training panel as SQL and as a file")
struct PanelSQLTests {
    static let rows = SeededPurchases.rows(customers: 250, seed: 5)
    static let origins = TrainingPanel.origins(from: CivilDate(year: 2018, month: 1, day: 1), cutoff: CivilDate(year: 2018, month: 7, day: 1))

    /// The panel's rows keyed by "origin customer", values in column order then the target.
    static func keyed(_ panel: TrainingPanel, ids: [String]) -> [String: [Double]] {
        var out: [String: [Double]] = [:]
        for r in 0..<panel.rowCount {
            out["\(CivilDate(dayNumber: panel.origins[Int(panel.origin[r])])) \(ids[Int(panel.customers[r])])"] = panel.columns.map { $0[r] } + [panel.target[r]]
        }
        return out
    }

    static func close(_ a: Double, _ b: Double) -> Bool {
        a.isNaN ? b.isNaN : abs(a - b) <= 1e-9 * max(1, abs(b))
    }

    @Test(arguments: [false, true])
    func everyRowMatchesTrainingPanel(products: Bool) throws {
        let log = makeLog(Self.rows)
        let want = Self.keyed(TrainingPanel(events: EventLog(log), origins: Self.origins), ids: log.customerIDs)
        let db = try FeatureSQLTests.sqlite(Self.rows)
        let statements = try FeatureSQL.panel(.sqlite, origins: Self.origins, withProducts: products)
        #expect(statements.count == 1)
        let result = try db.read { db in try Row.fetchAll(db, sql: statements[0]) }
        let names = FeatureSet.names(withProducts: products)
        #expect(result.first.map { Array($0.columnNames) } == ["customer_id", "origin"] + names + ["next_month_events"])
        #expect(result.count == want.count && want.count > 500)
        var compared = 0, targets = 0.0
        for row in result {
            let key = "\(row[1] as String) \(row[0] as String)"
            guard let w = want[key] else { Issue.record("\(key) is not in the Swift panel"); continue }
            // The Swift panel has product_breadth whenever the log has products; compare the SQL's columns by name.
            let swiftNames = FeatureSet.names(withProducts: true)
            for (f, name) in names.enumerated() {
                let got: Double? = row[f + 2]
                let value = w[swiftNames.firstIndex(of: name)!]
                #expect(Self.close(got ?? .nan, value), "\(key) \(name): \(String(describing: got)) vs \(value)")
            }
            let target: Double = row[names.count + 2]
            #expect(target == w.last!, "\(key) next_month_events")
            targets += target
            compared += 1
        }
        #expect(compared == want.count && targets > 50)
    }

    @Test func samplingIsRefusedInSQLiteAndWrittenForTheOthers() throws {
        #expect(throws: FeatureSQLError.noHashFunction) { try FeatureSQL.panel(.sqlite, origins: Self.origins, sample: (10, 1)) }
        let pg = try FeatureSQL.panel(.postgres, origins: Self.origins, sample: (10, 7))
        #expect(pg.count == 2 && pg[0].contains("md5(CAST(customer_id AS text) || ':7')") && pg[0].contains("LIMIT 10"))
        #expect(pg[1].contains("FROM panel_transactions") && pg[1].contains("log_days AS (SELECT (CAST(timestamp AS date) - DATE '1970-01-01') AS day FROM transactions)"))
    }

    /// A panel written as CSV (as an engine writes it: empty for missing, dates for origins, shuffled rows) reads back
    /// as the same panel; bad rows are rejected with their line, and counted.
    @Test func aPanelFileReadsBackAsThePanel() throws {
        let log = makeLog(Self.rows)
        let panel = TrainingPanel(events: EventLog(log), origins: Self.origins)
        var lines: [String] = []
        for r in 0..<panel.rowCount {
            let values = panel.columns.map { $0[r].isNaN ? "" : "\($0[r])" }
            lines.append(([log.customerIDs[Int(panel.customers[r])], "\(CivilDate(dayNumber: panel.origins[Int(panel.origin[r])]))"]
                          + values + ["\(Int(panel.target[r]))"]).joined(separator: ","))
        }
        lines.shuffle()
        let bad = ["c1,2018-02-15," + String(repeating: "1,", count: panel.names.count) + "0",
                   "c2,2018-02-01," + String(repeating: "1,", count: panel.names.count) + "-1",
                   "c3,," + String(repeating: "1,", count: panel.names.count) + "1",
                   "c4,2018-02-01," + String(repeating: "x,", count: panel.names.count) + "1"]
        let dir = NSTemporaryDirectory() + "panel-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let header = (["customer_id", "origin"] + panel.names + ["next_month_events"]).joined(separator: ",")
        let half = lines.count / 2
        try ([header] + lines.prefix(half) + bad).joined(separator: "\n").write(toFile: dir + "/part-0.csv", atomically: true, encoding: .utf8)
        try ([header] + lines.dropFirst(half)).joined(separator: "\n").write(toFile: dir + "/part-1.csv", atomically: true, encoding: .utf8)
        let file = try PanelFile(path: dir)
        #expect(file.files.count == 2)
        #expect(file.rowsRead == panel.rowCount + bad.count && file.rowsAccepted == panel.rowCount && file.rejects.count == bad.count)
        #expect(file.rejects.contains { $0.line == half + 2 && $0.reason.contains("not a month start") }, "\(file.rejects.map { "\($0.line): \($0.reason)" })")
        #expect(file.panel.names == panel.names && file.panel.origins == panel.origins)
        let got = Self.keyed(file.panel, ids: file.customerIDs), want = Self.keyed(panel, ids: log.customerIDs)
        #expect(got.count == want.count)
        #expect(got.allSatisfy { key, values in want[key].map { zip(values, $0).allSatisfy { Self.close($0, $1) } } == true })
        // Stacked origin by origin, as the models' holdout expects.
        #expect(zip(file.panel.origin, file.panel.origin.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test func aPanelFileWithoutTheColumnsSaysWhich() throws {
        let path = NSTemporaryDirectory() + "panel-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "customer_id,origin,recency_days\nc,2018-01-01,3\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: PanelFileError.missingColumn(file: path, column: "next_month_events", header: ["customer_id", "origin", "recency_days"])) {
            try PanelFile(path: path)
        }
        try "customer_id,origin,recency,next_month_events\nc,2018-01-01,3,0\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect { try PanelFile(path: path) } throws: { ($0 as? PanelFileError)?.description.contains("recency is not a feature") == true }
        #expect(throws: PanelFileError.missing("/nonexistent/panel.csv")) { try PanelFile(path: "/nonexistent/panel.csv") }
    }
}
