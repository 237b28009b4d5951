import ArgumentParser
import Reports

extension ReportCommand {
    struct Season: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "seasonality",
                                                        abstract: "Transactions by month of year, day of week, hour of day, and the daily decomposition.")
        @OptionGroup var source: MappingOptions
        @OptionGroup var quality: QualityOptions
        @OptionGroup var output: Output

        func run() throws {
            try output.write(ReportCharts.seasonality(Seasonality(Baskets(try readLog(source, quality)))))
        }
    }
}
