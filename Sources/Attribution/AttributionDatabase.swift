import Core
import Foundation
import GRDB
import Warehouse

/// The attribution database: the source tables (sessions, conversions, costs) and what the
/// pipeline's steps write (journeys, attributions, channel reporting), on a ``SQLiteDatabase``.
///
/// The schema is `Schema/attribution_db_create.sql`, compiled into the module, applied as the
/// first of the database's versioned migrations (``migrator``); opening a database created
/// before migrations were recorded adds the tables it is missing and keeps the rest. Checks (``DataCheck``) and checksums
/// (``TableChecksum``) reach it through ``SQLiteBacked``, like the shop warehouse.
public final class AttributionDatabase: SQLiteBacked {
    /// The shipped schema, as SQL.
    public static var schemaSQL: String { String(decoding: PackageResources.attribution_db_create_sql, as: UTF8.self) }

    /// The source tables the pipeline reads.
    public static let sourceTables = ["session_sources", "conversions", "session_costs"]
    /// The tables the pipeline's steps write.
    public static let outputTables = ["journey_conversions", "journey_sessions", "attribution_customer_journey",
                                      "attribution_runs", "channel_reporting"]

    /// The attribution database's migrations, in order; each is applied once and recorded in
    /// `grdb_migrations`. Identifiers carry the schema's name, so they cannot be confused with
    /// the shop warehouse's in a file that holds both.
    ///
    /// - `attribution-v1`: the shipped schema (``schemaSQL``). Its statements are all
    ///   `IF NOT EXISTS`, so it also applies to a database made by the old code or by other
    ///   tools: existing tables and their rows are left alone, missing ones are created.
    ///
    /// A later change is a new migration appended here; an applied one is never edited.
    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        // Immediate foreign-key checks: v1 only creates tables, and a database brought from
        // elsewhere should open even with dangling references (AttributionChecks reports them).
        migrator.registerMigration("attribution-v1", foreignKeyChecks: .immediate) { db in
            try db.execute(sql: schemaSQL)
        }
        return migrator
    }

    public let database: SQLiteDatabase

    /// Opens (and with `create`, creates) the database at `path` and applies the migrations it
    /// has not had yet.
    ///
    /// - Throws: ``AttributionError/noDatabase(path:)`` when `create` is false and there is no
    ///   file; ``AttributionError/database(path:message:)`` when SQLite refuses it.
    public init(path: String, create: Bool = true) throws(AttributionError) {
        do throws(SQLiteDatabaseError) {
            database = try SQLiteDatabase(path: path, create: create, migrator: Self.migrator)
        } catch {
            switch error {
            case .noFile(let path): throw .noDatabase(path: path)
            case .sqlite(let path, let message): throw .database(path: path, message: message)
            }
        }
    }
}

/// Conversions whose date lies in `from...to` (either end open when nil): the unit every step
/// replaces, so that running a range again gives the same rows.
public struct ConversionRange: Sendable, Equatable, CustomStringConvertible {
    public var from: CivilDate?
    public var to: CivilDate?

    public init(from: CivilDate? = nil, to: CivilDate? = nil) throws {
        if let from, let to, to < from {
            throw AttributionError.reversedRange(from: from, to: to)
        }
        self.from = from
        self.to = to
    }

    /// Every conversion.
    public static let all = try! ConversionRange()

    /// A SQL condition on a `YYYY-MM-DD` text column, with its arguments.
    func condition(_ column: String) -> (sql: String, arguments: StatementArguments) {
        switch (from, to) {
        case (nil, nil): return ("1", [])
        case (let f?, nil): return ("\(column) >= ?", [f.description])
        case (nil, let t?): return ("\(column) <= ?", [t.description])
        case (let f?, let t?): return ("\(column) BETWEEN ? AND ?", [f.description, t.description])
        }
    }

    public var description: String {
        switch (from, to) {
        case (nil, nil): return "all conversions"
        case (let f?, nil): return "conversions from \(f)"
        case (nil, let t?): return "conversions to \(t)"
        case (let f?, let t?): return "conversions \(f) to \(t)"
        }
    }
}

/// Seconds since 1970 (UTC) of a `YYYY-MM-DD` date and `HH:MM:SS` time, or nil when either
/// does not parse.
public func attributionSeconds(date: String, time: String) -> Int64? {
    guard let day = CivilDate(iso: date), day.isValid else { return nil }
    let parts = time.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 3, let h = Int(parts[0]), let m = Int(parts[1]), let s = Int(parts[2].prefix(2)),
          (0..<24).contains(h), (0..<60).contains(m), (0..<61).contains(s) else { return nil }
    return Int64(day.dayNumber) * 86_400 + Int64(h * 3600 + m * 60 + s)
}
