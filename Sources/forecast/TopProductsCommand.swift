import ArgumentParser
import ForecastKit
import Foundation
import Reports

/// `forecast top-products`: the best-selling products at a date, as text, JSON or CSV.
struct TopProductsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top-products",
        abstract: "The products that drove the most sales over the months before a date.",
        discussion: """
            Ranks products by transactions that included them (or by revenue) over the --months months up to \
            --as-of (default: the data's last day), and prints the top --top. Rows after --as-of are treated as \
            in the future (see --future). Add --chart FILE.svg for the chart of the ranking and of the ranks month by month.

            Example: forecast top-products --data data/shop/transactions.csv --layout transactions --as-of 2019-06-30 --months 6 --top 5 --by revenue
            """
    )

    @OptionGroup var source: MappingOptions
    @OptionGroup var quality: QualityOptions
    @OptionGroup var top: ReportCommand.TopOptions

    @Option(help: "Output: text, json or csv.")
    var format: Format = .text

    @Option(help: "Also write the chart to this SVG file.")
    var chart: String?

    enum Format: String, ExpressibleByArgument { case text, json, csv }

    func run() throws {
        let ranking = try rankTopProducts(source, quality, top)
        print(try ranking.render(format.rawValue), terminator: "")
        if let chart {
            try Data(ReportCharts.topProducts(ranking).svg.utf8).write(to: URL(fileURLWithPath: chart), options: .atomic)
            printError("chart: \(chart)")
        }
    }
}
