import Core
import Foundation
import Testing
@testable import Ingestion

@Suite("Transaction log")
struct TransactionLogTests {
    @Test func groupsByCustomerAndSortsByTime() {
        var t = UngroupedTransactions(customer: [1, 0, 1, 0, 1], customerIDs: ["a", "b"], seconds: [30, 20, 10, 5, 10])
        t.amount = [1, 2, 3, 4, 3]
        let g = TransactionLog.grouping(t)
        // customers in code order (the reader assigns codes by first appearance)
        #expect(g.log.customerIDs == ["a", "b"])
        #expect(g.log.offsets == [0, 2, 5])
        #expect(g.log.seconds == [5, 20, 10, 10, 30])
        #expect(g.duplicatePositions == [4])  // row 4 repeats row 2 exactly
        let dropped = TransactionLog.grouping(t, dropDuplicates: true)
        #expect(dropped.log.rowCount == 4 && dropped.log.offsets == [0, 2, 4])
        // a customer code without rows is dropped
        let sparse = TransactionLog.grouping(UngroupedTransactions(customer: [2, 0], customerIDs: ["x", "y", "z"], seconds: [1, 2])).log
        #expect(sparse.customerIDs == ["x", "z"] && sparse.offsets == [0, 1, 2])
    }

    @Test func eventsAreDistinctCustomerDays() {
        let day = Int64(86_400)
        let t = UngroupedTransactions(customer: [0, 0, 0, 1], customerIDs: ["a", "b"], seconds: [day + 5, day + 600, 3 * day, day])
        let log = TransactionLog.grouping(t).log
        #expect(log.eventCount == 3)
        #expect(log.dayRange == 1...3)
    }

    @Test func emptyLog() {
        let log = TransactionLog.grouping(UngroupedTransactions(customer: [], customerIDs: [], seconds: [])).log
        #expect(log.customerCount == 0 && log.rowCount == 0 && log.eventCount == 0 && log.dayRange == nil)
    }
}

@Suite("Ingesting transactions")
struct TransactionIngestTests {
    var mapping: ColumnMapping {
        var m = ColumnMapping()
        m.customer = .name("cust"); m.time = .name("ts"); m.product = .name("sku"); m.quantity = .name("qty"); m.price = .name("price")
        m.status = .name("state")
        return m
    }

    @Test func rowsReadEqualAcceptedPlusRejectedAndStatusIsExcluded() throws {
        let path = writeTemporaryFile("""
            cust,ts,sku,qty,price,state
            a,2018-01-01T10:00:00,p1,2,1.50,completed
            a,2018-01-01T10:00:00,p1,2,1.50,completed
            a,2018-01-05T10:00:00,p2,-1,3,completed
            b,2018-01-02T10:00:00,p1,1,2,cancelled
            b,2018-01-03T10:00:00,p2,1,0,completed
            c,2018-02-30T10:00:00,p1,1,2,completed

            """)
        let r = try TransactionIngest.flat(path: path, mapping: mapping, rules: QualityRules(asOfDay: 20_000), threads: 1)
        let t = r.report.tables[0]
        #expect(t.rowsRead == 6 && t.rowsAccepted == 4 && t.rowsRejected == 2)
        #expect(t.rowsRead == t.rowsAccepted + t.rowsRejected)
        #expect(r.report.log.excludedByStatus == 1)
        #expect(r.log.rowCount == 3)
        #expect(t.duplicateRows == 1)
        #expect(r.report.log.zeroAmountRows == 1)
        #expect(r.log.amount == [3, 3, 0])
        #expect(Set(r.rejects.map(\.category)) == ["negative quantity", "unparseable timestamp"])
    }

    @Test func duplicatesCanBeRejected() throws {
        let path = writeTemporaryFile("cust,ts,sku,qty,price,state\na,2018-01-01,p1,1,1,ok\na,2018-01-01,p1,1,1,ok\n")
        var rules = QualityRules(asOfDay: 20_000)
        rules.duplicateRows = .reject
        let r = try TransactionIngest.flat(path: path, mapping: mapping, rules: rules, threads: 1)
        #expect(r.log.rowCount == 1 && r.report.tables[0].rowsRejected == 1 && r.report.tables[0].rowsAccepted == 1)
        #expect(r.rejects[0].line == 3 && r.rejects[0].raw == "a,2018-01-01,p1,1,1,ok")
    }

    @Test func futureAndFarOffTimestampsAreReported() throws {
        var text = "cust,ts,sku,qty,price,state\n"
        for i in 0..<2000 { text += "c\(i % 50),2018-0\(1 + i % 9)-01,p,1,1,ok\n" }
        text += "x,2099-01-01,p,1,1,ok\n"
        let path = writeTemporaryFile(text)
        var rules = QualityRules(asOfDay: CivilDate(year: 2019, month: 1, day: 1).dayNumber)
        // By default a timestamp after the as-of day is rejected ...
        let strict = try TransactionIngest.flat(path: path, mapping: mapping, rules: rules, threads: 1)
        #expect(strict.report.rowsRejected == 1 && strict.rejects[0].category == "future timestamp")
        #expect(strict.rejects[0].reason.contains("after the as-of day 2019-01-01") && strict.rejects[0].line == 2002)
        #expect(strict.report.tables[0].columns.first { $0.field == "timestamp" }!.future == 1)
        // ... and with --future warn it stays, counted, and is also far outside the typical range.
        rules.futureTimestamps = .warn
        let r = try TransactionIngest.flat(path: path, mapping: mapping, rules: rules, threads: 1)
        #expect(r.report.rowsRejected == 0)
        #expect(r.report.log.futureTimestamps == 1)
        #expect(r.report.log.farOutsideRange == 1)
        #expect(r.report.log.typicalRange == ["2018-01-01", "2018-09-01"])
    }

    @Test func headerWithoutRowsIsAnError() {
        #expect(throws: IngestionError.self) {
            try TransactionIngest.flat(path: writeTemporaryFile("cust,ts,sku,qty,price,state\n"), mapping: mapping)
        }
    }

    @Test func mappingFile() throws {
        let path = writeTemporaryFile(#"{"customer": "cust_id", "time": 2, "amount": "total", "delimiter": ";", "time_format": "dd.MM.yyyy", "exclude_status": ["void"]}"#,
                                      name: "mapping.json")
        let m = try ColumnMapping.load(path: path)
        #expect(m.customer == .name("cust_id") && m.time == .position(2) && m.amount == .name("total"))
        #expect(m.delimiter == .semicolon && m.timestampFormat == .europeanDate && m.excludedStatuses == ["void"])
        let bad = writeTemporaryFile(#"{"customer": "a", "colour": "red"}"#, name: "bad.json")
        #expect { try ColumnMapping.load(path: bad) } throws: { "\($0)".contains("unknown key \"colour\"") }
        #expect(throws: IngestionError.self) { try ColumnMapping().schema(table: "t", rules: QualityRules()) }
    }

    @Test(.enabled(if: cdnowAvailable)) func cdnowMasterMatchesThePublishedCounts() throws {
        let r = try TransactionIngest.flat(path: cdnowDirectory + "/CDNOW_master.txt", mapping: KnownLayout.cdnow.mapping!)
        let s = IngestSummary(r.report)
        #expect(s.rowsRead == 69_659 && s.rowsAccepted == 69_659 && s.rowsRejected == 0)
        #expect(s.customers == 23_570 && s.events == 67_591)
        #expect(s.firstDay == "1997-01-01" && s.lastDay == "1998-06-30")
        #expect(abs(r.log.amount.reduce(0, +) - 2_500_315.63) < 0.01)
        #expect(r.log.quantity.reduce(0, +) == 167_881)
        #expect(r.report.log.zeroAmountRows == 80)
        // The same file with nothing but two positions given: format and delimiter detected.
        var m = ColumnMapping()
        m.customer = .position(1); m.time = .position(2)
        let detected = try TransactionIngest.flat(path: cdnowDirectory + "/CDNOW_master.txt", mapping: m, threads: 2)
        #expect(detected.report.tables[0].timestampFormat == "yyyyMMdd" && detected.report.tables[0].timestampFormatDetected)
        #expect(detected.log.eventCount == 67_591)
    }

    @Test(.enabled(if: cdnowAvailable)) func cdnowSampleHasNoHeader() throws {
        let r = try TransactionIngest.flat(path: cdnowDirectory + "/CDNOW_sample.txt", mapping: KnownLayout.cdnowSample.mapping!)
        #expect(r.report.tables[0].rowsRejected == 0 && r.log.customerCount == 2357)
    }
}
