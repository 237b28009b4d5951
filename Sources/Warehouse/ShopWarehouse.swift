import Core
import Foundation
import GRDB

/// The shop warehouse: the staging tables and star schema of ``WarehouseSchema``, the run log,
/// and the marts built on them, in a SQLite file.
///
/// Opening brings the file to the latest schema version (``WarehouseSchema/migrator``) on a
/// ``SQLiteDatabase`` handle; everything else
/// (``WarehouseLoader``, ``DataCheck``, ``TableChecksum``, the marts) works through ``SQLiteBacked``.
public final class ShopWarehouse: SQLiteBacked {
    public let database: SQLiteDatabase

    /// Opens (and with `create`, creates) the warehouse at `path` and brings its schema up to date.
    ///
    /// - Throws: ``WarehouseError/noDatabase(path:)`` when `create` is false and there is no
    ///   file; ``WarehouseError/database(path:message:)`` when SQLite refuses it.
    public init(path: String, create: Bool = true) throws(WarehouseError) {
        do throws(SQLiteDatabaseError) {
            database = try SQLiteDatabase(path: path, create: create, migrator: WarehouseSchema.migrator)
        } catch {
            switch error {
            case .noFile(let path): throw .noDatabase(path: path)
            case .sqlite(let path, let message): throw .database(path: path, message: message)
            }
        }
    }

    /// Appends one step's record to `etl_log` (the pipeline's run log; not part of the checksums).
    public func logStep(_ step: String, seconds: Double, source: String?, rowsIn: Int?, rowsOut: Int?, detail: String?) throws {
        try queue.write { db in
            try db.execute(sql: "INSERT INTO etl_log(step, started_at, seconds, source, rows_in, rows_out, detail) VALUES (?, datetime('now'), ?, ?, ?, ?, ?)",
                           arguments: [step, seconds, source, rowsIn, rowsOut, detail])
        }
    }
}

/// Why a warehouse operation stopped.
public enum WarehouseError: Error, CustomStringConvertible, Equatable {
    /// The file at `path` does not exist and was not to be created.
    case noDatabase(path: String)
    /// SQLite refused an operation on the warehouse at `path`.
    case database(path: String, message: String)
    /// A load step failed; the transaction was rolled back and the database is unchanged.
    case loadFailed(step: String, message: String)
    /// A setting is invalid; the text says which and why.
    case invalidSetting(String)

    public var description: String {
        switch self {
        case .noDatabase(let path): return "\(path): no such database (the shop warehouse has not been created)"
        case .database(let path, let message): return "\(path): \(message)"
        case .loadFailed(let step, let message): return "load failed at step '\(step)' (nothing was changed): \(message)"
        case .invalidSetting(let what): return what
        }
    }
}

/// `YYYY-MM-DD HH:MM:SS` for seconds since 1970 UTC (the warehouse's time text).
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
