/// A small typed model of an SVG document: elements with ordered attributes and children.
///
/// Charts are built as trees of ``SVGElement`` and serialised once, so escaping happens in
/// exactly one place and the same tree always gives the same bytes.
public struct SVGElement: Sendable, Equatable {
    public var name: String
    /// Attributes in insertion order (the order is part of the output, for determinism).
    public var attributes: [(String, String)]
    public var children: [SVGNode]

    public init(_ name: String, _ attributes: [(String, String)] = [], children: [SVGNode] = []) {
        self.name = name
        self.attributes = attributes
        self.children = children
    }

    public static func == (a: SVGElement, b: SVGElement) -> Bool {
        a.name == b.name && a.attributes.elementsEqual(b.attributes, by: { $0 == $1 }) && a.children == b.children
    }

    /// Appends a child element.
    public mutating func add(_ element: SVGElement) { children.append(.element(element)) }

    /// Appends a `<title>` child: the tooltip browsers show on hover.
    public mutating func addTooltip(_ text: String) { add(SVGElement("title", children: [.text(text)])) }

    /// Sets (or replaces) one attribute.
    public mutating func set(_ key: String, _ value: String) {
        if let i = attributes.firstIndex(where: { $0.0 == key }) { attributes[i].1 = value } else { attributes.append((key, value)) }
    }

    /// A `<text>` element.
    public static func text(_ string: String, x: Double, y: Double, _ attributes: [(String, String)] = []) -> SVGElement {
        SVGElement("text", [("x", svgNumber(x)), ("y", svgNumber(y))] + attributes, children: [.text(string)])
    }

    /// The element serialised as XML, without a trailing newline.
    public func xml() -> String {
        var out = ""
        write(to: &out, depth: 0)
        return out
    }

    func write(to out: inout String, depth: Int) {
        out += "<" + name
        for (k, v) in attributes { out += " " + k + "=\"" + xmlEscape(v, attribute: true) + "\"" }
        if children.isEmpty { out += "/>"; return }
        out += ">"
        let onlyText = children.allSatisfy { if case .text = $0 { true } else { false } }
        for child in children {
            switch child {
            case .text(let s): out += xmlEscape(s, attribute: false)
            case .element(let e):
                if !onlyText { out += "\n" + String(repeating: " ", count: depth + 1) }
                e.write(to: &out, depth: depth + 1)
            }
        }
        if !onlyText { out += "\n" + String(repeating: " ", count: depth) }
        out += "</" + name + ">"
    }
}

/// A child of an element: another element or character data.
public indirect enum SVGNode: Sendable, Equatable {
    case element(SVGElement)
    case text(String)
}

/// Escapes text for XML. Characters XML 1.0 forbids (most C0 controls) are dropped, so any
/// string from the data (a product named `<Tom & Jerry>`, a stray control byte) is safe.
public func xmlEscape(_ s: String, attribute: Bool) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for scalar in s.unicodeScalars {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"" where attribute: out += "&quot;"
        case "'" where attribute: out += "&apos;"
        case "\n" where attribute: out += "&#10;"
        case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
        default:
            let v = scalar.value
            if v < 0x20 || v == 0xFFFE || v == 0xFFFF { continue }
            out.unicodeScalars.append(scalar)
        }
    }
    return out
}

/// A coordinate with at most two decimals and no trailing zeros ("12.5", "-3", "0.07"):
/// short, locale-free and identical on every platform.
public func svgNumber(_ x: Double) -> String {
    guard x.isFinite else { return "0" }
    let hundredths = Int64((x * 100).rounded())
    if hundredths == 0 { return "0" }
    let sign = hundredths < 0 ? "-" : ""
    let a = abs(hundredths)
    let whole = a / 100, frac = a % 100
    if frac == 0 { return sign + String(whole) }
    if frac % 10 == 0 { return sign + String(whole) + "." + String(frac / 10) }
    return sign + String(whole) + "." + (frac < 10 ? "0" : "") + String(frac)
}
