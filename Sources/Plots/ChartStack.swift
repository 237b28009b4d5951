/// Several charts one above the other in a single SVG (nested `<svg>` elements).
public struct ChartStack: Sendable {
    public var title: String
    public var panels: [SVGElement]

    public init(title: String, panels: [SVGElement]) {
        self.title = title; self.panels = panels
    }

    public func svg() -> String { svgDocument(element()) }

    public func element() -> SVGElement {
        let sizes = panels.map { p in
            (Double(p.attributes.first { $0.0 == "width" }?.1 ?? "0") ?? 0, Double(p.attributes.first { $0.0 == "height" }?.1 ?? "0") ?? 0)
        }
        let width = sizes.map(\.0).max() ?? 0
        let height = sizes.map(\.1).reduce(0, +)
        var root = svgRoot(width: width, height: height, title: title)
        var y = 0.0
        for (panel, size) in zip(panels, sizes) {
            var nested = panel
            nested.attributes.removeAll { $0.0 == "xmlns" }
            nested.set("x", "0")
            nested.set("y", svgNumber(y))
            root.add(nested)
            y += size.1
        }
        return root
    }
}
