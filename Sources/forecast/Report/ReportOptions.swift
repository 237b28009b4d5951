import ArgumentParser
import ForecastKit
import Foundation
import Reports

extension ReportCommand {
    /// The output folder.
    struct Output: ParsableArguments {
        @Option(help: "Folder for the SVG files (created if missing).")
        var out = "reports"

        func write(_ figures: [Figure]) throws {
            try ReportWriter.writeFigures(figures, to: out).forEach { print($0) }
        }
    }

    /// The models and months of the backtest behind the model charts.
    struct ModelChoice: ParsableArguments {
        @Option(help: "Comma-separated models to compare (\(ModelCatalog.names.joined(separator: ", "))).")
        var models = "hist_rate,glm,gbm,bgnbd,paretonbd"
        @Option(name: .customLong("backtest-months"), help: "How many of the data's last complete months to backtest.")
        var backtestMonths = 6

        func names() throws -> [String] {
            let names = models.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            for n in names where !ModelCatalog.names.contains(n) {
                throw ValidationError("unknown model '\(n)'; known models: \(ModelCatalog.names.joined(separator: ", "))")
            }
            guard backtestMonths >= 1 else { throw ValidationError("--backtest-months must be at least 1") }
            return names
        }
    }

    /// Options of the top-products ranking.
    struct TopOptions: ParsableArguments {
        @Option(help: "How many products to rank.")
        var top = 5
        @Option(help: "The window: this many months up to the ranking date.")
        var months = 6
        @Option(help: "Rank by transactions or revenue.")
        var by: TopProducts.Measure = .transactions
    }
}

extension TopProducts.Measure: ExpressibleByArgument {}
