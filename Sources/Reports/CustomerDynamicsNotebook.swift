import Core
import Foundation
import Plots

/// The exported analysis: the five questions walked through with the data's own numbers.
public enum CustomerDynamicsNotebook {
    /// How the reader can go further than the notebook, in the caller's terms (a command, a
    /// function); the notebook quotes each one given and says nothing for a nil.
    public struct FollowUps: Sendable, Equatable {
        /// Any product's transactions month by month in any year.
        public var productByMonth: String?
        /// The top products at any date, over any window, by transactions or revenue.
        public var topProducts: String?

        /// Follow-ups with the given texts (none by default).
        public init(productByMonth: String? = nil, topProducts: String? = nil) {
            self.productByMonth = productByMonth
            self.topProducts = topProducts
        }
    }

    /// Builds the notebook for `report` around its `figures` (`report.figures()`, made once by
    /// the caller, who also writes them); `reproduce` lists the commands that remake it and
    /// `followUps` the ways to look further.
    public static func build(_ report: CustomerDynamicsReport, figures: [Figure], title: String, reproduce: [String],
                             followUps: FollowUps = FollowUps()) -> NotebookDocument {
        var doc = NotebookDocument(title: title)
        let byName = Dictionary(figures.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        func figure(_ name: String) { if let f = byName[name] { doc.add(.figure(f)) } }
        let b = report.baskets, log = b.log
        let pct = { (x: Double) in NumberFormatting.format(x, style: .percent) }
        let num = { (x: Double) in NumberFormatting.format(x) }

        // The data.
        doc.add(.heading(2, "The data"))
        var facts = "**\(report.options.dataName)**: \(num(Double(log.rowCount))) rows, \(num(Double(log.customerCount))) customers, "
            + "\(num(Double(b.count))) transactions"
        if let r = b.dayRange { facts += " from \(CivilDate(dayNumber: r.lowerBound)) to \(CivilDate(dayNumber: r.upperBound))" }
        facts += "."
        if log.hasAmounts { facts += " Revenue in the log: \(NumberFormatting.format(log.amount.reduce(0, +), style: .currency(symbol: "$")))." }
        doc.add(.paragraph(facts))
        doc.add(.paragraph("A transaction is one customer's purchase at one timestamp (and one order, when the data have orders): "
                           + "a basket of several lines counts once. The forecasting section counts events, the distinct days on which a customer bought "
                           + "(\(num(Double(report.eventCount))) here), as the evaluation protocol does."))

        // 1. Ranking.
        let r = report.ranking
        doc.add(.heading(2, "1. Who buys: the customer activity ranking"))
        let counts = r.counts
        let oneTime = counts.filter { $0 == 1 }.count
        let median = counts.isEmpty ? 0 : counts[counts.count / 2]
        doc.add(.paragraph("The top 1% of customers make **\(pct(r.share(ofTop: 0.01)))** of all transactions, the top 10% make **\(pct(r.share(ofTop: 0.1)))** "
                           + "and the top 20% make **\(pct(r.share(ofTop: 0.2)))**. The median customer made \(median) transaction\(median == 1 ? "" : "s"); "
                           + "\(pct(Double(oneTime) / Double(max(1, counts.count)))) of customers bought only once."))
        if !r.top.isEmpty {
            doc.add(.table(header: ["rank", "customer", "transactions", "share of all"],
                           rows: r.top.prefix(5).enumerated().map { ["\($0.offset + 1)", $0.element.id, num(Double($0.element.transactions)), pct($0.element.share)] }))
        }
        figure("ranking")

        // 2. One product by month.
        if let p = report.productMonthly {
            doc.add(.heading(2, "2. One product, month by month"))
            let peak = p.counts.indices.max { p.counts[$0] < p.counts[$1] }!
            let quiet = p.counts.indices.min { p.counts[$0] < p.counts[$1] }!
            doc.add(.paragraph("Product `\(p.product)` (the best seller by transactions at the end of the data) was in "
                               + "\(num(Double(p.counts.reduce(0, +)))) transactions in \(p.year); its busiest month was \(monthAbbreviations[peak]) "
                               + "(\(p.counts[peak])) and its quietest \(monthAbbreviations[quiet]) (\(p.counts[quiet]))."
                               + (followUps.productByMonth.map { " Any product and year: `\($0)`." } ?? "")))
            if let f = figures.first(where: { $0.name.hasPrefix("product-") }) { doc.add(.figure(f)) }
        }

        // 3. Top products.
        if let t = report.topByTransactions {
            doc.add(.heading(2, "3. Top products"))
            doc.add(.paragraph("The \(t.ranking.entries.count) products with the most transactions over the \(t.months) months to \(t.ranking.asOf):"))
            doc.add(.table(header: ["rank", "product", "transactions", "revenue", "share of transactions"],
                           rows: t.ranking.entries.map { [String($0.rank), $0.product, num(Double($0.transactions)),
                                                          $0.revenue.map { NumberFormatting.format($0, style: .currency(symbol: "$")) } ?? "-", pct($0.share)] }))
            if let first = t.historyRanks.first, t.historyRanks.count > 1 {
                let moves = t.ranking.entries.enumerated().map { k, e in (e.product, first[k], e.rank) }
                let climbers = moves.filter { ($0.1 ?? Int.max) > $0.2 }
                if let big = climbers.max(by: { ($0.1 ?? 999) - $0.2 < ($1.1 ?? 999) - $1.2 }) {
                    doc.add(.paragraph("Biggest climber since \(t.historyDates.first!): `\(big.0)`, from "
                                       + (big.1.map { "rank \($0)" } ?? "no sales") + " to rank \(big.2)."))
                } else {
                    doc.add(.paragraph("None of today's top products climbed since \(t.historyDates.first!): the ranking is stable."))
                }
            }
            figure("top-products")
            if let rev = report.topByRevenue {
                let names = rev.ranking.entries.map { "`\($0.product)`" }.joined(separator: ", ")
                doc.add(.paragraph("By revenue the top \(rev.ranking.entries.count) are \(names): "
                                   + "\(pct(rev.ranking.entries.reduce(0) { $0 + $1.share })) of the window's revenue."))
                figure("top-products-revenue")
            }
            if let command = followUps.topProducts { doc.add(.paragraph("At any date: `\(command)`.")) }
        }

        // 4. The models.
        if let d = report.diagnostics {
            doc.add(.heading(2, "4. Forecasting next month"))
            doc.add(.paragraph("Each model was fitted on the data before each of the last \(d.cutoffs.count) complete months "
                               + "(\(d.cutoffs.first ?? "") to \(d.cutoffs.last ?? "")) and forecast every customer's events in that month. Means over the months:"))
            doc.add(.table(header: ["model", "deviance", "RMSE", "bias", "top-10% capture"],
                           rows: d.comparison.map { [$0.model, String(format: "%.4f", $0.deviance), String(format: "%.4f", $0.rmse),
                                                     String(format: "%+.1f%%", $0.bias * 100), String(format: "%.4f", $0.top10Capture)] }))
            if let best = d.comparison.first(where: { $0.model == d.best }) {
                var text = "**\(d.best)** has the lowest deviance"
                if let base = d.comparison.first(where: { $0.model == "hist_rate" }), base.model != best.model, base.deviance > 0 {
                    text += ", \(pct((base.deviance - best.deviance) / base.deviance)) below the historical-rate baseline"
                }
                text += "; it forecasts \(pct(abs(best.bias))) \(best.bias >= 0 ? "more" : "fewer") events in total than happened, and the tenth of customers it ranks highest "
                    + "make \(pct(best.top10Capture)) of next month's events."
                doc.add(.paragraph(text))
            }
            figure("model-monthly")
            figure("model-comparison")
            if let top = d.calibration.last, let bottom = d.calibration.first {
                doc.add(.paragraph("Calibration at \(d.cutoffs.last ?? ""): the decile with the highest forecasts expected \(String(format: "%.2f", top.meanPredicted)) events per customer "
                                   + "and made \(String(format: "%.2f", top.meanActual)); the lowest expected \(String(format: "%.3f", bottom.meanPredicted)) and made \(String(format: "%.3f", bottom.meanActual))."))
            }
            figure("model-calibration")
            if !d.intervalCalibration.isEmpty {
                let covered = d.intervalCalibration.reduce(0.0) { $0 + $1.coverage * Double($1.customers) }
                let promised = d.intervalCalibration.reduce(0.0) { $0 + $1.nominal * Double($1.customers) }
                let n = Double(d.intervalCalibration.reduce(0) { $0 + $1.customers })
                doc.add(.paragraph("The 80% intervals of \(d.best) held the actual count of \(pct(covered / max(n, 1))) of the customers that month; "
                                   + "their laws promised \(pct(promised / max(n, 1))) (above 80% because counts are whole numbers and most customers' interval is [0, 0])."))
                figure("model-intervals")
            }
            if let a = d.trackingActual.last, let j = d.models.firstIndex(of: d.best), j < d.trackingPredicted.count, let p = d.trackingPredicted[j].last {
                doc.add(.paragraph("Over the last month, \(num(a)) events happened against \(num(p)) forecast by \(d.best) (\(String(format: "%+.1f%%", (p / max(a, 1) - 1) * 100)))."))
            }
            figure("model-tracking")
            if let model = d.importanceModel, !d.importance.isEmpty {
                let top3 = d.importance.prefix(3).map { "`\($0.feature)` (\(pct($0.share)))" }.joined(separator: ", ")
                doc.add(.paragraph("The \(model) trees split mostly on \(top3)."))
                figure("model-importance")
            }
            if !d.trainingLogs.isEmpty { figure("model-training") }
        }

        // 5. Seasonality and customer dynamics.
        let s = report.seasonality
        doc.add(.heading(2, "5. Seasonality and customer dynamics"))
        var monthTotals = [Double](repeating: 0, count: 12), monthYears = [Double](repeating: 0, count: 12)
        for row in s.byMonth { for (m, v) in row.enumerated() { if let v { monthTotals[m] += Double(v); monthYears[m] += 1 } } }
        let monthMeans = (0..<12).map { monthYears[$0] > 0 ? monthTotals[$0] / monthYears[$0] : 0 }
        let covered = monthMeans.filter { $0 > 0 }
        if !covered.isEmpty {
            let avg = covered.reduce(0, +) / Double(covered.count)
            let peak = monthMeans.indices.max { monthMeans[$0] < monthMeans[$1] }!
            let low = monthMeans.indices.filter { monthMeans[$0] > 0 }.min { monthMeans[$0] < monthMeans[$1] }!
            doc.add(.paragraph("By month of year, \(monthAbbreviations[peak]) is the busiest month (\(String(format: "%.2f", monthMeans[peak] / avg))x an average month) "
                               + "and \(monthAbbreviations[low]) the quietest (\(String(format: "%.2f", monthMeans[low] / avg))x)."))
        }
        figure("season-month")
        let wk = s.byWeekday.map(Double.init)
        if let hi = wk.indices.max(by: { wk[$0] < wk[$1] }), let lo = wk.indices.min(by: { wk[$0] < wk[$1] }), wk[lo] > 0 {
            doc.add(.paragraph("\(weekdayAbbreviations[hi]) is the busiest day of the week and \(weekdayAbbreviations[lo]) the quietest "
                               + "(\(String(format: "%.2f", wk[hi] / wk[lo]))x); the weekly pattern explains \(pct(s.decomposition.seasonalStrength)) of the detrended daily variation."))
        }
        figure("season-weekday")
        if s.hasTimeOfDay, let h = s.byHour.indices.max(by: { s.byHour[$0] < s.byHour[$1] }) {
            doc.add(.paragraph("Purchases peak at \(h):00-\(h + 1):00, with \(pct(Double(s.byHour[h]) / Double(max(1, b.count)))) of all transactions."))
            figure("season-hour")
        } else {
            doc.add(.paragraph("The timestamps carry dates only, so there is no time-of-day pattern to show."))
        }
        figure("season-decomposition")
        let f = report.flow
        var retention: [String] = []
        for k in [1, 3, 12] { if let v = f.meanRetention(after: k) { retention.append("\(pct(v)) buy in the month \(k) month\(k == 1 ? "" : "s") after their first") } }
        if !retention.isEmpty {
            doc.add(.paragraph("Of a month's new customers, " + retention.joined(separator: "; ") + " (averaged over cohorts, weighted by size)."))
        }
        figure("cohort-retention")
        if let m = f.medianGap, let p90 = f.gapQuantile(0.9) {
            doc.add(.paragraph("Half of repeat purchases come within \(num(m)) days of the previous one; 90% within \(p90) days."))
        }
        figure("purchase-gaps")
        if let last = f.months.indices.last {
            let n = Double(f.newCustomers[last]), ret = Double(f.returningCustomers[last])
            doc.add(.paragraph("In \(f.months[last]), \(num(n)) active customers were new and \(num(ret)) returning (\(pct(ret / max(1, n + ret))) returning)."))
        }
        figure("new-returning")

        doc.add(.heading(2, "Reproduce"))
        doc.add(.paragraph("Every number and figure here comes from these commands:"))
        doc.add(.code(reproduce.joined(separator: "\n")))
        return doc
    }
}
