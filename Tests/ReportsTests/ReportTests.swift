import Core
import Foundation
import SyntheticShop
import Testing
import TestSupport
@testable import Features
@testable import Ingestion
@testable import Plots
@testable import Reports

/// The built-in generator's shop, small: 500 customers over 2017-2019.
enum GeneratedShop {
    static let log: TransactionLog = {
        var config = ShopGeneratorConfig()
        config.customers = 500
        config.products = 40
        config.clean = true
        let dir = NSTemporaryDirectory() + "reports-shop-\(UUID().uuidString.prefix(8))"
        _ = try! ShopGenerator(config: config).write(to: dir)
        return try! TransactionIngest.flat(path: dir + "/transactions.csv", mapping: KnownLayout.transactions.mapping!).log
    }()

    static let report: CustomerDynamicsReport = {
        var options = CustomerDynamicsReport.Options(dataName: "generated <test> & co")
        options.models = ["hist_rate", "glm"]
        options.backtestMonths = 2
        return try! CustomerDynamicsReport(log: log, options: options)
    }()
}

@Suite("Report and notebook")
struct ReportTests {
    @Test func everyFigureIsValidSVGWithAnEscapedDataName() {
        let figures = GeneratedShop.report.figures()
        let names = figures.map(\.name)
        for expected in ["ranking", "top-products", "top-products-revenue", "model-monthly", "model-calibration", "model-intervals", "model-tracking",
                         "model-comparison", "model-training", "season-month", "season-weekday", "season-hour", "season-decomposition",
                         "cohort-retention", "purchase-gaps", "new-returning"] {
            #expect(names.contains(expected), "missing \(expected)")
        }
        #expect(names.contains { $0.hasPrefix("product-") })
        #expect(Set(names).count == names.count)
        for f in figures {
            let p = parseSVG(f.svg)
            #expect(p.ok, "\(f.name): \(p.error ?? "")")
            #expect(p.rootName == "svg")
            #expect(!f.caption.isEmpty)
        }
        let ranking = parseSVG(figures[0].svg)
        #expect(ranking.texts.contains { $0.contains("generated <test> & co") })
    }

    @Test func theBacktestDiagnosticsAddUp() {
        let d = GeneratedShop.report.diagnostics!
        #expect(d.cutoffs == ["2019-11-01", "2019-12-01"])
        #expect(d.comparison.map(\.model) == ["hist_rate", "glm"])
        #expect(d.predictedTotals.allSatisfy { $0.count == 2 })
        // The tracking covers the same customers as the scored month: it ends at the month's actual total.
        #expect(d.trackingDays.count == 31)
        #expect(d.trackingActual.last == d.actualTotals.last)
        #expect(d.trackingActual == d.trackingActual.sorted())
        // hist_rate scales with the horizon, glm is trained for the month and is spread pro rata.
        #expect(d.proRata == ["glm"])
        let glm = d.trackingPredicted[1]
        #expect(abs(glm.last! - d.predictedTotals[1].last!) < 1e-6 * glm.last!)
        #expect(d.calibration.count == 10)
        #expect(d.best == d.comparison.min { $0.deviance < $1.deviance }!.model)
        #expect(d.trainingLogs.contains { $0.model == "glm" })
    }

    @Test func cutoffsAreTheLastCompleteMonths() {
        let dec31 = CivilDate(iso: "2019-12-31")!.dayNumber, dec15 = CivilDate(iso: "2019-12-15")!.dayNumber
        let first = CivilDate(iso: "2019-01-10")!.dayNumber
        let full = EventLog(shopLog([("a", "2019-01-10", 1, 1, 1), ("a", CivilDate(dayNumber: dec31).description, 1, 1, 1)]))
        #expect(ModelDiagnostics.cutoffs(events: full, count: 2).map(\.description) == ["2019-11-01", "2019-12-01"])
        let partial = EventLog(shopLog([("a", CivilDate(dayNumber: first).description, 1, 1, 1), ("a", CivilDate(dayNumber: dec15).description, 1, 1, 1)]))
        #expect(ModelDiagnostics.cutoffs(events: partial, count: 1).map(\.description) == ["2019-11-01"])
        // Too little history: no cutoff at all.
        let short = EventLog(shopLog([("a", "2019-12-01", 1, 1, 1), ("a", "2019-12-31", 1, 1, 1)]))
        #expect(ModelDiagnostics.cutoffs(events: short, count: 6).isEmpty)
    }

    @Test func theNotebookIsSelfContainedAndQuotesTheNumbers() {
        let report = GeneratedShop.report
        let figures = report.figures()
        let doc = CustomerDynamicsNotebook.build(report, figures: figures, title: "Dynamics <of> & test", reproduce: ["forecast notebook --data x"])
        let html = doc.html()
        #expect(html.components(separatedBy: "<svg xmlns").count - 1 >= figures.count - 1)
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("href=\"http") && !html.contains("<?xml"))
        #expect(html.contains("<title>Dynamics &lt;of&gt; &amp; test</title>"))
        let md = doc.markdown(figuresFolder: "figures")
        let share = NumberFormatting.format(report.ranking.share(ofTop: 0.1), style: .percent)
        #expect(md.contains("the top 10% make **\(share)**"))
        #expect(md.contains("![Customer activity ranking](figures/ranking.svg)"))
        #expect(md.contains("forecast notebook --data x"))
        if let top = report.topByTransactions?.ranking.entries.first { #expect(md.contains("| 1 | \(top.product) |")) }
        // Every inline SVG in the page is well-formed XML on its own.
        var rest = html[...]
        while let start = rest.range(of: "<svg xmlns"), let end = rest.range(of: "</svg>\n<figcaption>", range: start.upperBound..<rest.endIndex) {
            let svg = String(rest[start.lowerBound..<end.lowerBound]) + "</svg>"
            #expect(parseSVG(svg).ok)
            rest = rest[end.upperBound...]
        }
    }

    @Test func indexPageListsEveryFigureWithItsCaption() throws {
        let figures = GeneratedShop.report.figures()
        let dir = NSTemporaryDirectory() + "report-index-\(UUID().uuidString.prefix(8))"
        let paths = try ReportWriter.write(figures, to: dir, title: "T & T", note: "n")
        #expect(paths.count == figures.count + 1)
        let html = try String(contentsOfFile: dir + "/index.html", encoding: .utf8)
        for f in figures {
            #expect(html.contains("<img src=\"\(f.name).svg\""))
            #expect(FileManager.default.fileExists(atPath: dir + "/\(f.name).svg"))
        }
        #expect(html.contains("<h1>T &amp; T</h1>"))
    }

    @Test func sameDataSameBytes() throws {
        var options = CustomerDynamicsReport.Options(dataName: "x")
        options.models = []
        let a = try CustomerDynamicsReport(log: GeneratedShop.log, options: options).figures().map(\.svg)
        let b = try CustomerDynamicsReport(log: GeneratedShop.log, options: options).figures().map(\.svg)
        #expect(a == b)
    }

    @Test func datesOnlyDataHaveNoHourChartButAMessage() throws {
        let log = shopLog([("a", "2019-01-05", 0, 1, 1), ("b", "2019-02-05", 0, 1, 1)])
        var options = CustomerDynamicsReport.Options(dataName: "dates")
        options.models = []
        let figures = try CustomerDynamicsReport(log: log, options: options).figures()
        let hour = figures.first { $0.name == "season-hour" }!
        #expect(parseSVG(hour.svg).texts.contains("The timestamps have no time of day"))
    }
}
