import Foundation
import TestSupport
import Testing

/// Every Parquet output of the CLI read back by pyarrow, polars and DuckDB and compared value
/// by value with the CSV the same command writes.
@Suite("forecast: Parquet outputs read by pyarrow, polars and DuckDB")
struct ParquetCLITests {
    func expectSame(_ parquet: String, as csv: String, absoluteTolerance: Double? = nil, rows: Int? = nil,
                    sourceLocation: SourceLocation = #_sourceLocation) throws {
        let readings = try ParquetReaders.check(parquet, csv: csv, absoluteTolerance: absoluteTolerance)
        #expect(readings.count == 3, "\(readings)", sourceLocation: sourceLocation)
        for (reader, r) in readings {
            #expect(r.error == nil && r.mismatches == 0, "\(parquet), \(reader): \(r.error ?? r.detail)", sourceLocation: sourceLocation)
            if let rows { #expect(r.rows == rows, "\(parquet), \(reader)", sourceLocation: sourceLocation) }
        }
    }

    func csvRows(_ path: String) throws -> Int {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").count - 1
    }

    @Test func everyMartAsParquetEqualsItsCSV() throws {
        if let missing = ParquetReaders.missing { Issue.record(Comment(rawValue: missing)); return }
        let dir = scratch()
        #expect(try forecast(["generate", "--out", dir + "/shop", "--customers", "300", "--products", "40", "-q"]).status == 0)
        let db = dir + "/w.sqlite"
        #expect(try forecast(["warehouse", "load", "--source", dir + "/shop", "--db", db, "--as-of", "2019-12-31", "--quiet"]).status == 0)
        #expect(try forecast(["warehouse", "marts", "--db", db, "--include-pii", "--quiet"]).status == 0)
        let csv = try forecast(["export", "all", "--db", db, "--include-pii", "--format", "csv", "--out", dir + "/csv"])
        let parquet = try forecast(["export", "all", "--db", db, "--include-pii", "--format", "parquet", "--out", dir + "/parquet"])
        #expect(csv.status == 0 && parquet.status == 0, "\(parquet.stderr)")
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/parquet/manifest.json"))) as? [String: Any]
        let files = (manifest?["files"] as? [[String: Any]] ?? []).compactMap { $0["file"] as? String }
        #expect(files.count == 6 && files.allSatisfy { $0.hasSuffix(".parquet") }, "\(files)")
        for file in files {
            let name = String(file.dropLast(".parquet".count))
            try expectSame(dir + "/parquet/" + file, as: dir + "/csv/" + name + ".csv", rows: try csvRows(dir + "/csv/" + name + ".csv"))
        }
        // Days are dates, counts integers, money doubles; NOT NULL columns are required.
        let types = try ParquetReaders.check(dir + "/parquet/customer-daily.parquet", csv: dir + "/csv/customer-daily.csv")["pyarrow"]?.types ?? [:]
        #expect(types["date"] == "date32[day]" && types["orders"] == "int64" && types["spend"] == "double" && types["customer_id"] == "string")
        // One mart; and the personal-data rule holds for Parquet too.
        let one = try forecast(["export", "sales-by-product", "--db", db, "--format", "parquet", "--out", dir + "/p.parquet"])
        #expect(one.status == 0 && one.stdout.contains("wrote \(dir)/p.parquet"))
        let refused = try forecast(["export", "marketing-audience", "--db", db, "--format", "parquet", "--out", dir + "/a.parquet"])
        #expect(refused.status == 1 && !FileManager.default.fileExists(atPath: dir + "/a.parquet"))
    }

    @Test func featuresAndPredictionsAsParquetEqualTheirCSV() throws {
        if let missing = ParquetReaders.missing { Issue.record(Comment(rawValue: missing)); return }
        let dir = scratch()
        #expect(try forecast(["generate", "--out", dir, "--customers", "400", "-q"]).status == 0)
        let data = ["--data", dir + "/transactions.csv", "--layout", "transactions"]
        for ext in ["csv", "parquet"] {
            let r = try forecast(["features"] + data + ["--cutoff", "2019-07-01", "--out", dir + "/f.\(ext)"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        try expectSame(dir + "/f.parquet", as: dir + "/f.csv", rows: try csvRows(dir + "/f.csv"))
        let store = dir + "/models"
        for model in ["glm", "bgnbd"] {
            let train = try forecast(["train"] + data + ["--as-of", "2019-06-30", "--model", model, "--store", store, "--name", model])
            #expect(train.status == 0, "\(train.stderr)")
            for ext in ["csv", "parquet"] {
                let r = try forecast(["predict"] + data + ["--as-of", "2019-06-30", "--model", model, "--store", store, "--out", dir + "/\(model).\(ext)"])
                #expect(r.status == 0, "\(r.stderr)")
            }
            try expectSame(dir + "/\(model).parquet", as: dir + "/\(model).csv", rows: try csvRows(dir + "/\(model).csv"))
        }
        let bad = try forecast(["predict"] + data + ["--model", "glm", "--store", store, "--out", dir + "/p.txt"])
        #expect(bad.status != 0 && bad.stderr.contains(".parquet"))
    }

    @Test func ingestWritesTheLogAsParquetEqualToItsCSV() throws {
        if let missing = ParquetReaders.missing { Issue.record(Comment(rawValue: missing)); return }
        let dir = scratch()
        #expect(try forecast(["generate", "--out", dir + "/data", "--customers", "300", "-q"]).status == 0)
        let args = ["ingest", "--data", dir + "/data/transactions.csv", "--layout", "transactions"]
        #expect(try forecast(args + ["--out", dir + "/csv"]).status == 0)
        let parquet = try forecast(args + ["--out", dir + "/parquet", "--log-format", "parquet"])
        #expect(parquet.status == 0 && parquet.stdout.contains("transactions.parquet"), "\(parquet.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/parquet/transactions.csv"))
        #expect(FileManager.default.fileExists(atPath: dir + "/parquet/rejects.csv"))
        try expectSame(dir + "/parquet/transactions.parquet", as: dir + "/csv/transactions.csv", rows: try csvRows(dir + "/csv/transactions.csv"))
        let types = try ParquetReaders.check(dir + "/parquet/transactions.parquet", csv: dir + "/csv/transactions.csv")["pyarrow"]?.types ?? [:]
        #expect(types["timestamp"] == "timestamp[us, tz=UTC]" && types["customer_id"] == "string" && types["quantity"] == "double")
    }

    @Test func attributionExportAsParquetEqualsItsCSV() throws {
        if let missing = ParquetReaders.missing { Issue.record(Comment(rawValue: missing)); return }
        let db = scratch() + "/a.sqlite"
        #expect(try forecast(["attribution", "generate", "--db", db, "--users", "400", "--seed", "5", "--quiet"]).status == 0)
        let run = try forecast(["attribution", "run", "--db", db, "--engine", "markov", "--out", db + ".csv", "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let export = try forecast(["attribution", "export", "--db", db, "--out", db + ".parquet"])
        #expect(export.status == 0, "\(export.stderr)")
        // The CSV rounds money to cents and ratios to 6 decimals; Parquet keeps the doubles.
        try expectSame(db + ".parquet", as: db + ".csv", absoluteTolerance: 0.005_000_1, rows: try csvRows(db + ".csv"))
        let types = try ParquetReaders.check(db + ".parquet", csv: db + ".csv", absoluteTolerance: 0.005_000_1)["duckdb"]?.types ?? [:]
        #expect(types["date"] == "DATE" && types["roas"] == "DOUBLE")
    }
}
