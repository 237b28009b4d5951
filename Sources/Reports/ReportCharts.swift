import Core
import Foundation
import Models
import Plots

/// One finished figure: a file name, a caption and the SVG.
public struct Figure: Sendable {
    /// File name without extension ("ranking").
    public var name: String
    public var title: String
    /// One line saying what the figure shows.
    public var caption: String
    public var svg: String
}

/// Builds the report's charts from the analyses.
public enum ReportCharts {
    // MARK: 1. activity ranking

    public static func ranking(_ r: ActivityRanking, dataName: String, logScale: Bool = true) -> Figure {
        // At most about 2,000 points on the curve: every rank at the top, then evenly spaced.
        let n = r.counts.count
        var ranks: [Int] = []
        if n <= 2000 { ranks = Array(0..<n) } else {
            ranks = Array(0..<500)
            let step = Double(n - 500) / 1500
            for k in 0..<1500 { ranks.append(500 + Int(Double(k) * step)) }
            if ranks.last != n - 1 { ranks.append(n - 1) }
        }
        let xs = ranks.map { Double($0 + 1) }
        let curve = Series("transactions", x: xs, y: ranks.map { Double(r.counts[$0]) },
                           tooltips: ranks.map { "rank \(NumberFormatting.format(Double($0 + 1))): \(NumberFormatting.format(Double(r.counts[$0]))) transactions" })
        var marks: [Mark] = [.line(curve, points: false)]
        for (k, c) in r.top.prefix(3).enumerated() {
            marks.append(.annotation(Annotation(x: Double(k + 1), y: Double(c.transactions), text: "#\(k + 1) customer \(c.id): \(c.transactions)")))
        }
        let customers = NumberFormatting.format(Double(n))
        let rankChart = Chart(
            title: "Customer activity ranking", subtitle: "\(customers) customers, \(NumberFormatting.format(Double(r.totalTransactions))) transactions · \(dataName)",
            x: Axis("Customer rank (most active first)", kind: logScale ? .log : .linear, style: .si, includesZero: false),
            y: Axis("Transactions", kind: logScale ? .log : .linear, style: .si), marks: marks, height: 380)
        let cum = r.cumulativeShare
        var shareMarks: [Mark] = [.area(Series("", x: xs.map { $0 / Double(max(1, n)) }, y: ranks.map { cum[$0] }), opacity: 0.2),
                                  .line(Series("cumulative share", x: xs.map { $0 / Double(max(1, n)) }, y: ranks.map { cum[$0] }), points: false)]
        for f in [0.01, 0.1, 0.2] where n > 0 {
            let s = r.share(ofTop: f)
            shareMarks.append(.annotation(Annotation(x: f, y: s, text: "top \(NumberFormatting.format(f, style: .percent)): \(NumberFormatting.format(s, style: .percent))")))
        }
        let shareChart = Chart(title: "How concentrated purchasing is", subtitle: "Share of all transactions made by the most active customers",
                               x: Axis("Share of customers (most active first)", style: .percent, domain: 0...1),
                               y: Axis("Share of transactions", style: .percent, domain: 0...1), marks: n == 0 ? [] : shareMarks, height: 340)
        let top = r.top
        let topChart = Chart(title: "Top \(top.count) customers", subtitle: "Transactions per customer",
                             x: Axis("Transactions", integerTicks: true), y: Axis(kind: .band(top.map { "customer " + $0.id }), grid: false),
                             marks: [.bars([BarSeries("", values: top.map { Double($0.transactions) })], valueLabels: true)],
                             height: 60 + 90 + Double(max(1, top.count)) * 22)
        let svg = ChartStack(title: "Customer activity ranking", panels: [rankChart.element(), shareChart.element(), topChart.element()]).svg()
        let caption = n == 0 ? "No customers in the data." :
            "Transactions per customer from the most to the least active; the top 10% of customers make \(NumberFormatting.format(r.share(ofTop: 0.1), style: .percent)) of transactions."
        return Figure(name: "ranking", title: "Customer activity ranking", caption: caption, svg: svg)
    }

    // MARK: 2. one product by month

    public static func product(_ p: ProductMonthly) -> Figure {
        let total = p.counts.reduce(0, +)
        let chart = Chart(title: "Product \(p.product): transactions per month, \(p.year)",
                          subtitle: "\(NumberFormatting.format(Double(total))) transactions that included the product" +
                              (p.revenue.map { ", revenue " + NumberFormatting.format($0.reduce(0, +), style: .currency(symbol: "$")) } ?? ""),
                          x: Axis("Month of \(p.year)", kind: .band(monthAbbreviations), grid: false),
                          y: Axis("Transactions", integerTicks: true),
                          marks: [.bars([BarSeries("transactions", values: p.counts.map(Double.init))], valueLabels: true)])
        let caption = "Transactions that included product \(p.product) in each month of \(p.year) (months without any show as zero)."
        return Figure(name: "product-\(fileSafe(p.product))-\(p.year)", title: "Product \(p.product) in \(p.year)", caption: caption,
                      svg: total == 0 ? chartWithNote(chart, note: "No transaction included this product in \(p.year)") : chart.svg())
    }

    // MARK: 3. top products

    public static func topProducts(_ t: TopProducts) -> Figure {
        let e = t.ranking.entries
        let style: NumberStyle = t.measure == .revenue ? .currency(symbol: "$") : .plain
        let values = e.map { t.measure == .revenue ? ($0.revenue ?? 0) : Double($0.transactions) }
        let bars = Chart(title: "Top \(t.top) products by \(t.measure.rawValue)", subtitle: "\(t.ranking.windowStart) to \(t.ranking.asOf) (\(t.months) months)",
                         x: Axis(t.measure == .revenue ? "Revenue" : "Transactions", style: t.measure == .revenue ? style : .si),
                         y: Axis(kind: .band(e.map { "#\($0.rank) \($0.product)" }), grid: false),
                         marks: [.bars([BarSeries("", values: values)], valueLabels: true, style: style)],
                         height: 130 + Double(max(1, e.count)) * 30, emptyMessage: "No product sold in this window")
        let dates = t.historyDates.compactMap { CivilDate(iso: $0)?.dayNumber }.map(Double.init)
        let worst = t.historyRanks.flatMap { $0.compactMap { $0 } }.max() ?? 1
        var lines: [Mark] = []
        for (k, entry) in e.enumerated() {
            let ranks = t.historyRanks.map { k < $0.count ? $0[k].map(Double.init) ?? .nan : .nan }
            lines.append(.line(Series(entry.product, x: dates, y: ranks,
                                      tooltips: zip(t.historyDates, ranks).map { "\(entry.product) on \($0): " + ($1.isFinite ? "rank \(Int($1))" : "no sales") })))
        }
        let bump = Chart(title: "How the top products' ranks moved", subtitle: "Rank over the \(t.months) months up to each month end (1 = top)",
                         x: Axis("Month end", kind: .time), y: Axis("Rank", domain: 0.5...Double(max(worst, t.top)) + 0.5, reversed: true, integerTicks: true),
                         marks: lines, height: 380)
        let caption = e.isEmpty ? "No product sold in the window." :
            "The \(e.count) products with the most \(t.measure.rawValue) over the \(t.months) months to \(t.ranking.asOf), led by \(e[0].product); below, their ranks month by month."
        return Figure(name: "top-products", title: "Top products", caption: caption,
                      svg: ChartStack(title: "Top products", panels: [bars.element(), bump.element()]).svg())
    }

    // MARK: 4. model

    public static func modelFigures(_ d: ModelDiagnostics) -> [Figure] {
        var figures: [Figure] = []
        let days = d.cutoffs.compactMap { CivilDate(iso: $0)?.dayNumber }.map(Double.init)
        var lines: [Mark] = [.line(Series("actual", x: days, y: d.actualTotals, color: "#000000"))]
        for (j, m) in d.models.enumerated() {
            lines.append(.line(Series(m, x: days, y: d.predictedTotals[j], color: Palette.color(j)), dashed: true))
        }
        let monthly = Chart(title: "Forecast versus actual, month by month",
                            subtitle: "Sum over customers of each model's forecast for the month, fitted on the data before it",
                            x: Axis("Month forecast", kind: .time), y: Axis("Events (customer-days)", style: .si, includesZero: false), marks: lines)
        figures.append(Figure(name: "model-monthly", title: "Forecast versus actual by month",
                              caption: "Rolling-origin backtest over \(d.cutoffs.count) months: each model's total forecast against the events that happened.",
                              svg: monthly.svg()))

        let cal = d.calibration
        let hi = max(cal.map(\.meanPredicted).max() ?? 1, cal.map(\.meanActual).max() ?? 1)
        let calChart = Chart(title: "Calibration of \(d.best) by decile of forecast", subtitle: "Month from \(d.cutoffs.last ?? "-"); the dashed diagonal is perfect calibration",
                             x: Axis("Mean forecast in the decile"), y: Axis("Mean actual events in the decile"),
                             marks: [.line(Series("", x: [0, hi], y: [0, hi], color: "#999999"), points: false, dashed: true),
                                     .line(Series(d.best, x: cal.map(\.meanPredicted), y: cal.map(\.meanActual),
                                                  tooltips: cal.map { "decile \($0.decile) (\($0.customers) customers): forecast \(fmt($0.meanPredicted)), actual \(fmt($0.meanActual))" }), points: true)])
        figures.append(Figure(name: "model-calibration", title: "Calibration by decile",
                              caption: "Customers in ten groups by forecast: mean forecast against mean actual events for \(d.best), the best model by deviance.",
                              svg: calChart.svg()))

        let intervals = d.intervalCalibration
        if !intervals.isEmpty {
            let deciles = intervals.map { Double($0.decile) }
            let coverageChart = Chart(
                title: "80% intervals of \(d.best) by decile of forecast",
                subtitle: "Month from \(d.cutoffs.last ?? "-"): counts inside the interval, against what the laws promised",
                x: Axis("Decile of forecast (1 = lowest)"), y: Axis("Share of customers", style: .percent, includesZero: false),
                marks: [.line(Series("80%", x: [deciles.first ?? 1, deciles.last ?? 10], y: [0.8, 0.8], color: "#999999"), points: false, dashed: true),
                        .line(Series("promised by the laws", x: deciles, y: intervals.map(\.nominal), color: Palette.color(1)), points: true, dashed: true),
                        .line(Series("actual coverage", x: deciles, y: intervals.map(\.coverage), color: Palette.color(0),
                                     tooltips: intervals.map { "decile \($0.decile) (\($0.customers) customers, mean forecast \(fmt($0.meanPredicted))): coverage \(fmt($0.coverage)), promised \(fmt($0.nominal))" }),
                              points: true)])
            figures.append(Figure(name: "model-intervals", title: "Calibration of the 80% intervals",
                                  caption: "Customers in ten groups by forecast: how often the actual count fell inside the 80% interval of \(d.best), against how often its laws said it would (counts are whole numbers, so an interval that is [0, 0] holds P(0), often over 90%).",
                                  svg: coverageChart.svg()))
        }

        var trackMarks: [Mark] = [.line(Series("actual", x: d.trackingDays.map(Double.init), y: d.trackingActual, color: "#000000"))]
        for (j, m) in d.models.enumerated() where j < d.trackingPredicted.count {
            trackMarks.append(.line(Series(m + (d.proRata.contains(m) ? " (pro rata)" : ""), x: d.trackingDays.map(Double.init), y: d.trackingPredicted[j],
                                           color: Palette.color(j)), points: false, dashed: true))
        }
        let track = Chart(title: "Cumulative events in the holdout month",
                          subtitle: "Customers seen before \(d.cutoffs.last ?? "-"); forecasts for horizons of 1 to \(d.trackingDays.count) days",
                          x: Axis("Days after the cutoff", domain: 0...Double(max(1, d.trackingDays.count)), integerTicks: true),
                          y: Axis("Cumulative events", style: .si), marks: trackMarks)
        figures.append(Figure(name: "model-tracking", title: "Cumulative tracking in the holdout",
                              caption: "Events day by day after the last cutoff against each model's forecast for that horizon (models trained for the whole month spread pro rata).", svg: track.svg()))

        let rows = d.comparison
        let names = rows.map(\.model)
        let dev = Chart(title: "Mean Poisson deviance (lower is better)", x: Axis("Deviance", includesZero: false), y: Axis(kind: .band(names), grid: false),
                        marks: [.bars([BarSeries("", values: rows.map(\.deviance))], valueLabels: true, style: .plain)],
                        height: 110 + Double(max(1, rows.count)) * 26)
        let top = Chart(title: "Top-10% capture (higher is better)", x: Axis("Share of next month's events", style: .percent),
                        y: Axis(kind: .band(names), grid: false),
                        marks: [.bars([BarSeries("", values: rows.map(\.top10Capture), color: Palette.color(1))], valueLabels: true, style: .percent)],
                        height: 110 + Double(max(1, rows.count)) * 26)
        let bias = Chart(title: "Bias (forecast total / actual total - 1)", x: Axis("Bias", style: .percent), y: Axis(kind: .band(names), grid: false),
                         marks: [.bars([BarSeries("", values: rows.map(\.bias), color: Palette.color(2))], valueLabels: true, style: .percent),
                                 .rule(ReferenceLine(.vertical, at: 0, color: "#444444", dashed: false))],
                         height: 110 + Double(max(1, rows.count)) * 26)
        figures.append(Figure(name: "model-comparison", title: "Model comparison",
                              caption: "Mean deviance, top-10% capture and bias of each model over the backtest months.",
                              svg: ChartStack(title: "Model comparison", panels: [dev.element(), top.element(), bias.element()]).svg()))

        let imp = Array(d.importance.prefix(15))
        let impChart = Chart(title: "Feature importance of \(d.importanceModel ?? "the tree model")", subtitle: "Share of the total split gain, last backtest fit",
                             x: Axis("Share of split gain", style: .percent), y: Axis(kind: .band(imp.map(\.feature)), grid: false),
                             marks: [.bars([BarSeries("", values: imp.map(\.share))], valueLabels: true, style: .percent)],
                             height: 110 + Double(max(4, imp.count)) * 22, emptyMessage: "No tree model in the comparison (add gbm)")
        figures.append(Figure(name: "model-importance", title: "Feature importance",
                              caption: d.importanceModel == nil ? "No tree model was compared." :
                                "Which features the \(d.importanceModel!) model splits on, as shares of its total gain.", svg: impChart.svg()))

        let curves = d.trainingLogs.map { training($0, source: "last backtest fit") }
        var trainingFigure = curves.first ?? training(nil, source: "last backtest fit")
        if curves.count > 1 {
            trainingFigure.svg = ChartStack(title: "Training curves", panels: d.trainingLogs.map { trainingChart($0, source: "last backtest fit").element() }).svg()
            trainingFigure.caption = "Per-iteration training metrics of " + d.trainingLogs.map(\.model).joined(separator: ", ") + " at the last cutoff."
        }
        figures.append(trainingFigure)
        return figures
    }

    /// Training curves from a model's training log: each recorded metric per iteration.
    public static func training(_ log: (model: String, entries: [TrainingLogEntry])?, source: String) -> Figure {
        let entries = log?.entries ?? []
        let names = Array(Set(entries.flatMap(\.metrics.keys))).sorted()
        return Figure(name: "model-training", title: "Training curve",
                      caption: entries.isEmpty ? "No training log recorded." : "\(log!.model): \(chosenMetrics(names).joined(separator: ", ")) per iteration (\(entries.count) iterations).",
                      svg: trainingChart(log, source: source).svg())
    }

    /// Metrics on one scale share a chart: deviances, losses and objectives (else the first three).
    static func chosenMetrics(_ names: [String]) -> [String] {
        let shown = names.filter { $0.contains("deviance") || $0.contains("loss") || $0 == "objective" }
        return shown.isEmpty ? Array(names.prefix(3)) : shown
    }

    static func trainingChart(_ log: (model: String, entries: [TrainingLogEntry])?, source: String) -> Chart {
        let entries = log?.entries ?? []
        let chosen = chosenMetrics(Array(Set(entries.flatMap(\.metrics.keys))).sorted())
        let marks: [Mark] = chosen.enumerated().map { j, name in
            let pts = entries.filter { $0.metrics[name] != nil }
            return .line(Series(name, x: pts.map { Double($0.iteration) }, y: pts.map { $0.metrics[name]! }, color: Palette.color(j)), points: pts.count <= 30)
        }
        return Chart(title: "Training curve of \(log?.model ?? "a model")", subtitle: "Per iteration, from the training log (\(source))",
                     x: Axis("Iteration", integerTicks: true), y: Axis("Metric", includesZero: false), marks: marks,
                     height: 340, emptyMessage: "No training log (the models compared record none)")
    }

    // MARK: 5. seasonality and customer flow

    public static func seasonality(_ s: Seasonality) -> [Figure] {
        var figures: [Figure] = []
        var yearLines: [Mark] = []
        for (k, year) in s.years.enumerated() {
            let row = s.byMonth[k]
            yearLines.append(.line(Series(String(year), x: (0..<12).map(Double.init), y: row.map { $0.map(Double.init) ?? .nan }), points: true))
        }
        figures.append(Figure(name: "season-month", title: "Transactions by month of year",
                              caption: "Each year's transactions per calendar month, overlaid (partial months at the data's edges are left out).",
                              svg: Chart(title: "Transactions by month of year", subtitle: "One line per year",
                                         x: Axis("Month", kind: .band(monthAbbreviations), grid: false), y: Axis("Transactions", style: .si),
                                         marks: yearLines).svg()))
        figures.append(Figure(name: "season-weekday", title: "Transactions by day of week",
                              caption: "All transactions by day of the week.",
                              svg: Chart(title: "Transactions by day of week", x: Axis("Day of week", kind: .band(weekdayAbbreviations), grid: false),
                                         y: Axis("Transactions", style: .si), marks: [.bars([BarSeries("", values: s.byWeekday.map(Double.init))], valueLabels: true, style: .si)]).svg()))
        let hours = (0..<24).map { $0 < 10 ? "0\($0)" : "\($0)" }
        figures.append(Figure(name: "season-hour", title: "Transactions by hour of day",
                              caption: s.hasTimeOfDay ? "All transactions by hour of the day (timestamps as recorded)." : "The data carry dates only, so there is no hour of day.",
                              svg: Chart(title: "Transactions by hour of day", x: Axis("Hour", kind: .band(hours), grid: false), y: Axis("Transactions", style: .si),
                                         marks: s.hasTimeOfDay ? [.bars([BarSeries("", values: s.byHour.map(Double.init))])] : [],
                                         emptyMessage: "The timestamps have no time of day").svg()))
        let d = s.decomposition
        let days = d.observed.indices.map { Double(d.firstDay + $0) }
        let span = Double(d.firstDay)...Double(d.firstDay + max(1, d.observed.count - 1))
        func panel(_ title: String, _ values: [Double], _ colour: String, height: Double = 210) -> SVGElement {
            var c = Chart(title: title, x: Axis(kind: .time, domain: span), y: Axis(includesZero: false),
                          marks: [.line(Series("", x: days, y: values, color: colour), points: false)], height: height)
            c.plotLeft = 64
            return c.element()
        }
        var weekly = Chart(title: "Weekly pattern: effect by day of week (strength \(NumberFormatting.format(d.seasonalStrength, step: 0.01)))",
                           x: Axis(kind: .band(weekdayAbbreviations), grid: false), y: Axis(),
                           marks: [.bars([BarSeries("", values: d.weekdayEffect, color: Palette.color(1))], valueLabels: true, style: .plain)], height: 210)
        weekly.plotLeft = 64
        let stack = ChartStack(title: "Decomposition of the daily series", panels: [
            panel("Daily transactions", d.observed, "#444444", height: 230),
            panel("Trend-cycle (centred 7-day mean)", d.trend.map { $0 ?? .nan }, Palette.color(0)),
            weekly.element(),
            panel("Remainder", d.remainder.map { $0 ?? .nan }, Palette.color(5)),
        ])
        figures.append(Figure(name: "season-decomposition", title: "Trend and weekly seasonality",
                              caption: "The daily series split into trend-cycle, a weekly pattern (transactions above or below the trend per weekday) and remainder (classical additive decomposition).", svg: stack.svg()))
        return figures
    }

    public static func customerFlow(_ f: CustomerFlow) -> [Figure] {
        var figures: [Figure] = []
        // Months that acquired nobody (CDNOW's cohorts all start in early 1997) get no row.
        let cohorts = f.months.indices.filter { f.cohortSizes[$0] > 0 }
        let heat = Heatmap(title: "Cohort retention", subtitle: "Share of each acquisition month's customers who buy again k months later",
                           columns: (0..<f.months.count).map(String.init), rows: cohorts.map { "\(f.months[$0]) (\(f.cohortSizes[$0]))" },
                           values: cohorts.map { c in f.retention[c].enumerated().map { $0.offset == 0 ? nil : $0.element } },
                           xTitle: "Months since the first purchase", yTitle: "Acquisition month (customers)", style: .percent,
                           height: max(360, min(900, 120 + Double(cohorts.count) * 18)))
        figures.append(Figure(name: "cohort-retention", title: "Cohort retention",
                              caption: "Each row a cohort of first-time buyers; cells the share active k months later (month 0 is 100% and left blank).", svg: heat.svg()))
        let cap = Double(f.gapQuantile(0.99) ?? 1)
        let width = max(1, (cap / 40).rounded(.up))
        let bins = HistogramBin.bins(f.gaps.map(Double.init), lower: 0, upper: width * 40, count: 40)
        var gapMarks: [Mark] = [.histogram("", bins)]
        if let median = f.medianGap { gapMarks.append(.rule(ReferenceLine(.vertical, at: median, label: "median \(fmt(median)) days"))) }
        figures.append(Figure(name: "purchase-gaps", title: "Days between purchases",
                              caption: "Days between a customer's consecutive purchase days; the last bin also holds the longest 1% of gaps.",
                              svg: Chart(title: "Days between purchases", subtitle: "\(NumberFormatting.format(Double(f.gaps.count))) repeat purchases",
                                         x: Axis("Days since the previous purchase"), y: Axis("Repeat purchases", style: .si), marks: gapMarks).svg()))
        let labels = f.months
        let nr = Chart(title: "New and returning customers per month", subtitle: "Customers with a transaction in the month",
                       x: Axis("Month", kind: .band(labels), grid: false), y: Axis("Customers", style: .si),
                       marks: [.bars([BarSeries("new", values: f.newCustomers.map(Double.init)),
                                      BarSeries("returning", values: f.returningCustomers.map(Double.init))], layout: .stacked)])
        figures.append(Figure(name: "new-returning", title: "New versus returning customers",
                              caption: "Active customers per month split into first-time and returning buyers.", svg: nr.svg()))
        return figures
    }

    // MARK: helpers

    static func fmt(_ v: Double) -> String { NumberFormatting.format(v) }

    /// A chart drawn with its data plus a note (used where an all-zero chart needs saying so).
    static func chartWithNote(_ chart: Chart, note: String) -> String {
        var c = chart
        c.subtitle = note
        return c.svg()
    }

    /// A file-name-safe version of an id.
    static func fileSafe(_ s: String) -> String {
        String(s.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    }
}
