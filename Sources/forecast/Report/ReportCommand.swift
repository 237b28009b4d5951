import ArgumentParser

/// `forecast report`: the customer-dynamics charts, all at once or one at a time.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write SVG charts that answer the customer-dynamics questions (all of them, with an index.html, by default).",
        discussion: """
            Reads a transaction log (built-in data, CDNOW, or any mapped CSV) and writes the charts into --out. \
            `forecast report --data ... --out reports` writes every chart and an index.html with one-line captions; \
            the subcommands make one chart (or one group) on its own.

            Examples:
              forecast report --data data/shop/transactions.csv --layout transactions --out reports
              forecast report product --data data/shop/transactions.csv --layout transactions --product P00042 --year 2018
              forecast report ranking --data CDNOW_master.txt --layout cdnow --out cdnow-reports
            """,
        subcommands: [All.self, Ranking.self, Product.self, TopProductsChart.self, Model.self, Training.self, Season.self, Customers.self],
        defaultSubcommand: All.self
    )
}
