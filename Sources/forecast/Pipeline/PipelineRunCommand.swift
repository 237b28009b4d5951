import Analytics
import ArgumentParser
import ForecastKit
import Foundation
import Warehouse

struct PipelineRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run ingest -> load -> check -> marts -> check -> exports in order; safe to re-run.",
        discussion: """
            Example (what the cron line and the systemd timer in deploy/ run every night):
              forecast pipeline run --date 2019-12-31 --source data/shop --db warehouse.sqlite --out exports
            Exports go to OUT/DATE/ (quality report in OUT/DATE/quality/), and every step's record
            (rows in, rows out, seconds) to OUT/DATE/pipeline-log.jsonl and the warehouse's etl_log.
            Each step is also a command: forecast ingest, warehouse load, warehouse check,
            warehouse marts, export. Exit code 2 when a check fails (nothing after it runs).
            The marts are updated from the orders the load changed (see `warehouse marts --help`);
            --full-marts rebuilds them from all the facts.
            """
    )

    @Option(help: "The run's day, YYYY-MM-DD (default: today, UTC): the as-of day of the quality rules and of recency, and the export folder's name.")
    var date: String?

    @Option(help: "Folder with the day's shop files.")
    var source: String

    @Option(help: "JSON mapping file for other layouts (see docs/warehouse.md).")
    var mapping: String?

    @OptionGroup var database: DatabaseOption

    @Option(help: "Export folder; the run writes to OUT/DATE/.")
    var out: String

    @Option(help: "Export format: csv, jsonl or parquet.")
    var format: MartExport.Format = .csv

    @Flag(name: .customLong("include-pii"), help: "Also build and export the marketing audience (personal data).")
    var includePII = false

    @Option(help: "Number of k-means clusters (default: chosen by silhouette).")
    var clusters: Int?

    @Flag(name: .customLong("full-marts"), help: "Rebuild the daily summary and the roll-ups from all the facts.")
    var fullMarts = false

    @Flag(help: "No progress lines on stderr.")
    var quiet = false

    func validate() throws {
        if let date, CivilDate(iso: date) == nil { throw ValidationError("--date must be a date like 2019-12-31, got '\(date)'") }
    }

    func run() async throws {
        let day = date ?? CivilDate(dayNumber: Int(Date().timeIntervalSince1970 / 86_400)).description
        let warehouse = try database.backend(create: true)
        var options = DailyPipeline.Options(source: source, exportDirectory: out + "/" + day)
        options.mapping = try mapping.map(ShopMapping.load(path:)) ?? ShopMapping()
        options.rules.asOfDay = CivilDate(iso: day)!.dayNumber
        options.format = format
        options.marts.audience.includePII = includePII
        options.marts.audience.clusters = clusters
        options.marts.audience.asOf = day
        options.marts.incremental = !fullMarts
        var pipeline = DailyPipeline(options: options, warehouse: warehouse)
        pipeline.progress = progressLine(quiet: quiet)
        pipeline.onStep = { step in
            print("\(step.step.padding(toLength: 12, withPad: " ", startingAt: 0)) \(String(format: "%7.2f s", step.seconds))  in \(step.rowsIn)  out \(step.rowsOut)  \(step.detail)")
        }
        let outcome = try await pipeline.run()
        if let failed = outcome.failedStep {
            print(WarehouseText.checks(outcome.checks.filter { !$0.passed }))
            printError("forecast: the pipeline stopped at '\(failed)'; see the failed checks above")
            throw ExitCode(2)
        }
        print("pipeline done: \(options.exportDirectory) (\(outcome.exports.count) exports, manifest.json, quality/, pipeline-log.jsonl)")
    }
}
