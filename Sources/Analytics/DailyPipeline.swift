import Core
import Foundation
import Ingestion
import Warehouse

/// The daily job: ingest -> load -> check -> marts -> check -> exports, in order, stopping at
/// the first failed check. Every step is also a command of its own, and the whole is safe to
/// re-run: the load is idempotent, the marts are rebuilt, the exports are replaced whole.
/// Each step's record goes to the warehouse's `etl_log` and to `pipeline-log.jsonl` in the
/// export folder. The warehouse is any ``WarehouseBackend``: the SQLite file or PostgreSQL.
public struct DailyPipeline {
    public struct Options: Sendable {
        public var source: String
        public var mapping = ShopMapping()
        public var rules = QualityRules()
        public var policy = BadRowPolicy.reject
        /// Exports, quality report and the run log go here.
        public var exportDirectory: String
        public var format = MartExport.Format.csv
        public var marts = Marts.Options()
        public var threads = defaultThreadCount

        public init(source: String, exportDirectory: String) {
            self.source = source
            self.exportDirectory = exportDirectory
        }
    }

    /// What one step did.
    public struct Step: Codable, Sendable, Equatable {
        public var step: String
        public var seconds: Double
        public var rowsIn: Int
        public var rowsOut: Int
        public var detail: String
    }

    public struct Outcome: Sendable {
        public var steps: [Step]
        public var checks: [CheckResult]
        public var load: LoadSummary?
        public var marts: Marts.Summary?
        public var exports: [MartExport.Written]
        /// nil when every step ran; else the step that stopped the run.
        public var failedStep: String?
    }

    public let options: Options
    public let warehouse: any WarehouseBackend
    /// Called with each step's record as soon as the step ends.
    public var onStep: (@Sendable (Step) -> Void)?
    public var progress: (@Sendable (String) -> Void)?

    public init(options: Options, warehouse: any WarehouseBackend) {
        self.options = options
        self.warehouse = warehouse
    }

    /// The progress callback with a prefix on each message.
    private func prefixed(_ prefix: String) -> (@Sendable (String) -> Void)? {
        guard let progress else { return nil }
        return { message in progress(prefix + message) }
    }

    public func run() async throws -> Outcome {
        let o = options
        try FileManager.default.createDirectory(atPath: o.exportDirectory, withIntermediateDirectories: true)
        var outcome = Outcome(steps: [], checks: [], load: nil, marts: nil, exports: [], failedStep: nil)
        func record(_ step: Step) async throws {
            outcome.steps.append(step)
            onStep?(step)
            try await warehouse.logStep(step.step, seconds: step.seconds, source: o.source, rowsIn: step.rowsIn, rowsOut: step.rowsOut, detail: step.detail)
            let line = try TextQuoting.jsonText(step, pretty: false) + "\n"
            let path = o.exportDirectory + "/pipeline-log.jsonl"
            if let handle = FileHandle(forWritingAtPath: path) {
                handle.seekToEndOfFile()
                handle.write(Data(line.utf8))
                handle.closeFile()
            } else {
                try line.write(toFile: path, atomically: true, encoding: .utf8)
            }
        }
        func timed<T>(_ body: () async throws -> T) async rethrows -> (T, Double) {
            let start = Date()
            let value = try await body()
            return (value, Date().timeIntervalSince(start))
        }

        progress?("ingest: reading \(o.source)")
        let (tables, ingestSeconds) = try await timed {
            try ShopIngest.readTables(directory: o.source, mapping: o.mapping, rules: o.rules, policy: o.policy, threads: o.threads)
        }
        let (quality, qualitySeconds) = try await timed { () throws -> IngestResult in
            let result = tables.ingestResult(rules: o.rules)
            try IngestOutput.writeQuality(result, to: o.exportDirectory + "/quality")
            return result
        }
        let report = quality.report
        try await record(Step(step: "ingest", seconds: ingestSeconds + qualitySeconds, rowsIn: report.rowsRead, rowsOut: report.rowsAccepted,
                        detail: "\(report.rowsRejected) rejected (quality/rejects.csv); \(report.log.excludedByStatus) lines of excluded orders kept out of revenue"))

        let loadProgress = prefixed("load: ")
        let (load, loadSeconds) = try await timed { try await warehouse.load(tables, progress: loadProgress) }
        outcome.load = load
        try await record(Step(step: "load", seconds: loadSeconds, rowsIn: load.tables.reduce(0) { $0 + $1.staged },
                        rowsOut: load.tables.reduce(0) { $0 + $1.inserted + $1.updated },
                        detail: load.tables.map { "\($0.table) +\($0.inserted) ~\($0.updated)" }.joined(separator: ", ")))

        progress?("check: warehouse")
        let (checks, checkSeconds) = try await timed { try await warehouse.warehouseChecks() }
        outcome.checks = checks
        try await record(Step(step: "check", seconds: checkSeconds, rowsIn: checks.count, rowsOut: checks.filter(\.passed).count,
                        detail: checks.allSatisfy(\.passed) ? "all passed" : "failed: " + checks.filter { !$0.passed }.map(\.name).joined(separator: "; ")))
        guard checks.allSatisfy(\.passed) else { outcome.failedStep = "check"; return outcome }

        let martProgress = prefixed("marts: ")
        let (marts, martSeconds) = try await timed { () async throws -> Marts.Summary in
            try await warehouse.buildMarts(o.marts, progress: martProgress)
        }
        outcome.marts = marts
        try await record(Step(step: "marts", seconds: martSeconds, rowsIn: load.tables.first { $0.table == "fct_order_lines" }?.total ?? 0,
                        rowsOut: marts.customerDailyRows + marts.productRollupRows + marts.categoryRollupRows + marts.audience.buyers,
                        detail: (marts.mode == "incremental" ? "incremental from \(marts.changedOrders ?? 0) changed orders" : "full") + "; "
                            + "k = \(marts.audience.k) clusters; \(marts.audience.droppedWithoutContact) buyers without email or phone dropped from the audience"))

        let (martChecks, martCheckSeconds) = try await timed { () async throws -> [CheckResult] in
            try await warehouse.martChecks()
        }
        outcome.checks += martChecks
        try await record(Step(step: "check-marts", seconds: martCheckSeconds, rowsIn: martChecks.count, rowsOut: martChecks.filter(\.passed).count,
                        detail: martChecks.allSatisfy(\.passed) ? "all passed" : "failed: " + martChecks.filter { !$0.passed }.map(\.name).joined(separator: "; ")))
        guard martChecks.allSatisfy(\.passed) else { outcome.failedStep = "check-marts"; return outcome }

        progress?("export: \(o.exportDirectory)")
        let chosen = Marts.all.filter { !$0.containsPersonalData || o.marts.audience.includePII }
        let (written, exportSeconds) = try await timed {
            try await warehouse.exportAll(chosen, format: o.format, to: o.exportDirectory, allowPersonalData: o.marts.audience.includePII)
        }
        outcome.exports = written
        try await record(Step(step: "export", seconds: exportSeconds, rowsIn: written.count, rowsOut: written.reduce(0) { $0 + $1.rows },
                        detail: written.map { "\($0.file) \($0.rows)" }.joined(separator: ", ")))
        return outcome
    }
}
