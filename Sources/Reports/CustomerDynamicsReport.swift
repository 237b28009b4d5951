import Core
import Features
import Foundation
import Ingestion

/// Every analysis of the report on one transaction log: the five questions, computed once
/// and shared by the charts, the index page and the notebook.
public struct CustomerDynamicsReport: Sendable {
    public struct Options: Sendable {
        /// How the data are named in subtitles ("built-in data", a file name).
        public var dataName: String
        public var logScale = true
        public var topProducts = 5
        public var topMonths = 6
        /// The product and year of question 2; by default the top product and the last full year.
        public var product: String?
        public var year: Int?
        /// Models compared in question 4; empty skips the model section.
        public var models = ["hist_rate", "glm", "gbm", "bgnbd", "paretonbd"]
        public var backtestMonths = 6

        public init(dataName: String) { self.dataName = dataName }
    }

    public var options: Options
    public var baskets: Baskets
    public var ranking: ActivityRanking
    public var productMonthly: ProductMonthly?
    public var topByTransactions: TopProducts?
    public var topByRevenue: TopProducts?
    public var seasonality: Seasonality
    public var flow: CustomerFlow
    public var diagnostics: ModelDiagnostics?
    /// Events (distinct customer-days) the forecasting section counts.
    public var eventCount: Int

    public init(log: TransactionLog, options: Options, progress: (String) -> Void = { _ in }) throws {
        self.options = options
        progress("report: grouping \(log.rowCount) rows into transactions")
        let baskets = Baskets(log)
        self.baskets = baskets
        ranking = ActivityRanking(baskets)
        seasonality = Seasonality(baskets)
        flow = CustomerFlow(baskets)
        if log.hasProducts, let last = baskets.dayRange?.upperBound {
            let byTx = try TopProducts(baskets, asOf: last, months: options.topMonths, top: options.topProducts, by: .transactions)
            topByTransactions = byTx
            if log.hasAmounts { topByRevenue = try TopProducts(baskets, asOf: last, months: options.topMonths, top: options.topProducts, by: .revenue) }
            let year = options.year ?? Self.lastFullYear(baskets.dayRange!)
            if let product = options.product ?? byTx.ranking.entries.first?.product {
                productMonthly = try ProductMonthly(baskets, product: product, year: year)
            }
        }
        let events = EventLog(log)
        eventCount = events.eventCount
        if !options.models.isEmpty && !ModelDiagnostics.cutoffs(events: events, count: options.backtestMonths).isEmpty {
            diagnostics = try ModelDiagnostics(events: events, modelNames: options.models, months: options.backtestMonths, progress: progress)
        }
    }

    /// The last calendar year the data cover to its end (or the last year seen).
    static func lastFullYear(_ range: ClosedRange<Int>) -> Int {
        let end = CivilDate(dayNumber: range.upperBound)
        return end.month == 12 && end.day == 31 ? end.year : max(CivilDate(dayNumber: range.lowerBound).year, end.year - 1)
    }

    /// Every figure, in the order of the questions.
    public func figures() -> [Figure] {
        var out = [ReportCharts.ranking(ranking, dataName: options.dataName, logScale: options.logScale)]
        if let productMonthly { out.append(ReportCharts.product(productMonthly)) }
        if let topByTransactions { out.append(ReportCharts.topProducts(topByTransactions)) }
        if let topByRevenue {
            var f = ReportCharts.topProducts(topByRevenue)
            f.name = "top-products-revenue"
            f.title = "Top products by revenue"
            out.append(f)
        }
        if let diagnostics { out += ReportCharts.modelFigures(diagnostics) }
        out += ReportCharts.seasonality(seasonality)
        out += ReportCharts.customerFlow(flow)
        return out
    }
}
