import ArgumentParser
import Reports

extension ReportCommand {
    struct TopProductsChart: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "top-products",
                                                        abstract: "The top products at a date (--as-of, default the data's last day) and how their ranks moved.")
        @OptionGroup var source: MappingOptions
        @OptionGroup var quality: QualityOptions
        @OptionGroup var output: Output
        @OptionGroup var top: TopOptions

        func run() throws {
            let ranking = try rankTopProducts(source, quality, top)
            try output.write([ReportCharts.topProducts(ranking)])
        }
    }
}
