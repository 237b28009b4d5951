import Foundation
import TestSupport
@testable import Ingestion

/// A fresh temporary folder for one test.
func temporaryDirectory(_ name: String = #function) -> String {
    let safe = name.filter { $0.isLetter || $0.isNumber }
    let path = NSTemporaryDirectory() + "ingestion-tests-\(safe)-\(UUID().uuidString.prefix(8))"
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Writes `bytes` to a temporary file and returns its path.
func writeTemporaryFile(_ bytes: [UInt8], name: String = "data.csv", caller: String = #function) -> String {
    let path = temporaryDirectory(caller) + "/" + name
    FileManager.default.createFile(atPath: path, contents: Data(bytes))
    return path
}

func writeTemporaryFile(_ text: String, name: String = "data.csv", caller: String = #function) -> String {
    writeTemporaryFile(Array(text.utf8), name: name, caller: caller)
}

/// A simple schema: customer, time, amount by position or name.
func simpleSchema(delimiter: Delimiter? = nil, header: HeaderMode = .auto, format: TimestampFormat? = nil,
                  byName: Bool = false) -> TableSchema {
    TableSchema(table: "t", fields: [
        FieldSpec("customer_id", .key, source: byName ? .name("customer") : .position(1)),
        FieldSpec("timestamp", .timestamp, source: byName ? .name("time") : .position(2)),
        FieldSpec("amount", .number, source: byName ? .name("amount") : .position(3), negative: .reject),
    ], delimiter: delimiter, timestampFormat: format, header: header, keepLineNumbers: true)
}

let cdnowDirectory = SharedData.cdnowDirectory
let cdnowAvailable = SharedData.cdnowAvailable
