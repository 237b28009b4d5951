import ArgumentParser
import Foundation
import Reports

extension ReportCommand {
    struct All: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "all", abstract: "Every chart, and index.html.")
        @OptionGroup var source: MappingOptions
        @OptionGroup var quality: QualityOptions
        @OptionGroup var output: Output
        @OptionGroup var choice: ModelChoice
        @Option(help: "Product for the monthly-frequency chart (default: the top product by transactions).")
        var product: String?
        @Option(help: "Year for the monthly-frequency chart (default: the last full year of the data).")
        var year: Int?
        @Flag(name: .customLong("no-model"), help: "Skip the model backtest and its charts.")
        var noModel = false
        @Flag(help: "Linear axes on the activity ranking (default: logarithmic).")
        var linear = false

        func run() throws {
            var options = CustomerDynamicsReport.Options(dataName: (source.data as NSString).lastPathComponent)
            options.models = noModel ? [] : try choice.names()
            options.backtestMonths = choice.backtestMonths
            options.product = product
            options.year = year
            options.logScale = !linear
            let report = try buildReport(source, quality, options)
            try writeReport(report.figures(), to: output.out, source: source).forEach { print($0) }
        }
    }
}
