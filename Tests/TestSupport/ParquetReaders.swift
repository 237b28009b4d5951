import Foundation

/// Runs `bench/parquet_readers.py` (pyarrow, polars and DuckDB read a Parquet file back and
/// compare every value) with the Python of `.venv-readers`, which `make test` creates
/// (`make readers`). `PARQUET_READERS_PYTHON` names another interpreter with the three
/// packages.
public enum ParquetReaders {
    public static let repository: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }  // ParquetReaders.swift, TestSupport, Tests
        return url
    }()

    public static var python: String {
        ProcessInfo.processInfo.environment["PARQUET_READERS_PYTHON"] ?? repository.appendingPathComponent(".venv-readers/bin/python").path
    }

    /// Nil when the interpreter is there; otherwise what to run to get it.
    public static var missing: String? {
        FileManager.default.isExecutableFile(atPath: python)
            ? nil : "no Python with pyarrow, polars and duckdb at \(python): run `make readers` (make test does)"
    }

    /// One reader's view of a file.
    public struct Reading: Sendable {
        public var rows: Int
        public var mismatches: Int
        public var types: [String: String]
        public var error: String?
        public var detail: String
    }

    /// Reads `parquet` with every reader, comparing with `csv` or `json`; returns each
    /// reader's result (an `error` entry when the script itself failed to run).
    public static func check(_ parquet: String, csv: String? = nil, json: String? = nil, absoluteTolerance: Double? = nil) throws -> [String: Reading] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        var arguments = [repository.appendingPathComponent("bench/parquet_readers.py").path, parquet]
        if let csv { arguments += ["--csv", csv] }
        if let json { arguments += ["--json", json] }
        if let absoluteTolerance { arguments += ["--abs-tolerance", "\(absoluteTolerance)"] }
        p.arguments = arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: [String: Any]] else {
            return ["script": Reading(rows: 0, mismatches: 0, types: [:], error: "exit \(p.terminationStatus): \(errText)", detail: "")]
        }
        var result: [String: Reading] = [:]
        for (reader, entry) in object {
            let detail = (try? JSONSerialization.data(withJSONObject: entry["first"] ?? [], options: [])).map { String(decoding: $0, as: UTF8.self) } ?? ""
            result[reader] = Reading(rows: entry["rows"] as? Int ?? -1, mismatches: entry["mismatches"] as? Int ?? -1,
                                     types: entry["types"] as? [String: String] ?? [:], error: entry["error"] as? String, detail: detail)
        }
        return result
    }
}
