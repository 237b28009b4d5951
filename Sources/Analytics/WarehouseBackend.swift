import Foundation
import Ingestion
import Warehouse

/// What the warehouse commands and the daily pipeline ask of a warehouse, whichever engine
/// holds it: SQLite (``SQLiteWarehouseBackend``, the embedded default) or PostgreSQL (the
/// `PostgresWarehouse` module's backend, for a warehouse a team shares). Each operation keeps
/// the contract of the SQLite implementation: loads in one transaction with the same counts,
/// the same checks, the same marts, the same export files and charts.
public protocol WarehouseBackend: Sendable {
    /// Where the warehouse is, as the user gave it (never with a password).
    var name: String { get }

    func load(_ tables: ShopTables, progress: (@Sendable (String) -> Void)?) async throws -> LoadSummary
    /// The warehouse's checks (keys, foreign keys, reconciliation, consistency).
    func warehouseChecks() async throws -> [CheckResult]
    /// The checks of the marts that exist.
    func martChecks() async throws -> [CheckResult]
    /// The warehouse's and the marts' checks, in one snapshot.
    func allChecks() async throws -> [CheckResult]
    func buildMarts(_ options: Marts.Options, progress: (@Sendable (String) -> Void)?) async throws -> Marts.Summary
    /// The marts that have been built.
    func builtMarts() async throws -> [Marts.Mart]
    /// Exports `marts` into `directory` with a manifest (``MartExport/writeAll(_:from:format:to:allowPersonalData:databaseName:)``).
    func exportAll(_ marts: [Marts.Mart], format: MartExport.Format, to directory: String, allowPersonalData: Bool) async throws -> [MartExport.Written]
    /// Exports one mart to `path`.
    func export(_ mart: Marts.Mart, format: MartExport.Format, to path: String, allowPersonalData: Bool) async throws -> MartExport.Written
    func charts() async throws -> [WarehouseCharts.Chart]
    /// Times the dashboard query from the roll-up and from the facts (``RollupQueryBench``).
    func timeRollupQuery(repeats: Int, includeFacts: Bool) async throws -> [RollupQueryBench.Timing]
    /// Appends a step's record to the run log (`etl_log`).
    func logStep(_ step: String, seconds: Double, source: String?, rowsIn: Int?, rowsOut: Int?, detail: String?) async throws
}

/// The SQLite warehouse file as a ``WarehouseBackend``.
public struct SQLiteWarehouseBackend: WarehouseBackend {
    public let warehouse: ShopWarehouse

    /// Opens (with `create`, creates) the warehouse file at `path`.
    public init(path: String, create: Bool) throws {
        warehouse = try ShopWarehouse(path: path, create: create)
    }

    public var name: String { warehouse.path }

    public func load(_ tables: ShopTables, progress: (@Sendable (String) -> Void)?) async throws -> LoadSummary {
        try WarehouseLoader(warehouse: warehouse, progress: progress).load(tables)
    }

    public func warehouseChecks() async throws -> [CheckResult] {
        try DataCheck.run(WarehouseChecks.all, in: warehouse)
    }

    public func martChecks() async throws -> [CheckResult] {
        try DataCheck.run(MartChecks.checks(existing: Set(try warehouse.tableNames())), in: warehouse)
    }

    public func allChecks() async throws -> [CheckResult] {
        try MartChecks.runAll(in: warehouse)
    }

    public func buildMarts(_ options: Marts.Options, progress: (@Sendable (String) -> Void)?) async throws -> Marts.Summary {
        try Marts.build(warehouse, options: options, progress: progress)
    }

    public func builtMarts() async throws -> [Marts.Mart] {
        let existing = Set(try warehouse.tableNames())
        return Marts.all.filter { existing.contains($0.table) }
    }

    public func exportAll(_ marts: [Marts.Mart], format: MartExport.Format, to directory: String,
                          allowPersonalData: Bool) async throws -> [MartExport.Written] {
        try MartExport.writeAll(marts, from: warehouse, format: format, to: directory, allowPersonalData: allowPersonalData)
    }

    public func export(_ mart: Marts.Mart, format: MartExport.Format, to path: String, allowPersonalData: Bool) async throws -> MartExport.Written {
        try MartExport.write(mart, from: warehouse, format: format, to: path, allowPersonalData: allowPersonalData)
    }

    public func charts() async throws -> [WarehouseCharts.Chart] {
        try WarehouseCharts.build(warehouse)
    }

    public func timeRollupQuery(repeats: Int, includeFacts: Bool) async throws -> [RollupQueryBench.Timing] {
        try await RollupQueryBench.run(warehouse, repeats: repeats, includeFacts: includeFacts)
    }

    public func logStep(_ step: String, seconds: Double, source: String?, rowsIn: Int?, rowsOut: Int?, detail: String?) async throws {
        try warehouse.logStep(step, seconds: seconds, source: source, rowsIn: rowsIn, rowsOut: rowsOut, detail: detail)
    }
}
