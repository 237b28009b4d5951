import Testing
import TestSupport
import Foundation
@testable import Plots

@Suite("Charts")
struct ChartTests {
    func days(_ n: Int) -> [Double] { (0..<n).map { Double(17_532 + $0) } }

    @Test func aLineChartIsValidSVGWithAxesTitlesAndTooltips() {
        let chart = Chart(title: "Orders per day", subtitle: "built-in data", x: Axis("Day", kind: .time), y: Axis("Orders", style: .si),
                          marks: [.line(Series("orders", x: days(30), y: (0..<30).map { Double($0 * 1000) })),
                                  .line(Series("forecast", x: days(30), y: (0..<30).map { Double($0 * 900) }), dashed: true),
                                  .rule(ReferenceLine(.horizontal, at: 12_000, label: "target"))])
        let p = parseSVG(chart.svg())
        #expect(p.ok, "\(p.error ?? "")")
        #expect(p.rootName == "svg")
        #expect(p.elements.first?.attributes["viewBox"] == "0 0 760 420")
        #expect(p.count("path") == 2)
        #expect(p.count("circle") == 60)  // markers on both 30-point lines
        #expect(p.texts.contains("Orders per day") && p.texts.contains("built-in data"))
        #expect(p.texts.contains("Day") && p.texts.contains("Orders") && p.texts.contains("target"))
        #expect(p.texts.contains("orders") && p.texts.contains("forecast"))  // legend
        #expect(p.texts.contains { $0.hasPrefix("orders: 2018-01-0") })  // point tooltips with dates
        #expect(p.texts.contains("20k"))  // SI tick labels
    }

    @Test func everyTextIsEscaped() {
        let name = "<Tom & Jerry> \"quoted\" 'single'\u{1}"
        let chart = Chart(title: name, subtitle: name, x: Axis(name, kind: .band([name, "b"])), y: Axis(name),
                          marks: [.bars([BarSeries(name, values: [1, 2]), BarSeries("x&y", values: [2, 1])])])
        let svg = chart.svg()
        let p = parseSVG(svg)
        #expect(p.ok, "\(p.error ?? "")")
        #expect(p.texts.contains("<Tom & Jerry> \"quoted\" 'single'"))
        #expect(!svg.contains("<Tom"))
        let heat = Heatmap(title: name, columns: [name], rows: [name], values: [[1]])
        #expect(parseSVG(heat.svg()).ok)
    }

    @Test func emptyDataGivesAMessageNotABrokenFile() {
        let charts = [
            Chart(title: "Nothing", x: Axis(kind: .time), y: Axis(), marks: [.line(Series("a", x: [], y: []))]),
            Chart(title: "Nothing", x: Axis(kind: .band([])), y: Axis(), marks: [.bars([BarSeries("a", values: [])])]),
            Chart(title: "Only a rule", x: Axis(), y: Axis(), marks: [.rule(ReferenceLine(.horizontal, at: 1))]),
            Chart(title: "NaN", x: Axis(), y: Axis(), marks: [.scatter(Series("a", x: [.nan], y: [1]))]),
        ]
        for chart in charts {
            let p = parseSVG(chart.svg())
            #expect(p.ok)
            #expect(p.texts.contains("No data"))
            #expect(p.count("circle") == 0 && p.count("path") == 0)
        }
        let heat = parseSVG(Heatmap(title: "h", columns: [], rows: [], values: []).svg())
        #expect(heat.ok && heat.texts.contains("No data"))
    }

    @Test func onePointIsDrawnAsAMarker() {
        let p = parseSVG(Chart(title: "One", x: Axis(kind: .time), y: Axis(), marks: [.line(Series("a", x: [17_600], y: [3]))]).svg())
        #expect(p.ok)
        #expect(p.count("circle") == 1)
        #expect(!p.texts.contains("No data"))
    }

    @Test func tenThousandPointsStayValidAndEachHasATooltip() {
        let n = 10_000
        let xs = (0..<n).map { Double($0) }, ys = (0..<n).map { sin(Double($0) / 100) }
        let chart = Chart(title: "Many", x: Axis(), y: Axis(),
                          marks: [.scatter(Series("s", x: xs, y: ys)), .line(Series("l", x: xs, y: ys))])
        let p = parseSVG(chart.svg())
        #expect(p.ok)
        #expect(p.count("circle") == n)  // the line draws no markers at this size
        #expect(p.count("title") == 1 + n + 1)
    }

    @Test func sameChartSameBytes() {
        func make() -> String {
            Chart(title: "t", x: Axis(kind: .band(["a", "b", "c"])), y: Axis(),
                  marks: [.bars([BarSeries("x", values: [1, 2.5, 3]), BarSeries("y", values: [2, 0, 1])], layout: .stacked)]).svg()
        }
        #expect(make() == make())
    }

    @Test func stackedBarsReachTheTotal() {
        let chart = Chart(title: "t", x: Axis(kind: .band(["a", "b"])), y: Axis(domain: 0...10),
                          marks: [.bars([BarSeries("x", values: [3, 5]), BarSeries("y", values: [7, 5])], layout: .stacked)])
        let p = parseSVG(chart.svg())
        let bars = p.all("rect").filter { $0["fill"] == Palette.color(0) || $0["fill"] == Palette.color(1) }
            .filter { $0["width"] != "14" }  // not the legend swatches
        #expect(bars.count == 4)
        let heights = bars.compactMap { Double($0["height"] ?? "") }
        // Both categories total 10, the full domain: the stacked heights per category are equal.
        #expect(abs(heights[0] + heights[1] - (heights[2] + heights[3])) < 0.05)
    }

    @Test func horizontalGroupedBarsAndValueLabels() {
        let chart = Chart(title: "Top products", x: Axis("Transactions"), y: Axis(kind: .band(["P1", "P2", "P3"])),
                          marks: [.bars([BarSeries("", values: [30, 20, 10])], valueLabels: true)])
        let p = parseSVG(chart.svg())
        #expect(p.ok)
        #expect(p.texts.contains("30") && p.texts.contains("P1"))
        let rects = p.all("rect").filter { $0["fill"] == Palette.color(0) }
        #expect(rects.count == 3)
        #expect(Double(rects[0]["width"]!)! > Double(rects[2]["width"]!)!)
    }

    @Test func histogramBinsKeepEveryValue() {
        let bins = HistogramBin.bins([-5, 0, 1, 2, 9.99, 10, 50], lower: 0, upper: 10, count: 5)
        #expect(bins.map(\.count) == [3, 1, 0, 0, 3])
        #expect(bins.map(\.count).reduce(0, +) == 7)
        let p = parseSVG(Chart(title: "h", x: Axis(), y: Axis(), marks: [.histogram("gaps", bins)]).svg())
        #expect(p.ok && p.count("rect") == 1 + 5)
    }

    @Test func crowdedTimeLabelsAreThinnedUntilTheyFit() {
        let chart = Chart(title: "narrow", x: Axis(kind: .time, tickCount: 40), y: Axis(),
                          marks: [.line(Series("a", x: [17_000, 18_000], y: [1, 2]))], width: 300)
        let layout = PlotLayout(chart: chart, xs: [17_000, 18_000], ys: [0, 2], top: 40)
        #expect(!PlotLayout.collide(layout.xLabels, scale: layout.x))
        #expect(layout.xLabels.count >= 2)
    }

    @Test func manyCategoriesRotateAndThin() {
        let cats = (1...200).map { "customer \($0)" }
        let chart = Chart(title: "many", x: Axis(kind: .band(cats)), y: Axis(), marks: [.bars([BarSeries("", values: cats.map { _ in 1 })])])
        let layout = PlotLayout(chart: chart, xs: [0, 199], ys: [0, 1], top: 40)
        #expect(layout.rotateX)
        #expect(layout.xLabels.count < 200)
        #expect(parseSVG(chart.svg()).ok)
    }

    @Test func heatmapLeavesMissingCellsBlankAndHasAColourLegend() {
        let heat = Heatmap(title: "Retention", columns: ["0", "1", "2"], rows: ["Jan", "Feb"], values: [[1, 0.5, 0.25], [1, 0.4, nil]],
                           style: .percent)
        let p = parseSVG(heat.svg())
        #expect(p.ok)
        let cells = p.elements.filter { $0.name == "rect" && $0.attributes["width"] != "14" && $0.attributes["fill"] != "#FFFFFF" }
        #expect(cells.count == 5)
        #expect(p.texts.contains("Feb · 1: 40%"))
        #expect(Palette.sequential(0) == "#440154" && Palette.sequential(1) == "#FDE725")
    }

    @Test func stacksNestCharts() {
        let a = Chart(title: "a", x: Axis(), y: Axis(), marks: [.line(Series("a", x: [0, 1], y: [0, 1]))], height: 200)
        let stack = ChartStack(title: "both", panels: [a.element(), a.element()])
        let p = parseSVG(stack.svg())
        #expect(p.ok)
        #expect(p.count("svg") == 3)
        #expect(p.elements.first?.attributes["height"] == "400")
    }
}
