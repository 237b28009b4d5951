import Core
import Foundation
import Testing
@testable import Ingestion

@Suite("CSV reading")
struct TableReaderTests {
    func read(_ text: String, schema: TableSchema = simpleSchema(), threads: Int = 1, caller: String = #function) throws -> ParsedTable {
        try TableReader(schema: schema, threads: threads).read(path: writeTemporaryFile(text, caller: caller))
    }

    @Test func rfc4180Quoting() throws {
        let t = try read("customer,time,amount,note\n\"a,1\",2018-01-01,1.5,\"he said \"\"hi\"\"\"\n\"multi\nline\",2018-01-02,2,\"x\"\nplain,2018-01-03,3,\"\"\n",
                         schema: simpleSchema(byName: true))
        #expect(t.rowsRead == 3 && t.rowsAccepted == 3)
        #expect(t.keys("customer_id") == ["a,1", "multi\nline", "plain"])
        #expect(t.numbers["amount"] == [1.5, 2, 3])
        #expect(t.lineNumbers == [2, 3, 5])  // the quoted line break makes record 3 start on line 5
    }

    @Test func crlfBomAndNoTrailingNewline() throws {
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
        bytes += Array("customer,time,amount\r\nc1,2018-01-01,1\r\nc2,2018-01-02,2".utf8)
        let t = try TableReader(schema: simpleSchema(byName: true), threads: 1).read(path: writeTemporaryFile(bytes))
        #expect(t.hasHeader && t.headerNames == ["customer", "time", "amount"])
        #expect(t.keys("customer_id") == ["c1", "c2"] && t.numbers["amount"] == [1, 2])
    }

    @Test func headerDetection() throws {
        let withHeader = try read("id,when,value\nc1,2018-01-01,1\n")
        #expect(withHeader.hasHeader && withHeader.rowsRead == 1)
        let without = try read("c1,2018-01-01,1\nc2,2018-01-02,2\n")
        #expect(!without.hasHeader && without.rowsRead == 2)
    }

    @Test func delimiters() throws {
        let semicolon = try read("c1;2018-01-01;1.5\nc2;2018-01-02;2\n")
        #expect(semicolon.delimiter == .semicolon && semicolon.rowsAccepted == 2)
        let tab = try read("c1\t2018-01-01\t1.5\n")
        #expect(tab.delimiter == .tab && tab.rowsAccepted == 1)
        let spaces = try read("   c1   20180101    1.5\n c2 20180102 2  \n")
        #expect(spaces.delimiter == .whitespace && spaces.rowsAccepted == 2)
        #expect(spaces.timestampFormat == .compactDate && spaces.timestampFormatDetected)
        let explicit = try read("c1|2018-01-01|1\n", schema: simpleSchema(delimiter: Delimiter(flag: "|")))
        #expect(explicit.rowsAccepted == 1)
    }

    @Test func blankLinesAreNotRows() throws {
        let t = try read("c1,2018-01-01,1\n\n\nc2,2018-01-02,2\n\n")
        #expect(t.rowsRead == 2 && t.blankLines == 3 && t.rowsRejected == 0)
    }

    @Test func eachBadValueIsRejectedWithAReason() throws {
        var text = "customer,time,amount\n"
        text += "ok,2018-01-01,1\n"          // line 2
        text += "ragged,2018-01-01\n"        // 3
        text += "d,2018-02-30,1\n"           // 4 impossible date
        text += "c,2018-01-01,\"1,5\"\n"     // 5 decimal comma
        text += "e,2018-01-01,12abc\n"       // 6
        text += ",2018-01-01,1\n"            // 7 empty key
        text += "n,2018-01-01,-4\n"          // 8 negative (rejected by this schema)
        text += "q,2018-01-01,1,extra\n"     // 9 ragged
        text += "u\"v,2018-01-01,1\n"        // 10 literal quote inside an unquoted field is data
        let t = try read(text, schema: simpleSchema(byName: true))
        #expect(t.rowsRead == 9)
        #expect(t.rowsAccepted + t.rowsRejected == t.rowsRead)
        #expect(t.keys("customer_id").contains("u\"v"))
        let byLine = Dictionary(uniqueKeysWithValues: t.rejects.map { ($0.line, $0) })
        #expect(Set(byLine.keys) == [3, 4, 5, 6, 7, 8, 9])
        #expect(byLine[3]!.category == "ragged row" && byLine[3]!.reason.contains("expected 3 fields"))
        #expect(byLine[4]!.reason.contains("'2018-02-30'") && byLine[4]!.field == "timestamp" && byLine[4]!.column == 3)
        #expect(byLine[5]!.reason.contains("'.' as the decimal point"))
        #expect(byLine[6]!.reason.contains("expected a number, got '12abc'") && byLine[6]!.column == 14)
        #expect(byLine[7]!.category == "empty customer_id")
        #expect(byLine[8]!.category == "negative amount")
        #expect(byLine[6]!.raw == "e,2018-01-01,12abc")
        let amount = t.columnQuality.first { $0.field == "amount" }!
        #expect(amount.unparseable == 2 && amount.negative == 1)
    }

    @Test func unterminatedQuoteAtEndOfFile() throws {
        let t = try read("c1,2018-01-01,1\n\"c2,2018-01-02,2\n")
        #expect(t.rowsRead == 2 && t.rowsAccepted == 1 && t.rowsRejected == 1)
        #expect(t.rejects[0].category == "malformed quoting" && t.rejects[0].line == 2)
        #expect(t.rejects[0].reason.contains("not closed"))
    }

    @Test func textAfterClosingQuote() throws {
        let t = try read("\"c1\"x,2018-01-01,1\nc2,2018-01-02,2\n")
        #expect(t.rowsAccepted == 1 && t.rejects.first?.reason.contains("after a closing quote") == true)
    }

    @Test func invalidUTF8IsRejected() throws {
        var bytes = Array("c1,2018-01-01,1\n".utf8)
        bytes += [0xC3, 0x28] + Array(",2018-01-01,1\n".utf8)
        bytes += Array("Jürgen,2018-01-01,1\n".utf8)
        let t = try TableReader(schema: simpleSchema(), threads: 1).read(path: writeTemporaryFile(bytes))
        #expect(t.rowsAccepted == 2 && t.rejects.count == 1)
        #expect(t.rejects[0].category == "invalid UTF-8" && t.rejects[0].line == 2)
        #expect(t.keys("customer_id") == ["c1", "Jürgen"])
    }

    @Test func failPolicyNamesFileLineAndColumn() throws {
        let path = writeTemporaryFile("customer,time,amount\nok,2018-01-01,1\nbad,2018-01-01,12abc\n")
        #expect {
            try TableReader(schema: simpleSchema(byName: true), policy: .fail, threads: 1).read(path: path)
        } throws: { error in
            guard case IngestionError.badRow(let p, let line, let column, let field, let reason) = error else { return false }
            return p == path && line == 3 && column == 16 && field == "amount" && reason.contains("expected a number")
                && "\(error)".hasPrefix("\(path):3:16")
        }
    }

    @Test func emptyFileAndMissingColumnsAreClearErrors() throws {
        let empty = writeTemporaryFile("", name: "empty.csv")
        #expect(throws: IngestionError.noData(path: empty, reason: "the file is empty")) {
            try TableReader(schema: simpleSchema(), threads: 1).read(path: empty)
        }
        let path = writeTemporaryFile("customer,when,amount\nc,2018-01-01,1\n")
        #expect {
            try TableReader(schema: simpleSchema(byName: true), threads: 1).read(path: path)
        } throws: { error in
            "\(error)".contains("column \"time\" not found") && "\(error)".contains("\"when\"")
        }
        #expect(throws: IngestionError.self) {
            try TableReader(schema: TableSchema(table: "t", fields: [FieldSpec("customer_id", .key, source: .position(9))]), threads: 1)
                .read(path: path)
        }
        #expect(throws: IngestionError.self) {
            try TableReader(schema: simpleSchema(), threads: 1).read(path: "/nonexistent/file.csv")
        }
        let headerOnly = try TableReader(schema: simpleSchema(byName: true), threads: 1)
            .read(path: writeTemporaryFile("customer,time,amount\n"))
        #expect(headerOnly.rowsRead == 0)
    }

    @Test func undetectableTimestampsSayWhatToDo() throws {
        #expect {
            try read("c1,yesterday,1\nc2,today,2\n")
        } throws: { error in
            guard case IngestionError.unrecognisedTimestamps(_, let column, let examples) = error else { return false }
            return column == .position(2) && examples.contains("yesterday")
        }
    }

    /// A file over 1 MiB with quoted line breaks, CRLF and bad rows parses to the same table
    /// on one thread and on four.
    @Test func parallelParseEqualsSerialParse() throws {
        var text = "customer,time,amount\n"
        var rng = RandomSource(seed: 3)
        for i in 0..<40_000 {
            switch rng.below(20) {
            case 0: text += "\"cust\n\(i % 997)\",2018-01-01T10:00:00,\(i)\r\n"
            case 1: text += "\"q\"\"\(i % 13)\",2018-02-30,1\n"
            case 2: text += "ragged\n"
            default: text += "c\(i % 5000),2018-\(String(format: "%02d", 1 + i % 12))-1\(i % 10)T12:00:00,\(i).25\n"
            }
        }
        let path = writeTemporaryFile(text)
        let serial = try TableReader(schema: simpleSchema(byName: true), threads: 1).read(path: path)
        for threads in [2, 4] {
            let parallel = try TableReader(schema: simpleSchema(byName: true), threads: threads).read(path: path)
            #expect(parallel.rowsRead == serial.rowsRead && parallel.rowsAccepted == serial.rowsAccepted)
            #expect(parallel.keys("customer_id") == serial.keys("customer_id"))
            #expect(parallel.codes == serial.codes && parallel.times == serial.times && parallel.numbers == serial.numbers)
            #expect(parallel.lineNumbers == serial.lineNumbers)
            #expect(parallel.rejects == serial.rejects)
        }
        #expect(serial.rowsRejected > 2000 && serial.rowsRead == 40_000)
    }
}
