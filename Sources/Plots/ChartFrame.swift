import Foundation

/// Typography and the parts every chart shares: the title block, the legend and the
/// "no data" message. Text widths are estimated (no font metrics on a server), with a
/// per-character width that is generous for DejaVu Sans and Helvetica.
public enum ChartStyle {
    public static let fontFamily = "DejaVu Sans, Helvetica, Arial, sans-serif"
    public static let titleSize = 16.0
    public static let subtitleSize = 12.0
    public static let labelSize = 11.0
    public static let axisTitleSize = 12.0

    /// Estimated width of `text` at `size` pixels.
    public static func textWidth(_ text: String, size: Double) -> Double {
        var units = 0.0
        for ch in text {
            if ch == " " || ch == "," || ch == "." || ch == ":" || ch == "'" || ch == "|" || ch == "i" || ch == "l" { units += 0.34 }
            else if ch.isUppercase || ch == "m" || ch == "w" || ch == "%" || ch == "M" || ch == "W" { units += 0.78 }
            else { units += 0.62 }
        }
        return units * size
    }

    /// `text` cut to `maxWidth` pixels with an ellipsis.
    public static func truncated(_ text: String, size: Double, maxWidth: Double) -> String {
        guard textWidth(text, size: size) > maxWidth else { return text }
        var out = ""
        for ch in text {
            if textWidth(out + String(ch) + "…", size: size) > maxWidth { break }
            out.append(ch)
        }
        return out + "…"
    }
}

/// A legend entry: a colour swatch and a name.
public struct LegendItem: Sendable, Equatable {
    public var name: String
    public var color: String
    /// Drawn as a short line (series) rather than a filled square (bars, areas).
    public var line: Bool
    public var dashed: Bool

    public init(name: String, color: String, line: Bool = false, dashed: Bool = false) {
        self.name = name; self.color = color; self.line = line; self.dashed = dashed
    }
}

/// Lays out and draws the title, subtitle and legend above the plot area.
struct ChartHeader {
    var title: String
    var subtitle: String
    var legend: [LegendItem]
    var width: Double

    static let left = 16.0

    /// Legend rows: each a list of (item, x offset), wrapped to the chart width.
    func legendRows() -> [[(LegendItem, Double)]] {
        var rows: [[(LegendItem, Double)]] = [[]]
        var x = Self.left
        for item in legend {
            let w = 22 + ChartStyle.textWidth(item.name, size: ChartStyle.labelSize) + 18
            if x + w > width - Self.left && !rows[rows.count - 1].isEmpty {
                rows.append([]); x = Self.left
            }
            rows[rows.count - 1].append((item, x))
            x += w
        }
        return rows.filter { !$0.isEmpty }
    }

    /// The header's height: where the plot area may begin.
    var height: Double {
        var h = 34.0
        if !subtitle.isEmpty { h += 18 }
        h += Double(legendRows().count) * 18
        return h + 14
    }

    func draw(into svg: inout SVGElement) {
        let maxWidth = width - 2 * Self.left
        svg.add(.text(ChartStyle.truncated(title, size: ChartStyle.titleSize, maxWidth: maxWidth), x: Self.left, y: 24,
                      [("font-size", "16"), ("font-weight", "bold"), ("fill", "#222222")]))
        var y = 24.0
        if !subtitle.isEmpty {
            y += 18
            svg.add(.text(ChartStyle.truncated(subtitle, size: ChartStyle.subtitleSize, maxWidth: maxWidth), x: Self.left, y: y,
                          [("font-size", "12"), ("fill", Palette.mutedText)]))
        }
        var legendGroup = SVGElement("g", [("class", "legend"), ("font-size", "11")])
        for row in legendRows() {
            y += 18
            for (item, x) in row {
                if item.line {
                    var attrs = [("x1", svgNumber(x)), ("y1", svgNumber(y - 4)), ("x2", svgNumber(x + 16)), ("y2", svgNumber(y - 4)),
                                 ("stroke", item.color), ("stroke-width", "2.5")]
                    if item.dashed { attrs.append(("stroke-dasharray", "5 3")) }
                    legendGroup.add(SVGElement("line", attrs))
                } else {
                    legendGroup.add(SVGElement("rect", [("x", svgNumber(x)), ("y", svgNumber(y - 10)), ("width", "14"), ("height", "10"),
                                                        ("fill", item.color)]))
                }
                legendGroup.add(.text(item.name, x: x + 22, y: y, [("fill", "#222222")]))
            }
        }
        if !legendGroup.children.isEmpty { svg.add(legendGroup) }
    }
}

/// The root `<svg>` element of a chart: size, `viewBox` (so it scales), fonts, background.
func svgRoot(width: Double, height: Double, title: String) -> SVGElement {
    var root = SVGElement("svg", [
        ("xmlns", "http://www.w3.org/2000/svg"), ("width", svgNumber(width)), ("height", svgNumber(height)),
        ("viewBox", "0 0 \(svgNumber(width)) \(svgNumber(height))"), ("font-family", ChartStyle.fontFamily),
        ("role", "img"),
    ])
    root.addTooltip(title)
    root.add(SVGElement("rect", [("x", "0"), ("y", "0"), ("width", svgNumber(width)), ("height", svgNumber(height)), ("fill", "#FFFFFF")]))
    return root
}

/// The message drawn instead of marks when a chart has nothing to show.
func drawNoData(into svg: inout SVGElement, message: String, box: (x: Double, y: Double, w: Double, h: Double)) {
    svg.add(SVGElement("rect", [("x", svgNumber(box.x)), ("y", svgNumber(box.y)), ("width", svgNumber(box.w)), ("height", svgNumber(box.h)),
                                ("fill", "#F7F7F7"), ("stroke", Palette.grid)]))
    svg.add(.text(ChartStyle.truncated(message, size: 14, maxWidth: box.w - 20), x: box.x + box.w / 2, y: box.y + box.h / 2,
                  [("font-size", "14"), ("fill", Palette.mutedText), ("text-anchor", "middle"), ("class", "no-data")]))
}

/// Serialises a root element as a standalone SVG file (XML declaration, trailing newline).
func svgDocument(_ root: SVGElement) -> String {
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + root.xml() + "\n"
}
