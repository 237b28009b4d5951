import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// What an SVG parsed as XML contains: element counts, texts, and the attributes of each element.
public struct ParsedSVG {
    public var ok = false
    public var error: String?
    public var counts: [String: Int] = [:]
    public var texts: [String] = []
    public var elements: [(name: String, attributes: [String: String])] = []
    public var rootName = ""

    public func count(_ name: String) -> Int { counts[name, default: 0] }
    public func all(_ name: String) -> [[String: String]] { elements.filter { $0.name == name }.map(\.attributes) }
}

/// Parses `svg` with Foundation's XML parser (a real, strict XML 1.0 parser).
public func parseSVG(_ svg: String) -> ParsedSVG {
    final class Delegate: NSObject, XMLParserDelegate {
        var result = ParsedSVG()
        var text = ""
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            if result.rootName.isEmpty { result.rootName = name }
            result.counts[name, default: 0] += 1
            result.elements.append((name, attributes))
            text = ""
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "text" || name == "title" { result.texts.append(text) }
            text = ""
        }
    }
    let parser = XMLParser(data: Data(svg.utf8))
    let delegate = Delegate()
    parser.delegate = delegate
    delegate.result.ok = parser.parse()
    if !delegate.result.ok { delegate.result.error = parser.parserError.map { "\($0)" } ?? "unknown" }
    return delegate.result
}
