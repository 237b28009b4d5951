import ArgumentParser
import ForecastKit
import Reports

extension ReportCommand {
    struct Model: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "model",
                                                        abstract: "Backtest charts: forecast vs actual by month, calibration, tracking, comparison, importance, training curve.")
        @OptionGroup var source: MappingOptions
        @OptionGroup var quality: QualityOptions
        @OptionGroup var output: Output
        @OptionGroup var choice: ModelChoice

        func run() throws {
            let log = try readLog(source, quality)
            let events = EventLog(log)
            guard !ModelDiagnostics.cutoffs(events: events, count: choice.backtestMonths).isEmpty else {
                throw ValidationError("the data need at least two months of history before a complete month to backtest")
            }
            let d = try ModelDiagnostics(events: events, modelNames: try choice.names(), months: choice.backtestMonths, progress: printError)
            try output.write(ReportCharts.modelFigures(d))
        }
    }
}
