import ArgumentParser
import ForecastKit
import Foundation

struct WarehouseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "warehouse",
        abstract: "The shop warehouse in SQLite: load, check, build the marts, draw their charts.",
        discussion: """
            Examples:
              forecast warehouse load --source data/shop --db warehouse.sqlite --as-of 2019-12-31
              forecast warehouse load --source exports/2019-12-31 --mapping sales-orders.json --db warehouse.sqlite
              forecast warehouse check --db warehouse.sqlite
              forecast warehouse marts --db warehouse.sqlite --include-pii
              forecast warehouse charts --db warehouse.sqlite --out reports/warehouse
            The schema, the checks and the marts are described in docs/warehouse.md.
            """,
        subcommands: [WarehouseLoadCommand.self, WarehouseCheckCommand.self, WarehouseMartsCommand.self, WarehouseChartsCommand.self, WarehouseBenchCommand.self]
    )
}

/// Where the shop's tables come from.
struct ShopSourceOptions: ParsableArguments {
    @Option(help: "Folder with the shop's CSV files (default layout: customers.csv, products.csv, orders.csv, items.csv).")
    var source: String

    @Option(help: "JSON mapping file: the layout (shop or sales-orders), file names and column names (see docs/warehouse.md).")
    var mapping: String?

    @OptionGroup var quality: QualityOptions

    func read() throws -> ShopTables {
        try ShopIngest.readTables(directory: source, mapping: try shopMapping(), rules: try quality.rules(),
                                  policy: quality.onBadRow, threads: quality.threadCount)
    }

    func shopMapping() throws -> ShopMapping {
        try mapping.map(ShopMapping.load(path:)) ?? ShopMapping()
    }
}

/// `--db PATH`.
struct DatabaseOption: ParsableArguments {
    @Option(help: "The warehouse database file (SQLite).")
    var db = "warehouse.sqlite"
}

/// Prints a step's progress on stderr unless quiet.
func progressLine(quiet: Bool) -> (@Sendable (String) -> Void)? {
    guard !quiet else { return nil }
    let start = Date()
    return { message in printError(String(format: "[%6.1fs] ", Date().timeIntervalSince(start)) + message) }
}

struct WarehouseLoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Load a shop's files into the warehouse (one transaction; idempotent; upserts on business keys).",
        discussion: """
            The files get the data-quality checks of `forecast ingest` (rows read = accepted + rejected;
            duplicate keys and orphans rejected with reasons). Accepted rows replace the staging tables,
            then dim_customer, dim_product, dim_date, fct_orders and fct_order_lines are upserted.
            Loading the same files again changes nothing; a later day's files add what is new.
            """
    )

    @OptionGroup var source: ShopSourceOptions
    @OptionGroup var database: DatabaseOption

    @Option(help: "Write rejects.csv, quality.json and quality.md to this folder.")
    var qualityOut: String?

    @Option(help: "Output: text or json.")
    var format: TextOrJSON = .text

    @Flag(help: "No progress lines on stderr.")
    var quiet = false

    func run() throws {
        let progress = progressLine(quiet: quiet)
        progress?("reading \(source.source)")
        let tables = try source.read()
        if let qualityOut { try IngestOutput.writeQuality(tables.ingestResult(rules: try source.quality.rules()), to: qualityOut) }
        let warehouse = try Warehouse(path: database.db)
        let summary = try WarehouseLoader(warehouse: warehouse, progress: progress).load(tables)
        try warehouse.logStep("load", seconds: summary.seconds, source: source.source,
                              rowsIn: summary.tables.reduce(0) { $0 + $1.staged },
                              rowsOut: summary.tables.reduce(0) { $0 + $1.inserted + $1.updated }, detail: nil)
        switch format {
        case .json: print(try IngestOutput.jsonText(LoadOutput(quality: tables.tableQuality, load: summary), pretty: true), terminator: "")
        case .text:
            for t in tables.tableQuality {
                print("\(t.table): read \(t.rowsRead), accepted \(t.rowsAccepted), rejected \(t.rowsRejected)")
            }
            print(WarehouseText.load(summary, database: database.db))
        }
    }

    struct LoadOutput: Encodable {
        var quality: [TableQuality]
        var load: LoadSummary
    }
}

enum TextOrJSON: String, ExpressibleByArgument { case text, json }

/// Prints data-check results; exit code 2 when one failed.
func printChecks(_ results: [CheckResult], format: TextOrJSON) throws {
    switch format {
    case .json: print(try IngestOutput.jsonText(results, pretty: true), terminator: "")
    case .text: print(WarehouseText.checks(results))
    }
    if !results.allSatisfy(\.passed) { throw ExitCode(2) }
}

struct WarehouseCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run the warehouse's data tests (keys, foreign keys, reconciliation, and the marts if built).",
        discussion: "Exit code 2 when a check fails, 1 when the database cannot be read."
    )

    @OptionGroup var database: DatabaseOption

    @Option(help: "Output: text or json.")
    var format: TextOrJSON = .text

    func run() throws {
        let warehouse = try Warehouse(path: database.db, create: false)
        try printChecks(try MartChecks.runAll(in: warehouse), format: format)
    }
}

struct WarehouseMartsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "marts",
        abstract: "Build the marts: daily customer summary, sales roll-ups, segments and the marketing audience.",
        discussion: """
            The marketing audience holds names, emails and phones: it is built only with --include-pii
            (and dropped otherwise). The segments and cluster profiles carry no personal data.
            """
    )

    @OptionGroup var database: DatabaseOption
    @Flag(name: .customLong("include-pii"), help: "Also build mart_marketing_audience (personal data).")
    var includePII = false
    @Option(help: "Number of k-means clusters (default: chosen by silhouette over 2...8).")
    var clusters: Int?
    @Option(help: "Seed of the clustering.")
    var seed: UInt64 = 42
    @Option(name: .customLong("as-of"), help: "Recency is measured to this day, YYYY-MM-DD (default: the last order day).")
    var asOf: String?
    @Flag(name: .customLong("daily-spine"), help: "Daily summary on the full date spine (every day from a customer's first order), not active days only.")
    var dailySpine = false
    @Option(help: "Output: text or json.")
    var format: TextOrJSON = .text
    @Flag(help: "No progress lines on stderr.")
    var quiet = false

    func validate() throws {
        if let clusters, !(1...50).contains(clusters) { throw ValidationError("--clusters must be between 1 and 50") }
        if let asOf, CivilDate(iso: asOf) == nil { throw ValidationError("--as-of must be a date like 2019-12-31, got '\(asOf)'") }
    }

    func options() -> Marts.Options {
        var o = Marts.Options()
        o.audience.includePII = includePII
        o.audience.clusters = clusters
        o.audience.seed = seed
        o.audience.asOf = asOf
        o.dailySpine = dailySpine
        return o
    }

    func run() throws {
        let warehouse = try Warehouse(path: database.db, create: false)
        let summary = try Marts.build(warehouse, options: options(), progress: progressLine(quiet: quiet))
        try warehouse.logStep("marts", seconds: summary.seconds.values.reduce(0, +), source: nil, rowsIn: nil,
                              rowsOut: summary.customerDailyRows + summary.productRollupRows + summary.categoryRollupRows, detail: nil)
        switch format {
        case .json: print(try IngestOutput.jsonText(summary, pretty: true), terminator: "")
        case .text: print(WarehouseText.marts(summary))
        }
    }
}

struct WarehouseChartsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "charts",
        abstract: "Draw the warehouse charts: revenue over time, revenue by category, customers by state, cluster profiles.",
        discussion: "Needs the marts (`forecast warehouse marts`). Writes OUT/<name>.svg; no chart uses personal data."
    )

    @OptionGroup var database: DatabaseOption

    @Option(help: "Folder for the SVG files.")
    var out = "reports/warehouse"

    func run() throws {
        let warehouse = try Warehouse(path: database.db, create: false)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        for chart in try WarehouseCharts.build(warehouse) {
            let path = "\(out)/\(chart.name).svg"
            try chart.svg.write(toFile: path, atomically: true, encoding: .utf8)
            print("wrote \(path): \(chart.title)")
        }
    }
}

struct WarehouseBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time the monthly-by-category revenue query from the roll-up and from the facts.",
        discussion: "make warehouse-bench runs it on 1,000,000 generated customers after timing the load and the marts."
    )

    @OptionGroup var database: DatabaseOption
    @Option(help: "Runs per query (the median is reported).")
    var repeats = 5
    @Flag(name: .customLong("rollup-only"), help: "Skip the query over the facts.")
    var rollupOnly = false

    func run() throws {
        let warehouse = try Warehouse(path: database.db, create: false)
        let timings = try RollupQueryBench.run(warehouse, repeats: repeats, includeFacts: !rollupOnly)
        for t in timings {
            print(String(format: "%@: %d rows, median %.4f s over %d runs", t.query, t.rows, t.medianSeconds, t.runs.count))
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: database.db)[.size] as? Int) ?? 0
        print(String(format: "database %@: %.1f MB", database.db, Double(size) / 1e6))
    }
}
