import Core
import Analytics
import Foundation
import Ingestion
import Warehouse

/// A PostgreSQL warehouse as a `WarehouseBackend`: every operation opens its own connection,
/// and the ones that write act as `pipeline_writer` when the login is a member
/// (``PostgresRoles/actAsWriter(_:)``). Loads, checks and marts run inside the server; exports
/// and charts copy the tables they read into a scratch SQLite file first (``PostgresMirror``),
/// so that they are the SQLite warehouse's own exporters and charts.
public struct PostgresWarehouseBackend: WarehouseBackend {
    public let location: PostgresLocation

    public init(location: PostgresLocation) { self.location = location }

    public var name: String { location.description }

    func withSession<T>(writing: Bool = false, _ body: (PostgresSession) async throws -> T) async throws -> T {
        try await PostgresSession.with(location) { session in
            if writing { try await PostgresRoles.actAsWriter(session) }
            return try await body(session)
        }
    }

    public func load(_ tables: ShopTables, progress: (@Sendable (String) -> Void)?) async throws -> LoadSummary {
        try await withSession(writing: true) { session in
            try await PostgresLoader(session: session, progress: progress).load(tables)
        }
    }

    public func warehouseChecks() async throws -> [CheckResult] {
        try await withSession { try await PostgresChecks.warehouse($0) }
    }

    public func martChecks() async throws -> [CheckResult] {
        try await withSession { try await PostgresChecks.marts($0) }
    }

    /// The warehouse and mart checks in one snapshot.
    public func allChecks() async throws -> [CheckResult] {
        try await withSession { try await PostgresChecks.all($0) }
    }

    public func buildMarts(_ options: Marts.Options, progress: (@Sendable (String) -> Void)?) async throws -> Marts.Summary {
        try await withSession(writing: true) { session in
            try await PostgresMarts.build(session, options: options, progress: progress)
        }
    }

    public func builtMarts() async throws -> [Marts.Mart] {
        try await withSession { session in
            let present = try await PostgresSchema.presentTables(session)
            return Marts.all.filter { present.contains($0.table) }
        }
    }

    public func exportAll(_ marts: [Marts.Mart], format: MartExport.Format, to directory: String,
                          allowPersonalData: Bool) async throws -> [MartExport.Written] {
        try refusePersonalData(marts, allowed: allowPersonalData)
        return try await withMirror(marts.map { PostgresMirror.Table($0.table) }) { warehouse in
            try MartExport.writeAll(marts, from: warehouse, format: format, to: directory, allowPersonalData: allowPersonalData,
                                    databaseName: name)
        }
    }

    public func export(_ mart: Marts.Mart, format: MartExport.Format, to path: String, allowPersonalData: Bool) async throws -> MartExport.Written {
        try refusePersonalData([mart], allowed: allowPersonalData)
        return try await withMirror([PostgresMirror.Table(mart.table)]) { warehouse in
            try MartExport.write(mart, from: warehouse, format: format, to: path, allowPersonalData: allowPersonalData)
        }
    }

    /// The charts read the category roll-up, the cluster profiles, the categories and each
    /// customer's state: only those columns leave the server.
    public func charts() async throws -> [WarehouseCharts.Chart] {
        try await withMirror([PostgresMirror.Table(SalesRollups.categoryTable), PostgresMirror.Table(MarketingAudience.clustersTable),
                              PostgresMirror.Table("dim_product", columns: ["product_key", "category"]),
                              PostgresMirror.Table("dim_customer", columns: ["customer_key", "state"])]) { warehouse in
            try WarehouseCharts.build(warehouse)
        }
    }

    public func timeRollupQuery(repeats: Int, includeFacts: Bool) async throws -> [RollupQueryBench.Timing] {
        try await withSession { session in
            guard try await PostgresSchema.presentTables(session).contains(SalesRollups.categoryTable) else {
                throw MartError.notBuilt(database: name, mart: Marts.all.first { $0.table == SalesRollups.categoryTable }!)
            }
            var timings: [RollupQueryBench.Timing] = []
            for (name, sql) in RollupQueryBench.queries(.postgres, includeFacts: includeFacts) {
                timings.append(try await RollupQueryBench.time(name, repeats: repeats) { try await session.rows(sql).count })
            }
            return timings
        }
    }

    public func logStep(_ step: String, seconds: Double, source: String?, rowsIn: Int?, rowsOut: Int?, detail: String?) async throws {
        try await withSession(writing: true) { session in
            // The run logs its ingest step before the load creates the schema: a first run into an empty
            // database creates it here (migrations are idempotent), as the SQLite warehouse does on opening.
            _ = try await PostgresSchema.migrate(session)
            var bindings = PostgresBindingsBuilder()
            let sql = "INSERT INTO etl_log(step, seconds, source, rows_in, rows_out, detail) VALUES (\(bindings.add(step)), "
                + "\(bindings.add(seconds)), \(bindings.add(source)), \(bindings.add(rowsIn)), \(bindings.add(rowsOut)), \(bindings.add(detail)))"
            _ = try await session.rows(bindings.query(sql), step: "writing the run log")
        }
    }

    private func refusePersonalData(_ marts: [Marts.Mart], allowed: Bool) throws {
        if !allowed, let mart = marts.first(where: \.containsPersonalData) { throw MartError.personalData(mart: mart.name) }
    }

    /// Copies `tables` (which must exist) into a scratch SQLite warehouse, runs `body` on it, deletes it.
    private func withMirror<T>(_ tables: [PostgresMirror.Table], _ body: (ShopWarehouse) throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("forecast-pg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let warehouse = try ShopWarehouse(path: directory.appendingPathComponent("mirror.sqlite").path)
        try await withSession { session in
            let present = try await PostgresSchema.presentTables(session)
            for table in tables where !present.contains(table.name) {
                if let mart = Marts.all.first(where: { $0.table == table.name }) {
                    throw MartError.notBuilt(database: name, mart: mart)
                }
                throw PostgresWarehouseError.noSchema(location: name, message: "no table \(table.name)")
            }
            try await PostgresMirror.copy(tables, from: session, into: warehouse)
        }
        return try body(warehouse)
    }
}
