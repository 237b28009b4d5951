import Foundation
import GRDB

/// A SQLite database file behind one GRDB `DatabaseQueue`: the generic handle the toolkit's
/// databases (``ShopWarehouse``, the attribution module's database) are opened on.
///
/// All access goes through the one queue: writes are serialised, and a `write` block is one
/// transaction, so a failure inside it leaves the database as it was.
///
/// ## The backend seam
///
/// Everything SQLite-specific about *opening* a database lives here and nowhere else: whether
/// the file may be created, the connection settings (foreign keys, page cache, temp store),
/// running the schema's versioned migrations (a GRDB `DatabaseMigrator`) and the translation of
/// SQLite's errors into ``SQLiteDatabaseError``. The databases above it hold a handle and reach
/// it through ``SQLiteBacked``, which is all the checks (``DataCheck``),
/// checksums (``TableChecksum``), loaders and marts ask for: transactions on ``queue`` and the
/// catalog (``tableNames()``, ``columns(of:)``, ``count(_:)``).
///
/// The PostgreSQL warehouse (module `PostgresWarehouse`) does not go through this type: it has
/// its own connection, migrations and SQL, and meets the SQLite warehouse one level up, in
/// `Analytics`' `WarehouseBackend` (load, checks, marts, exports, charts), with the checks shared
/// through ``SQLDialect``.
public final class SQLiteDatabase: Sendable {
    /// The file.
    public let path: String
    /// The one connection; every read and write goes through it.
    public let queue: DatabaseQueue

    /// Opens (and with `create`, creates) the database at `path`, then applies the migrations
    /// of `migrator` that the file has not had yet.
    ///
    /// GRDB's `DatabaseMigrator` records each applied migration in the `grdb_migrations` table
    /// and runs each one once, in its own transaction: a schema change is a new migration,
    /// never an edit of an applied one. Opening a database that is up to date only reads that table.
    ///
    /// - Throws: ``SQLiteDatabaseError/noFile(path:)`` when `create` is false and the file is
    ///   missing (SQLite would silently create an empty one); ``SQLiteDatabaseError/sqlite(path:message:)``
    ///   when SQLite refuses to open the file or a migration fails (that migration is rolled back).
    public init(path: String, create: Bool = true, migrator: DatabaseMigrator = DatabaseMigrator()) throws(SQLiteDatabaseError) {
        if !create, !FileManager.default.fileExists(atPath: path) {
            throw .noFile(path: path)
        }
        self.path = path
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.prepareDatabase { db in
            // A load is one big transaction: a larger page cache and an in-memory temp store
            // keep the sorts and index builds out of the file.
            try db.execute(sql: "PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY")
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            try migrator.migrate(queue)
        } catch let error as DatabaseError {
            throw .sqlite(path: path, message: error.message ?? "\(error)")
        } catch {
            throw .sqlite(path: path, message: "\(error)")
        }
    }

    /// The names of the tables in the database, sorted. SQLite's own tables and the migrator's
    /// record (`grdb_migrations`) are left out: they are bookkeeping, not data, and would
    /// otherwise enter the checksums of "every table".
    public func tableNames() throws -> [String] {
        try queue.read { db in
            try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'grdb_migrations'
                ORDER BY name
                """)
        }
    }

    /// The identifiers of the migrations applied to the database, in the order they were registered.
    public func appliedMigrations(_ migrator: DatabaseMigrator) throws -> [String] {
        try queue.read { db in try migrator.appliedMigrations(db) }
    }

    /// The column names of a table, in order.
    public func columns(of table: String) throws -> [String] {
        try queue.read { db in try db.columns(in: table).map(\.name) }
    }

    /// Rows in a table.
    public func count(_ table: String) throws -> Int {
        try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table.quotedDatabaseIdentifier)") ?? 0 }
    }
}

/// Why a ``SQLiteDatabase`` could not be opened.
///
/// The databases built on the handle translate these into their own errors, which know what
/// the file should hold (and so what would create it).
public enum SQLiteDatabaseError: Error, CustomStringConvertible, Equatable {
    /// The file at `path` does not exist and was not to be created.
    case noFile(path: String)
    /// SQLite refused to open the database at `path`, or one of its migrations.
    case sqlite(path: String, message: String)

    public var description: String {
        switch self {
        case .noFile(let path): return "\(path): no such database file"
        case .sqlite(let path, let message): return "\(path): \(message)"
        }
    }
}

/// A database that sits on a ``SQLiteDatabase`` handle: the shop warehouse, the attribution
/// database. Checks, checksums, loaders and marts take any of them and reach the handle
/// through this: its transactions (``queue``) and its catalog.
public protocol SQLiteBacked: Sendable {
    /// The handle the database was opened on.
    var database: SQLiteDatabase { get }
}

extension SQLiteBacked {
    /// The database file.
    public var path: String { database.path }
    /// The handle's queue: `read` and `write` blocks, each one transaction.
    public var queue: DatabaseQueue { database.queue }
    /// The names of the tables, sorted.
    public func tableNames() throws -> [String] { try database.tableNames() }
    /// The column names of `table`, in order.
    public func columns(of table: String) throws -> [String] { try database.columns(of: table) }
    /// Rows in `table`.
    public func count(_ table: String) throws -> Int { try database.count(table) }
}

extension SQLiteDatabase: SQLiteBacked {
    /// The handle itself: a bare handle can be checked and checksummed like the databases on it.
    public var database: SQLiteDatabase { self }
}
