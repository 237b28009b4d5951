import ArgumentParser
import Backtest
import ForecastKit
import Foundation

struct BacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Score models with the rolling-origin protocol of docs/evaluation.md.",
        discussion: """
            For each cutoff (a month start) every customer with an event before it is scored on the number of \
            events (distinct days) in that month; supervised models train only on earlier months. One row per \
            model and cutoff, then the mean per model: deviance, RMSE, MAE, bias, top-10% capture, and the \
            predictive laws' scores: coverage_80 (share of customers inside their 80% interval), nominal_80 \
            (the share the laws promise) and log_score (mean -log P(actual)). By default every model, auto \
            (the recommended one) included; blend and auto refit their five candidates at up to seven earlier \
            months, so they take most of the time.

            A model that fails at a cutoff (too little data for it, a fit that cannot converge) gets a row that says \
            why, with no scores, and the others go on; its mean is over the cutoffs where it fitted. The exit code \
            is then 2, after every row is written.

            Example: forecast backtest --data CDNOW_master.txt --layout cdnow --cutoffs 1997-10-01..1998-06-01 --models zero,last30,hist_rate
            """
    )

    @OptionGroup var source: MappingOptions
    @OptionGroup var quality: QualityOptions

    @Option(help: "First..last cutoff, month starts (YYYY-MM-DD..YYYY-MM-DD), or one date.")
    var cutoffs: String

    @Option(help: "Comma-separated models: \(ModelCatalog.names.joined(separator: ", ")).")
    var models = ModelCatalog.names.joined(separator: ",")

    @Option(help: "Output: table, json or csv.")
    var format: Format = .table

    @Option(help: "Also write the rows to this file (in --format).")
    var out: String?

    @Flag(inversion: .prefixedNo, help: "Include fit and predict seconds (--no-timings gives reproducible reports).")
    var timings = true

    enum Format: String, ExpressibleByArgument { case table, json, csv }

    func parsedCutoffs() throws -> [CivilDate] {
        let parts = cutoffs.components(separatedBy: "..")
        guard (1...2).contains(parts.count), let first = CivilDate(iso: parts[0]), let last = CivilDate(iso: parts[parts.count - 1]),
              first.day == 1, last.day == 1, first <= last else {
            throw ValidationError("--cutoffs must be month starts like 1997-10-01..1998-06-01, got '\(cutoffs)'")
        }
        return RollingOriginBacktest.monthStarts(from: first, through: last)
    }

    func validate() throws {
        _ = try parsedCutoffs()
        for name in models.split(separator: ",") where !ModelCatalog.names.contains(String(name)) {
            throw ValidationError("unknown model '\(name)'; known models: \(ModelCatalog.names.joined(separator: ", "))")
        }
    }

    func run() throws {
        let result = try ingest(source, quality)
        let events = EventLog(result.log)
        let forecasters = try models.split(separator: ",").map { try ModelCatalog.make(String($0)) }
        let backtest = RollingOriginBacktest(cutoffs: try parsedCutoffs())
        let rows = try backtest.run(events: events, models: forecasters) { printError("backtest: \($0)") }
        var all = rows + RollingOriginBacktest.means(rows)
        if !timings { for i in all.indices { all[i].fitSeconds = 0; all[i].predictSeconds = 0 } }
        let text: String
        switch format {
        case .json: text = try TextQuoting.jsonText(all)
        case .csv: text = BacktestReport.csv(all, timings: timings)
        case .table: text = BacktestReport.table(all, timings: timings)
        }
        print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
        if let out { try text.write(toFile: out, atomically: true, encoding: .utf8) }
        let failed = rows.filter { $0.error != nil }
        if !failed.isEmpty {
            printError("backtest: \(failed.count) of \(rows.count) model fits failed (their rows say why); exit code 2")
            throw ExitCode(2)
        }
    }
}
