import Core
import Foundation
import Testing
import TestSupport
@testable import Parquet

/// Files written by ``ParquetFileWriter`` read back by pyarrow, polars and DuckDB, every value
/// compared with what was written (bench/parquet_readers.py).
@Suite("Parquet: read back by pyarrow, polars and DuckDB")
struct ParquetReadBackTests {
    /// A column as written and as the readers should show it (JSON literals).
    struct Column {
        var field: ParquetField
        var batch: ParquetColumnBatch
        var expected: [String]
    }

    func json(_ v: Double) -> String { v.isNaN ? "NaN" : v.isInfinite ? (v < 0 ? "-Infinity" : "Infinity") : "\(v)" }

    func isoDate(_ day: Int32) -> String { "\"\(CivilDate(dayNumber: Int(day)))\"" }

    func isoTimestamp(_ micros: Int64) -> String {
        // The test's instants are after 1970: plain division floors.
        let seconds = Int(micros / 1_000_000), fraction = Int(micros % 1_000_000)
        let day = seconds / 86_400, s = seconds % 86_400
        var text = "\(CivilDate(dayNumber: day))T" + [s / 3600, s / 60 % 60, s % 60].map { $0 < 10 ? "0\($0)" : "\($0)" }.joined(separator: ":")
        if fraction > 0 { text += "." + String(String(fraction + 1_000_000).dropFirst()) }
        return "\"\(text)\""
    }

    /// Columns of every type over `n` rows, with nulls, non-ASCII and long strings, a
    /// repeated value, and the numeric edge values.
    func columns(rows n: Int) -> [Column] {
        let words = ["Zürich", "東京", "São Paulo", "plain", "", "quote \" and, comma", "emoji 🙂", "new\nline"]
        func valid(_ every: Int, _ offset: Int = 0) -> [Bool] { (0..<n).map { ($0 + offset) % every != 0 } }
        let ints = (0..<n).map { (i: Int) -> Int64 in
            if i == 1 { return Int64.max }
            if i == 2 { return Int64.min }
            return Int64(i) * 7_919 - 3_000
        }
        let doubles = (0..<n).map { i -> Double in
            switch i % 9 { case 0: return 0.1 * Double(i); case 1: return -Double(i) / 3; case 2: return 1e300; case 3: return -0.0
            case 4: return .nan; case 5: return 5e-324; default: return Double(i) * 1.000_000_000_1 }
        }
        let doubleValid = valid(7, 3)
        let strings = (0..<n).map { words[$0 % words.count] + ($0 % 3 == 0 ? "" : "-\($0 % 50)") }
        let stringValid = valid(5)
        let unique = (0..<n).map { "customer-\($0)-" + String(repeating: "x", count: $0 % 13) }
        let long = (0..<n).map { $0 % 97 == 0 ? String(repeating: "long ✓ ", count: 20_000) : "short \($0)" }
        let days = (0..<n).map { (i: Int) -> Int32 in Int32(i == 5 ? -3_000 : 17_000 + i % 900) }
        let dayValid = valid(11)
        let micros = (0..<n).map { (i: Int) -> Int64 in 1_546_300_800_000_000 + Int64(i) * 3_600_000_123 }
        let flags = (0..<n).map { $0 % 3 == 0 }
        let table = ["P001", "P002", "Ωmega", "P004"], codes = (0..<n).map { Int32(($0 * 7) % 4) }
        let many = (0..<2_000).map { "id-\($0)" }, manyCodes = (0..<n).map { Int32(($0 * 13) % 2_000) }
        let counts = (0..<n).map { Int32($0 % 1_000) - 500 }
        func q(_ s: String) -> String { TextQuoting.json(s) }
        return [
            Column(field: ParquetField("id", .int64), batch: ParquetColumnBatch(.int64(ints)), expected: ints.map { "\($0)" }),
            Column(field: ParquetField("value", .double, nullable: true), batch: ParquetColumnBatch(.double(doubles), valid: doubleValid),
                   expected: (0..<n).map { doubleValid[$0] ? json(doubles[$0]) : "null" }),
            Column(field: ParquetField("city", .string, nullable: true), batch: ParquetColumnBatch(.string(strings), valid: stringValid),
                   expected: (0..<n).map { stringValid[$0] ? q(strings[$0]) : "null" }),
            Column(field: ParquetField("customer", .string), batch: ParquetColumnBatch(.string(unique)), expected: unique.map(q)),
            Column(field: ParquetField("note", .string), batch: ParquetColumnBatch(.string(long)), expected: long.map(q)),
            Column(field: ParquetField("same", .string), batch: ParquetColumnBatch(.string(Array(repeating: "only", count: n))),
                   expected: Array(repeating: q("only"), count: n)),
            Column(field: ParquetField("day", .date, nullable: true), batch: ParquetColumnBatch(.int32(days), valid: dayValid),
                   expected: (0..<n).map { dayValid[$0] ? isoDate(days[$0]) : "null" }),
            Column(field: ParquetField("at", .timestampMicros(utc: true)), batch: ParquetColumnBatch(.int64(micros)),
                   expected: micros.map(isoTimestamp)),
            Column(field: ParquetField("local", .timestampMicros(utc: false)), batch: ParquetColumnBatch(.int64(micros)),
                   expected: micros.map(isoTimestamp)),
            Column(field: ParquetField("product", .string), batch: ParquetColumnBatch(.coded(entries: table, codes: codes)),
                   expected: codes.map { q(table[Int($0)]) }),
            // Coded with more distinct entries than the dictionary limit allows: PLAIN.
            Column(field: ParquetField("coded_id", .string, nullable: true),
                   batch: ParquetColumnBatch(.coded(entries: many, codes: manyCodes), valid: stringValid),
                   expected: (0..<n).map { stringValid[$0] ? q(many[Int(manyCodes[$0])]) : "null" }),
            Column(field: ParquetField("flag", .boolean), batch: ParquetColumnBatch(.boolean(flags)), expected: flags.map { "\($0)" }),
            Column(field: ParquetField("count", .int32), batch: ParquetColumnBatch(.int32(counts)), expected: counts.map { "\($0)" }),
        ]
    }

    func expectedJSON(_ columns: [Column], rowGroups: Int) -> String {
        "{\"columns\": {" + columns.map { c in
            TextQuoting.json(c.field.name) + ": [" + Array(repeating: c.expected.joined(separator: ","), count: rowGroups).joined(separator: ",") + "]"
        }.joined(separator: ", ") + "}}"
    }

    func readBack(_ path: String, expected: String, in dir: URL) throws -> [String: ParquetReaders.Reading] {
        let json = dir.appendingPathComponent("expected.json").path
        try expected.write(toFile: json, atomically: true, encoding: .utf8)
        return try ParquetReaders.check(path, json: json)
    }

    func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("parquet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test(arguments: [ParquetFileWriter.Compression.snappy, .gzip(level: 1), .none])
    func everyTypeWithNullsAndEdgeValuesReadsBackByThreeReaders(compression: ParquetFileWriter.Compression) throws {
        if let missing = ParquetReaders.missing { Issue.record(Comment(rawValue: missing)); return }
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cols = columns(rows: 3_001)
        let path = dir.appendingPathComponent("all.parquet").path
        // Small pages and two row groups: page and chunk boundaries are exercised.
        let writer = try ParquetFileWriter(path: path, schema: cols.map(\.field),
                                           options: .init(compression: compression, pageBytes: 4_096, dictionaryBytes: 2_000))
        try writer.write(cols.map(\.batch))
        try writer.write(cols.map(\.batch))
        let summary = try writer.close()
        #expect(summary.rows == 6_002 && summary.rowGroups == 2)
        let readings = try readBack(path, expected: expectedJSON(cols, rowGroups: 2), in: dir)
        #expect(Set(readings.keys) == ["pyarrow", "polars", "duckdb"])
        for (reader, r) in readings {
            #expect(r.error == nil, "\(reader): \(r.error ?? "")")
            #expect(r.rows == 6_002 && r.mismatches == 0, "\(reader): \(r.mismatches) mismatches \(r.detail)")
        }
        let arrow = readings["pyarrow"]?.types ?? [:]
        #expect(arrow["day"] == "date32[day]" && arrow["at"] == "timestamp[us, tz=UTC]" && arrow["local"] == "timestamp[us]")
        #expect(arrow["city"] == "string" && arrow["id"] == "int64" && arrow["value"] == "double" && arrow["flag"] == "bool" && arrow["count"] == "int32")
        #expect(readings["duckdb"]?.types["day"] == "DATE" && readings["duckdb"]?.types["at"] == "TIMESTAMP WITH TIME ZONE")
    }

    /// The check itself: one wrong expected value is seen by every reader.
    @Test func aWrongValueIsSeenByEveryReader() throws {
        if let missing = ParquetReaders.missing { Issue.record(Comment(rawValue: missing)); return }
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var cols = columns(rows: 40)
        let path = dir.appendingPathComponent("wrong.parquet").path
        let writer = try ParquetFileWriter(path: path, schema: cols.map(\.field))
        try writer.write(cols.map(\.batch))
        try writer.close()
        cols[2].expected[3] = TextQuoting.json("not what was written")
        let readings = try readBack(path, expected: expectedJSON(cols, rowGroups: 1), in: dir)
        #expect(readings.count == 3)
        for (reader, r) in readings { #expect(r.mismatches == 1, "\(reader): \(r.error ?? r.detail)") }
    }

    @Test func emptyFileHasTheSchemaAndNoRows() throws {
        if let missing = ParquetReaders.missing { Issue.record(Comment(rawValue: missing)); return }
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cols = columns(rows: 0)
        let path = dir.appendingPathComponent("empty.parquet").path
        let writer = try ParquetFileWriter(path: path, schema: cols.map(\.field))
        try writer.write(cols.map(\.batch))
        #expect(try writer.close().rowGroups == 0)
        let readings = try readBack(path, expected: expectedJSON(cols, rowGroups: 1), in: dir)
        for (reader, r) in readings {
            #expect(r.error == nil && r.rows == 0 && r.mismatches == 0, "\(reader): \(r.error ?? r.detail)")
        }
        #expect(readings["pyarrow"]?.types.count == cols.count)
    }

    @Test func badBatchesAreRefusedAndLeaveNoFile() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("bad.parquet").path
        let schema = [ParquetField("a", .int64), ParquetField("b", .string)]
        var writer: ParquetFileWriter? = try ParquetFileWriter(path: path, schema: schema)
        #expect(throws: ParquetError.columnCount(expected: 2, got: 1)) { try writer?.write([ParquetColumnBatch(.int64([1]))]) }
        #expect(throws: ParquetError.typeMismatch(column: "b", expected: "string")) {
            try writer?.write([ParquetColumnBatch(.int64([1])), ParquetColumnBatch(.double([1]))])
        }
        #expect(throws: ParquetError.rowCount(column: "b", expected: 1, got: 2)) {
            try writer?.write([ParquetColumnBatch(.int64([1])), ParquetColumnBatch(.string(["x", "y"]))])
        }
        #expect(throws: ParquetError.nullInRequiredColumn(column: "a", row: 0)) {
            try writer?.write([ParquetColumnBatch(.int64([1]), valid: [false]), ParquetColumnBatch(.string(["x"]))])
        }
        #expect(throws: ParquetError.codeOutOfRange(column: "b", row: 1, code: 2)) {
            try writer?.write([ParquetColumnBatch(.int64([1, 2])), ParquetColumnBatch(.coded(entries: ["x", "y"], codes: [1, 2]))])
        }
        writer = nil  // dropped without close: no file, no temporary file
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
        #expect(throws: ParquetError.self) { try ParquetFileWriter(path: dir.path + "/missing/x.parquet", schema: schema) }
    }

    @Test func filesAreDeterministic() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cols = columns(rows: 500)
        var bytes: [Data] = []
        for k in 0..<2 {
            let path = dir.appendingPathComponent("d\(k).parquet").path
            let w = try ParquetFileWriter(path: path, schema: cols.map(\.field))
            try w.write(cols.map(\.batch))
            try w.close()
            bytes.append(try Data(contentsOf: URL(fileURLWithPath: path)))
        }
        #expect(bytes[0] == bytes[1])
        #expect(bytes[0].prefix(4) == Data("PAR1".utf8) && bytes[0].suffix(4) == Data("PAR1".utf8))
    }
}
