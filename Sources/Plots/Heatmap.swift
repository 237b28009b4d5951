import Foundation

/// A grid of coloured cells (rows x columns of categories) with a colour legend.
///
/// Missing cells (nil) stay blank, so a cohort triangle reads as a triangle. Colours come
/// from viridis between the smallest and largest value (or a fixed `domain`).
public struct Heatmap: Sendable, Equatable {
    public var title: String
    public var subtitle: String
    public var columns: [String]
    public var rows: [String]
    /// `values[row][column]`; nil for no value.
    public var values: [[Double?]]
    public var xTitle: String
    public var yTitle: String
    public var style: NumberStyle
    public var domain: ClosedRange<Double>?
    /// Print values in the cells when they fit.
    public var cellLabels: Bool
    public var width: Double
    public var height: Double
    public var emptyMessage: String

    public init(title: String, subtitle: String = "", columns: [String], rows: [String], values: [[Double?]], xTitle: String = "",
                yTitle: String = "", style: NumberStyle = .plain, domain: ClosedRange<Double>? = nil, cellLabels: Bool = true,
                width: Double = 760, height: Double = 520, emptyMessage: String = "No data") {
        self.title = title; self.subtitle = subtitle; self.columns = columns; self.rows = rows; self.values = values
        self.xTitle = xTitle; self.yTitle = yTitle; self.style = style; self.domain = domain; self.cellLabels = cellLabels
        self.width = width; self.height = height; self.emptyMessage = emptyMessage
    }

    public func svg() -> String { svgDocument(element()) }

    public func element() -> SVGElement {
        let header = ChartHeader(title: title, subtitle: subtitle, legend: [], width: width)
        var root = svgRoot(width: width, height: height, title: title)
        header.draw(into: &root)
        let top = header.height
        let finite = values.flatMap { $0.compactMap { $0 } }.filter(\.isFinite)
        guard !finite.isEmpty, !rows.isEmpty, !columns.isEmpty else {
            drawNoData(into: &root, message: emptyMessage, box: (16, top, width - 32, max(40, height - top - 16)))
            return root
        }
        let lo = domain?.lowerBound ?? finite.min()!, hi = domain?.upperBound ?? finite.max()!
        let size = ChartStyle.labelSize
        let rowLabelWidth = min(width * 0.3, rows.map { ChartStyle.textWidth($0, size: size) }.max() ?? 0)
        let left = 16 + (yTitle.isEmpty ? 0 : 20) + rowLabelWidth + 8
        let legendWidth = 90.0
        let plotW = max(40, width - left - legendWidth - 16)
        let cellW = plotW / Double(columns.count)
        // Column labels: every k-th so they do not collide.
        let widest = columns.map { ChartStyle.textWidth($0, size: size) }.max() ?? 0
        let k = max(1, Int(ceil((widest + 6) / cellW)))
        let bottom = 26.0 + (xTitle.isEmpty ? 0 : 20)
        let plotH = max(40, height - top - bottom)
        let cellH = plotH / Double(rows.count)
        let rowStep = max(1, Int(ceil(13 / cellH)))

        var cells = SVGElement("g", [("class", "cells")])
        for (r, row) in values.enumerated() where r < rows.count {
            for (c, v) in row.enumerated() where c < columns.count {
                guard let v, v.isFinite else { continue }
                let t = hi > lo ? (v - lo) / (hi - lo) : 0.5
                let x = left + Double(c) * cellW, y = top + Double(r) * cellH
                var rect = SVGElement("rect", [("x", svgNumber(x)), ("y", svgNumber(y)), ("width", svgNumber(cellW + 0.3)),
                                               ("height", svgNumber(cellH + 0.3)), ("fill", Palette.sequential(t))])
                let text = NumberFormatting.format(v, style: style)
                rect.addTooltip(rows[r] + " · " + columns[c] + ": " + text)
                cells.add(rect)
                if cellLabels, cellH >= 13, cellW >= ChartStyle.textWidth(text, size: 9.5) + 4 {
                    cells.add(.text(text, x: x + cellW / 2, y: y + cellH / 2 + 3.5,
                                    [("font-size", "9.5"), ("text-anchor", "middle"), ("fill", Palette.textOnSequential(t))]))
                }
            }
        }
        root.add(cells)
        var axes = SVGElement("g", [("class", "axes"), ("font-size", "11"), ("fill", Palette.axis)])
        for c in columns.indices where c % k == 0 {
            axes.add(.text(columns[c], x: left + (Double(c) + 0.5) * cellW, y: top + plotH + 16, [("text-anchor", "middle")]))
        }
        for r in rows.indices where r % rowStep == 0 {
            axes.add(.text(ChartStyle.truncated(rows[r], size: size, maxWidth: rowLabelWidth + 1), x: left - 6,
                           y: top + (Double(r) + 0.5) * cellH + 4, [("text-anchor", "end")]))
        }
        if !xTitle.isEmpty {
            axes.add(.text(xTitle, x: left + plotW / 2, y: top + plotH + 38, [("text-anchor", "middle"), ("font-size", "12"), ("fill", "#222222")]))
        }
        if !yTitle.isEmpty {
            let cx = 25.0, cy = top + plotH / 2
            axes.add(.text(yTitle, x: cx, y: cy, [("text-anchor", "middle"), ("font-size", "12"), ("fill", "#222222"),
                                                   ("transform", "rotate(-90 \(svgNumber(cx)) \(svgNumber(cy)))")]))
        }
        root.add(axes)
        root.add(colourLegend(x: left + plotW + 24, y: top, height: min(plotH, 240), lo: lo, hi: hi))
        return root
    }

    /// A vertical colour bar made of small rectangles (no gradient ids, which would clash
    /// when several charts share an HTML page) with nice ticks.
    func colourLegend(x: Double, y: Double, height: Double, lo: Double, hi: Double) -> SVGElement {
        var g = SVGElement("g", [("class", "colour-legend"), ("font-size", "10"), ("fill", Palette.axis)])
        let steps = 40
        for i in 0..<steps {
            let t = Double(i) / Double(steps - 1)
            let h = height / Double(steps)
            g.add(SVGElement("rect", [("x", svgNumber(x)), ("y", svgNumber(y + height - Double(i + 1) * h)), ("width", "14"),
                                      ("height", svgNumber(h + 0.3)), ("fill", Palette.sequential(t))]))
        }
        let axis = Axis("", style: style, domain: lo...max(hi, lo + 1e-12), tickCount: 5)
        let scale = ResolvedScale.resolve(axis, values: [], range: (y + height, y))
        for t in scale.ticks where t.value >= lo - 1e-12 && t.value <= hi + 1e-12 {
            let py = scale.position(t.value)
            g.add(SVGElement("line", [("x1", svgNumber(x + 14)), ("y1", svgNumber(py)), ("x2", svgNumber(x + 18)), ("y2", svgNumber(py)),
                                      ("stroke", Palette.axis)]))
            g.add(.text(t.label, x: x + 21, y: py + 3.5))
        }
        return g
    }
}
