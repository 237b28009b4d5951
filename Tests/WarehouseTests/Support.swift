import Core
import Foundation
import GRDB
@testable import Ingestion
import SyntheticShop
@testable import Warehouse

/// A fresh temporary folder for one test.
func temporaryDirectory(_ name: String = #function) -> String {
    let safe = name.filter { $0.isLetter || $0.isNumber }
    let path = NSTemporaryDirectory() + "warehouse-tests-\(safe)-\(UUID().uuidString.prefix(8))"
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A generated shop of `customers` customers in a new folder.
func generatedShop(customers: Int = 300, clean: Bool = false, caller: String = #function) throws -> String {
    var config = ShopGeneratorConfig()
    config.customers = customers
    config.products = 60
    config.defectRate = 0.02
    config.clean = clean
    let dir = temporaryDirectory(caller)
    _ = try ShopGenerator(config: config).write(to: dir)
    return dir
}

let asOf2019 = QualityRules(asOfDay: CivilDate(year: 2019, month: 12, day: 31).dayNumber)

func readShop(_ dir: String, mapping: ShopMapping = ShopMapping()) throws -> ShopTables {
    try ShopIngest.readTables(directory: dir, mapping: mapping, rules: asOf2019, threads: 1)
}

/// Reads a CSV file written by the generator (no quoted commas in the columns we touch).
func csvLines(_ path: String) throws -> [String] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
}

func writeLines(_ lines: [String], to path: String) throws {
    try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
}

func scalar(_ w: ShopWarehouse, _ sql: String) throws -> Double {
    try w.queue.read { db in try Double.fetchOne(db, sql: sql) ?? .nan }
}
