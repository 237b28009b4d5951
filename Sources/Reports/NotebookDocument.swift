import Foundation

/// A document of headings, paragraphs, tables, figures and code, rendered both as Markdown
/// (figures as linked SVG files) and as one self-contained HTML page (figures inline).
public struct NotebookDocument: Sendable {
    public enum Block: Sendable {
        case heading(Int, String)
        /// Text with `code` spans in backticks.
        case paragraph(String)
        case bullets([String])
        case table(header: [String], rows: [[String]])
        case figure(Figure)
        case code(String)
    }

    public var title: String
    public var blocks: [Block] = []

    public init(title: String) { self.title = title }

    public mutating func add(_ block: Block) { blocks.append(block) }

    /// Markdown; figures are referenced as `figuresFolder/name.svg`.
    public func markdown(figuresFolder: String) -> String {
        var out = "# \(title)\n"
        for block in blocks {
            out += "\n"
            switch block {
            case .heading(let level, let text): out += String(repeating: "#", count: level) + " " + text + "\n"
            case .paragraph(let text): out += text + "\n"
            case .bullets(let items): out += items.map { "- " + $0 }.joined(separator: "\n") + "\n"
            case .table(let header, let rows):
                out += "| " + header.joined(separator: " | ") + " |\n"
                out += "|" + header.indices.map { $0 == 0 ? " --- |" : " ---: |" }.joined() + "\n"
                for r in rows { out += "| " + r.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n" }
            case .figure(let f):
                out += "![\(f.title)](\(figuresFolder)/\(f.name).svg)\n\n*\(f.caption)*\n"
            case .code(let text): out += "```\n" + text + "\n```\n"
            }
        }
        return out
    }

    /// One HTML file with every figure inline: no scripts, no external files.
    public func html() -> String {
        var out = HTMLPage.head(title: title) + "<h1>\(HTMLPage.escape(title))</h1>\n"
        for block in blocks {
            switch block {
            case .heading(let level, let text): out += "<h\(level)>\(inline(text))</h\(level)>\n"
            case .paragraph(let text): out += "<p>\(inline(text))</p>\n"
            case .bullets(let items): out += "<ul>\n" + items.map { "<li>\(inline($0))</li>" }.joined(separator: "\n") + "\n</ul>\n"
            case .table(let header, let rows):
                out += "<table>\n<tr>" + header.map { "<th>\(inline($0))</th>" }.joined() + "</tr>\n"
                for r in rows { out += "<tr>" + r.map { "<td>\(inline($0))</td>" }.joined() + "</tr>\n" }
                out += "</table>\n"
            case .figure(let f):
                // The SVG without its XML declaration, which is not allowed inside HTML.
                let svg = f.svg.hasPrefix("<?xml") ? String(f.svg[f.svg.index(after: f.svg.firstIndex(of: "\n")!)...]) : f.svg
                out += "<figure id=\"\(HTMLPage.escape(f.name, attribute: true))\">\n" + svg + "<figcaption>\(HTMLPage.escape(f.caption))</figcaption>\n</figure>\n"
            case .code(let text): out += "<pre><code>\(HTMLPage.escape(text))</code></pre>\n"
            }
        }
        return out + "</body>\n</html>\n"
    }

    /// Escapes text and turns `code` spans and **bold** into HTML.
    func inline(_ text: String) -> String {
        var out = ""
        var inCode = false
        for (k, part) in text.split(separator: "`", omittingEmptySubsequences: false).enumerated() {
            if k > 0 { out += inCode ? "</code>" : "<code>"; inCode.toggle() }
            var escaped = HTMLPage.escape(String(part))
            if !inCode {
                let pieces = escaped.components(separatedBy: "**")
                if pieces.count >= 3 && pieces.count % 2 == 1 {
                    escaped = pieces.enumerated().map { $0.offset % 2 == 1 ? "<strong>\($0.element)</strong>" : $0.element }.joined()
                }
            }
            out += escaped
        }
        if inCode { out += "</code>" }
        return out
    }
}
