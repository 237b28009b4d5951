import Core
import Foundation
import GRDB

/// A warehouse database file (SQLite). Opening creates the schema's missing tables.
///
/// The default schema is the shop warehouse's (``WarehouseSchema``); other databases that follow
/// the same conventions (the attribution database) pass their own statements. All access goes through one `DatabaseQueue`: writes are serialised, and a `write` block is
/// one transaction, so a failure inside it leaves the database as it was.
public final class Warehouse: Sendable {
    public let path: String
    public let queue: DatabaseQueue

    /// Opens (and with `create`, creates) the database at `path`, then runs `schema`'s
    /// statements (`CREATE ... IF NOT EXISTS`) in one transaction.
    ///
    /// - Parameter kind: what the database holds, for the error thrown when `create` is false
    ///   and the file is missing.
    public init(path: String, create: Bool = true, schema: [String] = WarehouseSchema.statements,
                kind: DatabaseKind = .shopWarehouse) throws {
        if !create, !FileManager.default.fileExists(atPath: path) {
            throw WarehouseError.noDatabase(path: path, kind: kind)
        }
        self.path = path
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.prepareDatabase { db in
            // The load is one big transaction: a larger page cache and an in-memory temp store
            // keep the sorts and index builds out of the file.
            try db.execute(sql: "PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY")
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            try queue.write { db in
                for sql in schema { try db.execute(sql: sql) }
            }
        } catch let error as DatabaseError {
            throw WarehouseError.database(path: path, message: error.message ?? "\(error)")
        }
    }

    /// The names of the tables in the database, sorted.
    public func tableNames() throws -> [String] {
        try queue.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        }
    }

    /// The column names of a table, in order.
    public func columns(of table: String) throws -> [String] {
        try queue.read { db in try db.columns(in: table).map(\.name) }
    }

    /// Rows in a table.
    public func count(_ table: String) throws -> Int {
        try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table.quotedDatabaseIdentifier)") ?? 0 }
    }

    /// Appends one step's record to `etl_log` (the pipeline's run log; not part of the checksums).
    public func logStep(_ step: String, seconds: Double, source: String?, rowsIn: Int?, rowsOut: Int?, detail: String?) throws {
        try queue.write { db in
            try db.execute(sql: "INSERT INTO etl_log(step, started_at, seconds, source, rows_in, rows_out, detail) VALUES (?, datetime('now'), ?, ?, ?, ?, ?)",
                           arguments: [step, seconds, source, rowsIn, rowsOut, detail])
        }
    }
}

/// What a database file following the warehouse's conventions holds: the shop warehouse
/// (``shopWarehouse``), or another schema's database (the attribution module adds its own).
public struct DatabaseKind: Hashable, Sendable, CustomStringConvertible {
    /// How people call it: "shop warehouse", "attribution database".
    public var name: String

    /// A kind named `name`.
    public init(_ name: String) { self.name = name }

    /// The shop warehouse: staging tables and the star schema of ``WarehouseSchema``.
    public static let shopWarehouse = DatabaseKind("shop warehouse")

    public var description: String { name }
}

/// Why a warehouse operation stopped.
public enum WarehouseError: Error, CustomStringConvertible, Equatable {
    /// The file at `path` does not exist and was not to be created; `kind` says what it should hold.
    case noDatabase(path: String, kind: DatabaseKind)
    /// SQLite refused an operation on the database at `path`.
    case database(path: String, message: String)
    /// A load step failed; the transaction was rolled back and the database is unchanged.
    case loadFailed(step: String, message: String)
    /// `table` of the database at `path` already has rows where an empty table is required
    /// (generated data go only into empty tables).
    case tableNotEmpty(path: String, table: String)
    /// A setting is invalid; the text says which and why.
    case invalidSetting(String)

    public var description: String {
        switch self {
        case .noDatabase(let path, let kind): return "\(path): no such database (the \(kind) has not been created)"
        case .database(let path, let message): return "\(path): \(message)"
        case .loadFailed(let step, let message): return "load failed at step '\(step)' (nothing was changed): \(message)"
        case .tableNotEmpty(let path, let table): return "\(path): \(table) already has rows; data are generated only into empty tables"
        case .invalidSetting(let what): return what
        }
    }
}

/// `YYYY-MM-DD HH:MM:SS` for seconds since 1970 UTC.
public func sqlTimestamp(seconds: Int64) -> String {
    let day = dayNumber(ofSeconds: seconds)
    let rest = Int(seconds - Int64(day) * 86_400)
    let h = rest / 3600, m = rest / 60 % 60, s = rest % 60
    func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    return "\(CivilDate(dayNumber: day)) \(two(h)):\(two(m)):\(two(s))"
}

/// The `date_key` of a day: `YYYYMMDD` as an integer.
public func dateKey(dayNumber: Int) -> Int {
    let d = CivilDate(dayNumber: dayNumber)
    return d.year * 10_000 + d.month * 100 + d.day
}
