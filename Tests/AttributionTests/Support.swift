import Attribution
import Foundation
import GRDB
import Warehouse

/// A fresh folder for one test.
func temporaryDirectory(_ name: String = #function) -> String {
    let path = NSTemporaryDirectory() + "attribution-\(name.filter { $0.isLetter })-\(UUID().uuidString.prefix(8))"
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A generated attribution database.
func generatedDatabase(users: Int = 1500, seed: UInt64 = 7, _ name: String = #function) throws -> AttributionDatabase {
    let db = try AttributionDatabase(path: temporaryDirectory(name) + "/a.sqlite")
    _ = try AttributionGenerator(users: users, seed: seed).write(to: db)
    return db
}

/// A journey set from channel paths (one session per day, the conversion a day after the last).
func journeys(_ paths: [[Int32]], channels: [String] = ["A", "B", "C", "D"], nonConverting: [[Int32]] = []) -> JourneySet {
    var set = JourneySet(channels: channels)
    for (j, path) in paths.enumerated() {
        let touchpoints = path.enumerated().map { k, c in
            JourneySet.Touchpoint(sessionID: "s\(j)-\(k)", channel: c, seconds: Int64(k) * 86_400)
        }
        set.append(conversionID: "c\(j)", seconds: Int64(path.count) * 86_400, revenue: 100, touchpoints: touchpoints)
    }
    set.nonConverting = nonConverting
    return set
}

/// SHA-256 of every pipeline output table, to compare runs.
func outputChecksums(_ db: AttributionDatabase) throws -> [String: String] {
    try TableChecksum.all(in: db, tables: AttributionDatabase.outputTables)
}

/// One integer from a query (synchronous, so async tests do not pick GRDB's async `read`).
func scalar(_ db: AttributionDatabase, _ sql: String, _ arguments: StatementArguments = []) throws -> Int {
    try db.queue.read { try Int.fetchOne($0, sql: sql, arguments: arguments) ?? 0 }
}

/// Rows of a query, synchronously.
func rows(_ db: AttributionDatabase, _ sql: String) throws -> [Row] {
    try db.queue.read { try Row.fetchAll($0, sql: sql) }
}
