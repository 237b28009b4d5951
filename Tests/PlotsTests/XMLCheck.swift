import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// What an SVG parsed as XML contains: element counts, texts, and the attributes of each element.
struct ParsedSVG {
    var ok = false
    var error: String?
    var counts: [String: Int] = [:]
    var texts: [String] = []
    var elements: [(name: String, attributes: [String: String])] = []
    var rootName = ""

    func count(_ name: String) -> Int { counts[name, default: 0] }
    func all(_ name: String) -> [[String: String]] { elements.filter { $0.name == name }.map(\.attributes) }
}

/// Parses `svg` with Foundation's XML parser (a real, strict XML 1.0 parser).
func parseSVG(_ svg: String) -> ParsedSVG {
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
