import ArgumentParser
import Foundation
import Reports

extension ReportCommand {
    struct Ranking: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ranking", abstract: "Customers from the most to the least active, and the top customers' share.")
        @OptionGroup var source: MappingOptions
        @OptionGroup var quality: QualityOptions
        @OptionGroup var output: Output
        @Flag(help: "Linear axes (default: logarithmic).")
        var linear = false
        @Option(help: "How many top customers to name.")
        var top = 10

        func run() throws {
            let baskets = Baskets(try readLog(source, quality))
            try output.write([ReportCharts.ranking(ActivityRanking(baskets, topCustomers: top), dataName: (source.data as NSString).lastPathComponent, logScale: !linear)])
        }
    }
}
