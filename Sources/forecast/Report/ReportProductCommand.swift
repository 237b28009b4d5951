import ArgumentParser
import Reports

extension ReportCommand {
    struct Product: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "product", abstract: "One product's transactions per month of one year.")
        @OptionGroup var source: MappingOptions
        @OptionGroup var quality: QualityOptions
        @OptionGroup var output: Output
        @Option(help: "The product id.")
        var product: String
        @Option(help: "The year.")
        var year: Int

        func run() throws {
            let baskets = Baskets(try readLog(source, quality))
            try output.write([ReportCharts.product(try ProductMonthly(baskets, product: product, year: year))])
        }
    }
}
