import ArgumentParser
import ForecastKit
import Foundation

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

    struct Training: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "training", abstract: "The training curve of a saved model, from its training log.")
        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var output: Output
        @Option(help: "The saved model: NAME (its latest version) or NAME@VERSION.")
        var model: String

        func run() throws {
            let reference = try ModelReference(parsing: model)
            let store = storeOptions.modelStore
            let saved = try store.load(reference)
            let entries = try store.trainingLog(reference)
            var figure = ReportCharts.training((saved.kind, entries), source: "\(saved.name)@\(saved.version)")
            figure.name = "training-\(saved.name)-\(saved.version)"
            try output.write([figure])
        }
    }

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

    struct Customers: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "customers",
                                                        abstract: "Cohort retention, days between purchases, new versus returning customers.")
        @OptionGroup var source: MappingOptions
        @OptionGroup var quality: QualityOptions
        @OptionGroup var output: Output

        func run() throws {
            try output.write(ReportCharts.customerFlow(CustomerFlow(Baskets(try readLog(source, quality)))))
        }
    }
}

/// Reads a command's data, reporting the row counts on standard error.
func readLog(_ source: MappingOptions, _ quality: QualityOptions, command: String = "report") throws -> TransactionLog {
    let log = try readData(source, quality, command: command).log
    printError("\(command): \(log.customerCount) customers")
    return log
}

/// The charts and index.html of `forecast report` (and `forecast notebook --charts`) in `directory`.
func writeReport(_ figures: [Figure], to directory: String, source: MappingOptions) throws -> [String] {
    try ReportWriter.write(figures, to: directory, title: "Customer dynamics: \((source.data as NSString).lastPathComponent)",
                           note: "Made from \(source.data) by `forecast report`. Every chart is an SVG file beside this page.")
}

/// Reads the data and runs every analysis of the report.
func buildReport(_ source: MappingOptions, _ quality: QualityOptions, _ options: CustomerDynamicsReport.Options,
                 command: String = "report") throws -> CustomerDynamicsReport {
    let log = try readLog(source, quality, command: command)
    return try CustomerDynamicsReport(log: log, options: options, progress: printError)
}

/// The top-products ranking at --as-of (or the data's last day).
func rankTopProducts(_ source: MappingOptions, _ quality: QualityOptions, _ top: ReportCommand.TopOptions) throws -> TopProducts {
    let baskets = Baskets(try readLog(source, quality, command: "top-products"))
    guard let range = baskets.dayRange else { throw ValidationError("the data hold no transactions") }
    var asOf = range.upperBound
    if let text = quality.asOf {
        guard let d = CivilDate(iso: text) else { throw ValidationError("--as-of must be a date like 2019-12-31, got '\(text)'") }
        guard d.dayNumber >= range.lowerBound else {
            throw ValidationError("--as-of \(text) is before the data's first day, \(CivilDate(dayNumber: range.lowerBound))")
        }
        asOf = d.dayNumber
    }
    return try TopProducts(baskets, asOf: asOf, months: top.months, top: top.top, by: top.by)
}

extension TopProducts.Measure: ExpressibleByArgument {}
