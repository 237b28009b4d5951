import Core
import GRDB
import Plots
import Warehouse

/// The warehouse's four charts, drawn from the marts and dimensions (never from personal
/// data): revenue over time, revenue by category, customers by state, cluster profiles.
public enum WarehouseCharts {
    /// One chart: a file-safe name, a title, and the SVG.
    public struct Chart: Sendable {
        public var name: String
        public var title: String
        public var svg: String
    }

    /// Needs the sales roll-ups and the segments (``Marts/build(_:options:progress:)``).
    public static func build(_ warehouse: ShopWarehouse) throws -> [Chart] {
        let tables = Set(try warehouse.tableNames())
        let needed = Marts.all.filter { [SalesRollups.categoryTable, MarketingAudience.clustersTable].contains($0.table) }
        for mart in needed where !tables.contains(mart.table) {
            throw MartError.notBuilt(database: warehouse.path, mart: mart)
        }
        return try warehouse.queue.read { db in
            [try revenueOverTime(db), try revenueByCategory(db), try customersByState(db), try clusterProfiles(db)]
        }
    }

    static let money = NumberStyle.currency(symbol: "$")

    static func revenueOverTime(_ db: Database) throws -> Chart {
        let rows = try Row.fetchAll(db, sql: """
            SELECT period_start, category, revenue FROM \(SalesRollups.categoryTable) WHERE grain = 'month' ORDER BY period_start, category
            """)
        let months = Array(Set(rows.map { $0[0] as String })).sorted()
        let categories = Array(Set(rows.map { $0[1] as String })).sorted()
        let x = months.compactMap { CivilDate(iso: $0).map { Double($0.dayNumber) } }
        var byCategory = [String: [Double]]()
        for c in categories { byCategory[c] = [Double](repeating: 0, count: months.count) }
        let monthIndex = Dictionary(uniqueKeysWithValues: months.enumerated().map { ($1, $0) })
        for r in rows { byCategory[r[1] as String]![monthIndex[r[0] as String]!] = r[2] }
        let total = months.indices.map { i in categories.reduce(0) { $0 + byCategory[$1]![i] } }
        let label = { (i: Int) in String(months[i].prefix(7)) }
        let totalChart = Plots.Chart(
            title: "Revenue per month", subtitle: "All categories; cancelled orders excluded",
            x: Axis("Month", kind: .time), y: Axis("Revenue", style: money),
            marks: [.area(Series("total", x: x, y: total, color: Palette.color(0))),
                    .line(Series("total", x: x, y: total, color: Palette.color(0), tooltips: total.indices.map { "\(label($0)): " + NumberFormatting.format(total[$0], style: money) }))],
            height: 300, emptyMessage: "No revenue")
        let categoryChart = Plots.Chart(
            title: "Revenue per month by category", subtitle: "\(categories.count) categories",
            x: Axis("Month", kind: .time), y: Axis("Revenue", style: money),
            marks: categories.enumerated().map { i, c in
                .line(Series(c, x: x, y: byCategory[c]!, color: Palette.color(i),
                             tooltips: months.indices.map { "\(c), \(label($0)): " + NumberFormatting.format(byCategory[c]![$0], style: money) }),
                      points: false)
            }, height: 380, emptyMessage: "No revenue")
        return Chart(name: "revenue-over-time", title: "Revenue over time",
                     svg: ChartStack(title: "Revenue over time", panels: [totalChart.element(), categoryChart.element()]).svg())
    }

    static func revenueByCategory(_ db: Database) throws -> Chart {
        let rows = try Row.fetchAll(db, sql: """
            SELECT category, sum(revenue), sum(orders) FROM \(SalesRollups.categoryTable) WHERE grain = 'year' GROUP BY category ORDER BY 2 DESC, 1
            """)
        let total = rows.reduce(0.0) { $0 + ($1[1] as Double) }
        let chart = Plots.Chart(
            title: "Revenue by category", subtitle: "All years; total " + NumberFormatting.format(total, style: money),
            x: Axis("Revenue", style: money), y: Axis(kind: .band(rows.map { $0[0] as String }), grid: false),
            marks: [.bars([BarSeries("revenue", values: rows.map { $0[1] as Double })], valueLabels: true, style: money)],
            height: 130 + Double(max(1, rows.count)) * 32, emptyMessage: "No revenue")
        return Chart(name: "revenue-by-category", title: "Revenue by category", svg: chart.svg())
    }

    /// The 20 states with the most customers, then the rest, the missing and the unknown.
    static func customersByState(_ db: Database) throws -> Chart {
        let rows = try Row.fetchAll(db, sql: "SELECT upper(trim(coalesce(state, ''))) AS s, count(*) FROM dim_customer GROUP BY s ORDER BY 2 DESC, 1")
        var known: [(String, Int)] = [], missing = 0, unknown = 0
        for r in rows {
            let state: String = r[0], n: Int = r[1]
            if state.isEmpty { missing += n } else if USTimeZones.resolve(state: state).zone == nil { unknown += n } else { known.append((state, n)) }
        }
        var bars = Array(known.prefix(20))
        let rest = known.dropFirst(20).reduce(0) { $0 + $1.1 }
        if rest > 0 { bars.append(("\(known.count - 20) other states", rest)) }
        if unknown > 0 { bars.append(("unknown state", unknown)) }
        if missing > 0 { bars.append(("no state", missing)) }
        let customers = rows.reduce(0) { $0 + ($1[1] as Int) }
        let chart = Plots.Chart(
            title: "Customers by state", subtitle: "\(NumberFormatting.format(Double(customers))) customers in \(known.count) states",
            x: Axis("Customers", style: .si), y: Axis(kind: .band(bars.map(\.0)), grid: false),
            marks: [.bars([BarSeries("customers", values: bars.map { Double($0.1) })], valueLabels: true, style: .si)],
            height: 130 + Double(max(1, bars.count)) * 26, emptyMessage: "No customers")
        return Chart(name: "customers-by-state", title: "Customers by state", svg: chart.svg())
    }

    static func clusterProfiles(_ db: Database) throws -> Chart {
        let columns = try db.columns(in: MarketingAudience.clustersTable).map(\.name)
        let shareColumns = columns.filter { $0.hasPrefix("share_") }
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM \(MarketingAudience.clustersTable) ORDER BY cluster")
        let categories = try String.fetchAll(db, sql: "SELECT DISTINCT category FROM dim_product ORDER BY category")
        let names = rows.map { r in
            "\(r["cluster"] as Int): \(NumberFormatting.format(Double(r["customers"] as Int))) (\(NumberFormatting.format(r["share"] as Double, style: .percent)))"
        }
        // Categories as rows, so that every category's name shows.
        let heatmap = Heatmap(
            title: "What each cluster buys", subtitle: "Mean share of spend per category",
            columns: rows.map { "cluster \($0["cluster"] as Int)" },
            rows: shareColumns.count == categories.count ? categories : shareColumns,
            values: shareColumns.map { column in rows.map { $0[column] as Double? } },
            xTitle: "Cluster", yTitle: "Category", style: .percent, domain: 0...1,
            height: 170 + Double(max(1, shareColumns.count)) * 34, emptyMessage: "No clusters")
        func panel(_ title: String, _ column: String, _ axis: String, _ style: NumberStyle) -> SVGElement {
            Plots.Chart(title: title, x: Axis(axis, style: style), y: Axis(kind: .band(names), grid: false),
                        marks: [.bars([BarSeries(column, values: rows.map { $0[column] as Double })], valueLabels: true, style: style)],
                        height: 110 + Double(max(1, rows.count)) * 30).element()
        }
        let svg = ChartStack(title: "Cluster profiles", panels: [
            heatmap.element(),
            panel("Mean spend per customer", "mean_spend", "Spend", money),
            panel("Mean orders per customer", "mean_orders", "Orders", .plain),
            panel("Mean days since the last purchase", "mean_recency_days", "Days", .plain),
        ]).svg()
        return Chart(name: "cluster-profiles", title: "Cluster profiles", svg: svg)
    }
}
