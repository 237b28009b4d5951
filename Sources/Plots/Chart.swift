import Foundation

/// A chart with an x and a y axis: lines, areas, dots, bars, histograms, reference lines
/// and annotations over linear, logarithmic, time or band scales.
///
/// ```swift
/// var chart = Chart(title: "Orders per month", x: Axis("Month", kind: .time), y: Axis("Orders", style: .si))
/// chart.marks = [.line(Series("orders", x: days, y: counts))]
/// try chart.svg().write(toFile: "orders.svg", atomically: true, encoding: .utf8)
/// ```
///
/// The output is deterministic (same chart, same bytes), escapes every text, and draws a
/// "no data" message when no mark has a finite value.
public struct Chart: Sendable, Equatable {
    public var title: String
    public var subtitle: String
    public var x: Axis
    public var y: Axis
    public var marks: [Mark]
    public var width: Double
    public var height: Double
    /// Shown in the plot area when there is nothing to draw.
    public var emptyMessage: String
    /// A fixed left edge of the plot area (so stacked charts line up); by default it fits the y labels.
    public var plotLeft: Double?

    public init(title: String, subtitle: String = "", x: Axis, y: Axis, marks: [Mark] = [], width: Double = 760, height: Double = 420,
                emptyMessage: String = "No data") {
        self.title = title; self.subtitle = subtitle; self.x = x; self.y = y; self.marks = marks
        self.width = width; self.height = height; self.emptyMessage = emptyMessage
    }

    /// The chart as a standalone SVG file.
    public func svg() -> String { svgDocument(element()) }

    /// The chart's root `<svg>` element (for embedding or stacking).
    public func element() -> SVGElement {
        let legend = legendItems()
        let header = ChartHeader(title: title, subtitle: subtitle, legend: legend.count >= 2 ? legend : [], width: width)
        var root = svgRoot(width: width, height: height, title: title)
        header.draw(into: &root)
        let xs = values(onX: true), ys = values(onX: false)
        let top = header.height
        guard !xs.isEmpty, !ys.isEmpty else {
            drawNoData(into: &root, message: emptyMessage, box: (16, top, width - 32, max(40, height - top - 16)))
            return root
        }
        let layout = PlotLayout(chart: self, xs: xs, ys: ys, top: top)
        root.add(layout.grid())
        var marksGroup = SVGElement("g", [("class", "marks")])
        var placedLabels: [(x: Double, y: Double, w: Double)] = []
        for (i, mark) in marks.enumerated() { draw(mark, index: i, layout: layout, into: &marksGroup, placedLabels: &placedLabels) }
        root.add(marksGroup)
        root.add(layout.axes())
        return root
    }

    // MARK: data extents

    /// Every finite value the marks place on one axis (band axes: the category indices).
    func values(onX: Bool) -> [Double] {
        var out: [Double] = []
        let axis = onX ? x : y
        for mark in marks {
            switch mark {
            case .line(let s, _, _), .area(let s, _), .scatter(let s, _):
                let pairs = zip(s.x, s.y).filter { $0.0.isFinite && $0.1.isFinite }
                out += pairs.map { onX ? $0.0 : $0.1 }
                if case .area = mark, !onX, !pairs.isEmpty { out.append(0) }
            case .bars(let series, let layout, _, _):
                guard case .band(let categories) = (onX ? x.kind : y.kind) else {
                    // The value axis: the bars' extent, from zero.
                    let n = series.map(\.values.count).max() ?? 0
                    guard n > 0 else { continue }
                    out.append(0)
                    if layout == .stacked {
                        for i in 0..<n { out.append(series.reduce(0) { $0 + (i < $1.values.count && $1.values[i].isFinite ? $1.values[i] : 0) }) }
                    } else {
                        out += series.flatMap(\.values).filter(\.isFinite)
                    }
                    continue
                }
                if series.contains(where: { !$0.values.isEmpty }) { out += categories.indices.map(Double.init) }
            case .histogram(_, let bins, _):
                guard !bins.isEmpty else { continue }
                out += onX ? bins.flatMap { [$0.lower, $0.upper] } : bins.map(\.count) + [0]
            case .rule(let r):
                // Rules join the extent of their own axis only when there is other data.
                if (r.orientation == .vertical) == onX && r.value.isFinite { out.append(r.value) }
            case .annotation(let a):
                out.append(onX ? a.x : a.y)
            }
        }
        if case .band(let c) = axis.kind, c.isEmpty { return [] }
        // A chart with only rules or annotations has no data.
        let hasData = marks.contains { m in
            switch m {
            case .rule, .annotation: return false
            case .line(let s, _, _), .area(let s, _), .scatter(let s, _): return zip(s.x, s.y).contains { $0.0.isFinite && $0.1.isFinite }
            case .bars(let s, _, _, _): return s.contains { !$0.values.isEmpty }
            case .histogram(_, let b, _): return !b.isEmpty
            }
        }
        return hasData ? out : []
    }

    /// Named series in drawing order, with their colours.
    func legendItems() -> [LegendItem] {
        var items: [LegendItem] = []
        for (i, mark) in marks.enumerated() {
            switch mark {
            case .line(let s, _, let dashed) where !s.name.isEmpty:
                items.append(LegendItem(name: s.name, color: s.color ?? Palette.color(i), line: true, dashed: dashed))
            case .area(let s, _) where !s.name.isEmpty, .scatter(let s, _) where !s.name.isEmpty:
                items.append(LegendItem(name: s.name, color: s.color ?? Palette.color(i)))
            case .bars(let series, _, _, _):
                for (j, s) in series.enumerated() where !s.name.isEmpty && series.count > 1 {
                    items.append(LegendItem(name: s.name, color: s.color ?? Palette.color(j)))
                }
            case .histogram(let name, _, let color) where !name.isEmpty:
                items.append(LegendItem(name: name, color: color ?? Palette.color(i)))
            default: break
            }
        }
        return items
    }

    // MARK: marks

    func tooltip(_ name: String, _ xv: Double, _ yv: Double, _ layout: PlotLayout) -> String {
        let label = layout.describe(xv, onX: true) + ", " + layout.describe(yv, onX: false)
        return name.isEmpty ? label : name + ": " + label
    }

    func draw(_ mark: Mark, index: Int, layout: PlotLayout, into g: inout SVGElement, placedLabels: inout [(x: Double, y: Double, w: Double)]) {
        let colour = { (explicit: String?) in explicit ?? Palette.color(index) }
        switch mark {
        case .line(let s, let points, let dashed):
            var d = "", pen = false, drawn: [(Double, Double, Int)] = []
            for i in s.x.indices {
                guard s.x[i].isFinite, s.y[i].isFinite else { pen = false; continue }
                let (px, py) = (layout.px(s.x[i]), layout.py(s.y[i]))
                d += (pen ? "L" : "M") + svgNumber(px) + " " + svgNumber(py)
                pen = true
                drawn.append((px, py, i))
            }
            var path = SVGElement("path", [("d", d), ("fill", "none"), ("stroke", colour(s.color)), ("stroke-width", "2"),
                                           ("stroke-linejoin", "round")])
            if dashed { path.set("stroke-dasharray", "6 4") }
            if !s.name.isEmpty { path.addTooltip(s.name) }
            if drawn.count > 1 { g.add(path) }
            if points ?? (drawn.count <= 60) || drawn.count == 1 {
                for (px, py, i) in drawn {
                    var dot = SVGElement("circle", [("cx", svgNumber(px)), ("cy", svgNumber(py)), ("r", "3"), ("fill", colour(s.color))])
                    dot.addTooltip(s.tooltips?[i] ?? tooltip(s.name, s.x[i], s.y[i], layout))
                    g.add(dot)
                }
            }
        case .area(let s, let opacity):
            let pts = s.x.indices.filter { s.x[$0].isFinite && s.y[$0].isFinite }
            guard let first = pts.first, let last = pts.last else { return }
            let base = layout.py(max(0, layout.y.domain.lowerBound))
            var d = "M" + svgNumber(layout.px(s.x[first])) + " " + svgNumber(base)
            for i in pts { d += "L" + svgNumber(layout.px(s.x[i])) + " " + svgNumber(layout.py(s.y[i])) }
            d += "L" + svgNumber(layout.px(s.x[last])) + " " + svgNumber(base) + "Z"
            var path = SVGElement("path", [("d", d), ("fill", colour(s.color)), ("fill-opacity", svgNumber(opacity)), ("stroke", "none")])
            if !s.name.isEmpty { path.addTooltip(s.name) }
            g.add(path)
        case .scatter(let s, let radius):
            for i in s.x.indices where s.x[i].isFinite && s.y[i].isFinite {
                var dot = SVGElement("circle", [("cx", svgNumber(layout.px(s.x[i]))), ("cy", svgNumber(layout.py(s.y[i]))),
                                                ("r", svgNumber(radius)), ("fill", colour(s.color)), ("fill-opacity", "0.7")])
                dot.addTooltip(s.tooltips?[i] ?? tooltip(s.name, s.x[i], s.y[i], layout))
                g.add(dot)
            }
        case .bars(let series, let barLayout, let valueLabels, let style):
            drawBars(series, barLayout, valueLabels, style, layout: layout, into: &g)
        case .histogram(let name, let bins, let color):
            for b in bins {
                let x0 = layout.px(b.lower), x1 = layout.px(b.upper)
                let y0 = layout.py(0), y1 = layout.py(b.count)
                var rect = SVGElement("rect", [("x", svgNumber(min(x0, x1) + 0.5)), ("y", svgNumber(min(y0, y1))),
                                               ("width", svgNumber(max(0.5, abs(x1 - x0) - 1))), ("height", svgNumber(abs(y1 - y0))),
                                               ("fill", colour(color))])
                let range = layout.describe(b.lower, onX: true) + " to " + layout.describe(b.upper, onX: true)
                rect.addTooltip((name.isEmpty ? "" : name + ": ") + range + ": " + NumberFormatting.format(b.count, style: y.style))
                g.add(rect)
            }
        case .rule(let r):
            var line: SVGElement
            var label: SVGElement?
            if r.orientation == .horizontal {
                let py = layout.py(r.value)
                line = SVGElement("line", [("x1", svgNumber(layout.plot.x)), ("y1", svgNumber(py)),
                                           ("x2", svgNumber(layout.plot.x + layout.plot.w)), ("y2", svgNumber(py))])
                if !r.label.isEmpty {
                    label = .text(r.label, x: layout.plot.x + layout.plot.w - 4, y: py - 4,
                                  [("font-size", "11"), ("text-anchor", "end"), ("fill", r.color)])
                }
            } else {
                let px = layout.px(r.value)
                line = SVGElement("line", [("x1", svgNumber(px)), ("y1", svgNumber(layout.plot.y)),
                                           ("x2", svgNumber(px)), ("y2", svgNumber(layout.plot.y + layout.plot.h))])
                if !r.label.isEmpty {
                    let w = ChartStyle.textWidth(r.label, size: ChartStyle.labelSize)
                    let right = px + 4 + w <= layout.plot.x + layout.plot.w
                    label = .text(r.label, x: right ? px + 4 : px - 4, y: layout.plot.y + 12,
                                  [("font-size", "11"), ("text-anchor", right ? "start" : "end"), ("fill", r.color)])
                }
            }
            line.attributes += [("stroke", r.color), ("stroke-width", "1.5")]
            if r.dashed { line.set("stroke-dasharray", "5 4") }
            if !r.label.isEmpty { line.addTooltip(r.label) }
            g.add(line)
            if let label { g.add(label) }
        case .annotation(let a):
            let px = layout.px(a.x), py = layout.py(a.y)
            g.add(SVGElement("circle", [("cx", svgNumber(px)), ("cy", svgNumber(py)), ("r", "3.5"), ("fill", "none"), ("stroke", "#222222")]))
            let w = ChartStyle.textWidth(a.text, size: ChartStyle.labelSize)
            let right = px + 8 + w <= layout.plot.x + layout.plot.w
            let x0 = right ? px + 8 : px - 8 - w
            var ty = max(layout.plot.y + 12, py - 6)
            // Move down, line by line, until the label clears the labels already placed.
            while placedLabels.contains(where: { $0.x < x0 + w && x0 < $0.x + $0.w && abs($0.y - ty) < 13 }) { ty += 13 }
            placedLabels.append((x0, ty, w))
            g.add(.text(a.text, x: right ? px + 8 : px - 8, y: ty,
                        [("font-size", "11"), ("text-anchor", right ? "start" : "end"), ("fill", "#222222")]))
        }
    }

    func drawBars(_ series: [BarSeries], _ barLayout: BarLayout, _ valueLabels: Bool, _ style: NumberStyle,
                  layout: PlotLayout, into g: inout SVGElement) {
        let vertical: Bool
        let categories: [String]
        if case .band(let c) = x.kind { vertical = true; categories = c }
        else if case .band(let c) = y.kind { vertical = false; categories = c }
        else { return }
        let band = vertical ? layout.x.bandWidth : layout.y.bandWidth
        let groups = barLayout == .grouped ? max(1, series.count) : 1
        let width = band / Double(groups)
        for ci in categories.indices {
            var stackBase = 0.0
            for (si, s) in series.enumerated() where ci < s.values.count && s.values[ci].isFinite {
                let v = s.values[ci]
                let centre = vertical ? layout.px(Double(ci)) : layout.py(Double(ci))
                let offset = barLayout == .grouped ? -band / 2 + width * Double(si) : -band / 2
                let (from, to) = barLayout == .stacked ? (stackBase, stackBase + v) : (0, v)
                if barLayout == .stacked { stackBase += v }
                var rect: SVGElement
                if vertical {
                    let y0 = layout.py(from), y1 = layout.py(to)
                    rect = SVGElement("rect", [("x", svgNumber(centre + offset)), ("y", svgNumber(min(y0, y1))),
                                               ("width", svgNumber(width)), ("height", svgNumber(abs(y1 - y0)))])
                } else {
                    let x0 = layout.px(from), x1 = layout.px(to)
                    rect = SVGElement("rect", [("x", svgNumber(min(x0, x1))), ("y", svgNumber(centre + offset)),
                                               ("width", svgNumber(abs(x1 - x0))), ("height", svgNumber(width))])
                }
                rect.set("fill", s.color ?? Palette.color(si))
                let text = NumberFormatting.format(v, style: style)
                rect.addTooltip(categories[ci] + (s.name.isEmpty ? "" : " · " + s.name) + ": " + text)
                g.add(rect)
                guard valueLabels else { continue }
                if vertical, width >= ChartStyle.textWidth(text, size: 10) + 2 {
                    g.add(.text(text, x: centre + offset + width / 2, y: to < from ? layout.py(to) + 12 : layout.py(to) - 3,
                                [("font-size", "10"), ("text-anchor", "middle"), ("fill", "#222222")]))
                } else if !vertical, width >= 9 {
                    // Past the bar's end: right of positive bars, left of negative ones.
                    let end = layout.px(to), negative = to < from
                    g.add(.text(text, x: negative ? end - 4 : end + 4, y: centre + offset + width / 2 + 3.5,
                                [("font-size", "10"), ("fill", "#222222"), ("text-anchor", negative ? "end" : "start")]))
                }
            }
        }
    }
}
