import Core
import Foundation

/// Where the plot area of an XY chart goes, and its two resolved scales.
///
/// Margins follow the labels: the left margin fits the widest y tick label, and x tick labels
/// that would collide are thinned (continuous axes) or turned 45 degrees and then thinned
/// (band axes), so no label overlaps another.
struct PlotLayout {
    let plot: (x: Double, y: Double, w: Double, h: Double)
    let x: ResolvedScale
    let y: ResolvedScale
    let xAxis: Axis
    let yAxis: Axis
    /// Which x tick labels are drawn, and whether they are rotated.
    let xLabels: [Tick]
    let rotateX: Bool
    /// The height the x tick labels take under the axis (more when rotated).
    let xLabelHeight: Double
    let yLabels: [Tick]

    static let tickLabelGap = 6.0

    init(chart: Chart, xs: [Double], ys: [Double], top: Double) {
        xAxis = chart.x; yAxis = chart.y
        let width = chart.width, height = chart.height
        let size = ChartStyle.labelSize
        // Room on the right for value labels of horizontal bars.
        var rightPad = 20.0
        for case .bars(let series, _, true, let style) in chart.marks {
            if case .band = chart.y.kind {
                let widest = series.flatMap(\.values).map { ChartStyle.textWidth(NumberFormatting.format($0, style: style), size: 10) }.max() ?? 0
                rightPad = max(rightPad, widest + 10)
            }
        }
        // First pass: y labels decide the left margin.
        let provisionalY = ResolvedScale.resolve(chart.y, values: ys, range: (height - 60, top))
        let yTickLabels = Self.visibleBandTicks(provisionalY, span: height - 60 - top, vertical: true)
        let maxYLabel = min(width * 0.35, yTickLabels.map { ChartStyle.textWidth($0.label, size: size) }.max() ?? 0)
        let left = chart.plotLeft ?? (16 + (chart.y.title.isEmpty ? 0 : 20) + maxYLabel + Self.tickLabelGap + 2)
        let plotW = max(40, width - left - rightPad)
        // x scale: thin continuous ticks until the labels fit.
        var maxTicks = chart.x.tickCount
        var xs0 = ResolvedScale.resolve(chart.x, values: xs, range: (left, left + plotW), maxTicks: maxTicks)
        if case .band = chart.x.kind {} else {
            while maxTicks > 2 && Self.collide(xs0.ticks, scale: xs0) {
                maxTicks -= 1
                xs0 = ResolvedScale.resolve(chart.x, values: xs, range: (left, left + plotW), maxTicks: maxTicks)
            }
        }
        var rotate = false
        var xl = xs0.ticks
        if case .band = chart.x.kind, Self.collide(xl, scale: xs0) {
            rotate = true
            xl = Self.visibleBandTicks(xs0, span: plotW, vertical: true)
        }
        let longestX = xl.map { ChartStyle.textWidth(ChartStyle.truncated($0.label, size: size, maxWidth: 120), size: size) }.max() ?? 0
        xLabelHeight = rotate ? longestX * 0.72 + 10 : 16
        let bottom = 10 + xLabelHeight + (chart.x.title.isEmpty ? 0 : 20)
        let plotH = max(40, height - top - bottom)
        plot = (left, top, plotW, plotH)
        x = xs0
        xLabels = xl
        rotateX = rotate
        // Bands on the y axis read top-down (the first category on top); numbers grow upwards.
        let yRange = Self.isBand(chart.y) ? (top, top + plotH) : (top + plotH, top)
        var ys1 = ResolvedScale.resolve(chart.y, values: ys, range: yRange)
        if case .band = chart.y.kind {} else {
            // Keep y ticks at least 22 px apart.
            var n = chart.y.tickCount
            while n > 2 && Double(ys1.ticks.count - 1) * 22 > plotH {
                n -= 1
                ys1 = ResolvedScale.resolve(chart.y, values: ys, range: yRange, maxTicks: n)
            }
        }
        y = ys1
        yLabels = Self.visibleBandTicks(ys1, span: plotH, vertical: false)
    }

    /// Band ticks thinned to every k-th so that labels (one line high, or rotated) fit.
    static func visibleBandTicks(_ scale: ResolvedScale, span: Double, vertical: Bool) -> [Tick] {
        guard case .band(let c) = scale.kind, !c.isEmpty else { return scale.ticks }
        let step = abs(span) / Double(c.count)
        let k = max(1, Int(ceil(14 / max(step, 0.1))))
        return scale.ticks.enumerated().filter { $0.offset % k == 0 }.map(\.element)
    }

    /// Whether neighbouring horizontal labels would overlap.
    static func collide(_ ticks: [Tick], scale: ResolvedScale) -> Bool {
        let size = ChartStyle.labelSize
        for i in ticks.indices.dropFirst() {
            let a = ticks[i - 1], b = ticks[i]
            let room = abs(scale.position(b.value) - scale.position(a.value))
            let need = (ChartStyle.textWidth(a.label, size: size) + ChartStyle.textWidth(b.label, size: size)) / 2 + 8
            if room < need { return true }
        }
        return false
    }

    /// The pixel x of a data x, kept inside the plot area.
    func px(_ v: Double) -> Double { min(plot.x + plot.w, max(plot.x, x.position(v))) }
    /// The pixel y of a data y, kept inside the plot area.
    func py(_ v: Double) -> Double { min(plot.y + plot.h, max(plot.y, y.position(v))) }

    /// A value as a person reads it on this axis (for tooltips).
    func describe(_ v: Double, onX: Bool) -> String {
        let axis = onX ? xAxis : yAxis
        let scale = onX ? x : y
        switch axis.kind {
        case .time: return CivilDate(dayNumber: Int(v.rounded(.down))).description
        case .band(let c):
            let i = Int(v.rounded())
            return c.indices.contains(i) ? c[i] : NumberFormatting.format(v)
        case .linear, .log:
            let step = scale.step / 10
            return NumberFormatting.format(v, style: axis.style == .si ? .plain : axis.style, step: axis.integerTicks ? 1 : (v == v.rounded() ? nil : step))
        }
    }

    /// Grid lines at the ticks of axes that ask for them.
    func grid() -> SVGElement {
        var g = SVGElement("g", [("class", "grid"), ("stroke", Palette.grid), ("stroke-width", "1")])
        if yAxis.grid, !Self.isBand(yAxis) {
            for t in y.ticks {
                let py = svgNumber(y.position(t.value))
                g.add(SVGElement("line", [("x1", svgNumber(plot.x)), ("y1", py), ("x2", svgNumber(plot.x + plot.w)), ("y2", py)]))
            }
        }
        if xAxis.grid, !Self.isBand(xAxis) {
            for t in x.ticks {
                let px = svgNumber(x.position(t.value))
                g.add(SVGElement("line", [("x1", px), ("y1", svgNumber(plot.y)), ("x2", px), ("y2", svgNumber(plot.y + plot.h))]))
            }
        }
        return g
    }

    static func isBand(_ axis: Axis) -> Bool { if case .band = axis.kind { true } else { false } }

    /// Axis lines, tick labels and axis titles.
    func axes() -> SVGElement {
        var g = SVGElement("g", [("class", "axes"), ("font-size", "11"), ("fill", Palette.axis)])
        let bottom = plot.y + plot.h
        g.add(SVGElement("line", [("x1", svgNumber(plot.x)), ("y1", svgNumber(bottom)), ("x2", svgNumber(plot.x + plot.w)),
                                  ("y2", svgNumber(bottom)), ("stroke", Palette.axis)]))
        g.add(SVGElement("line", [("x1", svgNumber(plot.x)), ("y1", svgNumber(plot.y)), ("x2", svgNumber(plot.x)),
                                  ("y2", svgNumber(bottom)), ("stroke", Palette.axis)]))
        for t in xLabels {
            let px = x.position(t.value)
            guard px >= plot.x - 0.5, px <= plot.x + plot.w + 0.5 else { continue }
            g.add(SVGElement("line", [("x1", svgNumber(px)), ("y1", svgNumber(bottom)), ("x2", svgNumber(px)), ("y2", svgNumber(bottom + 4)),
                                      ("stroke", Palette.axis)]))
            let label = ChartStyle.truncated(t.label, size: ChartStyle.labelSize, maxWidth: 120)
            if rotateX {
                var text = SVGElement.text(label, x: px, y: bottom + 12, [("text-anchor", "end"),
                                                                        ("transform", "rotate(-45 \(svgNumber(px)) \(svgNumber(bottom + 12)))")])
                if label != t.label { text.addTooltip(t.label) }
                g.add(text)
            } else {
                g.add(.text(label, x: px, y: bottom + 18, [("text-anchor", "middle")]))
            }
        }
        let maxYLabel = plot.x - 16 - (yAxis.title.isEmpty ? 0 : 20) - Self.tickLabelGap - 2
        for t in yLabels {
            let py = y.position(t.value)
            guard py >= plot.y - 0.5, py <= bottom + 0.5 else { continue }
            g.add(SVGElement("line", [("x1", svgNumber(plot.x - 4)), ("y1", svgNumber(py)), ("x2", svgNumber(plot.x)), ("y2", svgNumber(py)),
                                      ("stroke", Palette.axis)]))
            let label = ChartStyle.truncated(t.label, size: ChartStyle.labelSize, maxWidth: max(20, maxYLabel + 1))
            g.add(.text(label, x: plot.x - Self.tickLabelGap, y: py + 4, [("text-anchor", "end")]))
        }
        if !xAxis.title.isEmpty {
            g.add(.text(xAxis.title, x: plot.x + plot.w / 2, y: bottom + xLabelHeight + 22,
                        [("text-anchor", "middle"), ("font-size", "12"), ("fill", "#222222")]))
        }
        if !yAxis.title.isEmpty {
            let cx = 16 + 9.0, cy = plot.y + plot.h / 2
            g.add(.text(ChartStyle.truncated(yAxis.title, size: ChartStyle.axisTitleSize, maxWidth: plot.h), x: cx, y: cy,
                        [("text-anchor", "middle"), ("font-size", "12"), ("fill", "#222222"),
                         ("transform", "rotate(-90 \(svgNumber(cx)) \(svgNumber(cy)))")]))
        }
        return g
    }
}
