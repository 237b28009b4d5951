import Analytics
import ForecastKit
import Foundation
import Warehouse

/// Plain-text renderings of load, check and mart results for people, as the warehouse
/// commands print them (the libraries return the summaries; the words about flags are ours).
enum WarehouseText {
    static func load(_ s: LoadSummary, database: String) -> String {
        var lines = ["loaded \(s.source) (\(s.layout) layout) into \(database) in \(String(format: "%.1f", s.seconds)) s"]
        let width = s.tables.map(\.table.count).max() ?? 0
        lines.append("  " + "table".padding(toLength: width, withPad: " ", startingAt: 0)
                     + "     staged   inserted    updated  unchanged    deleted      total")
        for t in s.tables {
            lines.append("  " + t.table.padding(toLength: width, withPad: " ", startingAt: 0)
                         + [t.staged, t.inserted, t.updated, t.unchanged, t.deleted, t.total].map { pad($0, 11) }.joined())
        }
        lines.append("  dim_date: \(s.datesAdded) days added; \(s.excludedOrders) staged orders excluded from revenue by status; "
                     + "staged revenue \(String(format: "%.2f", s.stagedRevenue))")
        if s.changedNothing { lines.append("  nothing changed: the warehouse already held this input") }
        return lines.joined(separator: "\n")
    }

    static func checks(_ results: [CheckResult]) -> String {
        var lines: [String] = []
        for r in results {
            lines.append("\(r.passed ? "PASS" : "FAIL")  \(r.kind.padding(toLength: 14, withPad: " ", startingAt: 0)) \(r.name)\(r.passed ? "" : ": " + r.detail)")
        }
        let failed = results.filter { !$0.passed }.count
        lines.append(failed == 0 ? "all \(results.count) checks passed" : "\(failed) of \(results.count) checks FAILED")
        return lines.joined(separator: "\n")
    }

    static func marts(_ s: Marts.Summary) -> String {
        let a = s.audience
        var lines = [
            s.mode == "incremental"
                ? "incremental build: the daily summary and the roll-ups updated from \(s.changedOrders ?? 0) orders changed since the last build"
                : "full build" + (s.fullBecause.map { " (\($0))" } ?? ""),
            "\(CustomerDailySummary.table): \(s.customerDailyRows) rows",
            "\(SalesRollups.productTable): \(s.productRollupRows) rows; \(SalesRollups.categoryTable): \(s.categoryRollupRows) rows (day, week, month, year)",
            "\(MarketingAudience.segmentsTable): \(a.buyers) buyers of \(a.customers) customers (\(a.withoutPurchase) without a purchase); recency as of \(a.asOf)",
        ]
        if let rows = a.audienceRows {
            lines.append("\(MarketingAudience.audienceTable): \(rows) rows (PERSONAL DATA); \(a.droppedWithoutContact) buyers dropped for having neither email nor phone; "
                         + "\(a.withoutTimeZone) without a time zone, \(a.inTwoZoneStates) in states spanning two zones")
        } else {
            lines.append("\(MarketingAudience.audienceTable): not built (personal data; pass --include-pii); \(a.droppedWithoutContact) buyers have neither email nor phone")
        }
        let scores = a.silhouettes.keys.compactMap(Int.init).sorted().map { "k=\($0) \(String(format: "%.3f", a.silhouettes[String($0)]!))" }
        let chosenBy = a.chosenBy == "requested" ? "--clusters" : a.chosenBy
        lines.append("clusters: k = \(a.k) (\(chosenBy))" + (scores.isEmpty ? "" : "; silhouette " + scores.joined(separator: ", ")))
        lines.append("  cluster  customers   share  recency(d)  orders    spend  top category")
        for c in a.clusters {
            lines.append("  " + pad(c.cluster, 7) + pad(c.customers, 11) + String(format: "%7.1f%%", c.share * 100)
                         + String(format: "%12.0f%8.2f%9.2f", c.meanRecencyDays, c.meanOrders, c.meanSpend) + "  " + c.topCategory)
        }
        lines.append("built in " + s.seconds.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.1f", $0.value)) s" }.joined(separator: ", "))
        return lines.joined(separator: "\n")
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return String(repeating: " ", count: max(0, width - s.count)) + s
    }
}
