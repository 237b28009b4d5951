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

/// Writes figures as SVG files and an `index.html` that shows them with their captions.
public enum ReportWriter {
    /// Writes `figures` into `directory` (created if needed); returns the paths written.
    @discardableResult
    public static func write(_ figures: [Figure], to directory: String, title: String, note: String = "") throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var paths: [String] = []
        for f in figures {
            let path = (directory as NSString).appendingPathComponent(f.name + ".svg")
            try Data(f.svg.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            paths.append(path)
        }
        let index = (directory as NSString).appendingPathComponent("index.html")
        try Data(indexPage(figures, title: title, note: note).utf8).write(to: URL(fileURLWithPath: index), options: .atomic)
        paths.append(index)
        return paths
    }

    /// The index page: one section per figure, the SVG by reference, the caption under it.
    public static func indexPage(_ figures: [Figure], title: String, note: String) -> String {
        var html = HTMLPage.head(title: title)
        html += "<h1>\(HTMLPage.escape(title))</h1>\n"
        if !note.isEmpty { html += "<p class=\"note\">\(HTMLPage.escape(note))</p>\n" }
        html += "<nav><ol>\n" + figures.map { "<li><a href=\"#\(HTMLPage.escape($0.name))\">\(HTMLPage.escape($0.title))</a></li>" }.joined(separator: "\n") + "\n</ol></nav>\n"
        for f in figures {
            html += "<figure id=\"\(HTMLPage.escape(f.name))\">\n<img src=\"\(HTMLPage.escape(f.name)).svg\" alt=\"\(HTMLPage.escape(f.title))\">\n"
            html += "<figcaption><strong>\(HTMLPage.escape(f.title)).</strong> \(HTMLPage.escape(f.caption))</figcaption>\n</figure>\n"
        }
        return html + "</body>\n</html>\n"
    }
}

/// The HTML both the index and the notebook share: head, style, escaping.
enum HTMLPage {
    static func head(title: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>
        body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; max-width: 820px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.5; }
        h1 { font-size: 1.7em; } h2 { font-size: 1.3em; margin-top: 2em; border-bottom: 1px solid #ddd; }
        figure { margin: 1.5em 0; } figure img, figure svg { max-width: 100%; height: auto; border: 1px solid #eee; }
        figcaption { font-size: 0.9em; color: #555; }
        table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; } th, td { border-bottom: 1px solid #ddd; padding: 0.25em 0.7em; text-align: right; }
        th:first-child, td:first-child { text-align: left; }
        code, pre { font-family: "DejaVu Sans Mono", monospace; font-size: 0.88em; background: #f5f5f5; }
        pre { padding: 0.7em; overflow-x: auto; } .note { color: #555; }
        </style>
        </head>
        <body>

        """
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }
}
