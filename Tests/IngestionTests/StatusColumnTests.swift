import Core
import Foundation
import Testing
@testable import Ingestion

@Suite("An order-status column nobody maps")
struct StatusColumnTests {
    let csv = """
        client,created,total,Order_Status
        a,2019-03-01,10.5,completed
        a,2019-03-09,4,cancelled
        b,2019-03-02,7,completed

        """

    func mapping(status: Bool) -> ColumnMapping {
        var m = ColumnMapping()
        m.customer = .name("client"); m.time = .name("created"); m.amount = .name("total")
        if status { m.status = .name("Order_Status") }
        return m
    }

    @Test func isReportedWhenUnmapped() throws {
        let path = writeTemporaryFile(csv)
        let r = try TransactionIngest.flat(path: path, mapping: mapping(status: false), threads: 1)
        // Nothing is dropped (every row counts), but the report says what that means.
        #expect(r.log.rowCount == 3 && r.report.log.excludedByStatus == 0)
        #expect(r.report.unmappedStatusColumn == "Order_Status")
        #expect(r.report.unmappedStatusWarning?.contains("cancelled orders included") == true)
        #expect(try TextQuoting.jsonText(r.report).contains("\"unmapped_status_column\" : \"Order_Status\""))
    }

    @Test func isQuietWhenMappedOrAbsent() throws {
        let mapped = try TransactionIngest.flat(path: writeTemporaryFile(csv), mapping: mapping(status: true), threads: 1)
        #expect(mapped.report.unmappedStatusColumn == nil && mapped.report.log.excludedByStatus == 1 && mapped.log.rowCount == 2)
        let plain = "client,created,total\na,2019-03-01,10.5\n"
        let none = try TransactionIngest.flat(path: writeTemporaryFile(plain), mapping: mapping(status: false), threads: 1)
        #expect(none.report.unmappedStatusColumn == nil)
        // Absent from the JSON, so reports of sources without one keep their bytes.
        #expect(try !TextQuoting.jsonText(none.report).contains("unmapped_status_column"))
    }

    @Test func recognisesTheUsualNames() {
        #expect(TransactionIngest.unreadStatusColumn(["id", "status"]) == "status")
        #expect(TransactionIngest.unreadStatusColumn(["ORDER STATUS"]) == "ORDER STATUS")
        #expect(TransactionIngest.unreadStatusColumn(["state", "city"]) == nil)
    }
}
