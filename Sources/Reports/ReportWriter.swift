import Foundation
import Plots

/// Writes figures as SVG files and an `index.html` that shows them with their captions.
public enum ReportWriter {
    /// Writes each figure as `directory/NAME.svg` (the folder is created if needed); returns the paths.
    @discardableResult
    public static func writeFigures(_ figures: [Figure], to directory: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return try figures.map { f in
            let path = (directory as NSString).appendingPathComponent(f.name + ".svg")
            try Data(f.svg.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            return path
        }
    }

    /// Writes the figures and the index page into `directory`; returns the paths written.
    @discardableResult
    public static func write(_ figures: [Figure], to directory: String, title: String, note: String = "") throws -> [String] {
        var paths = try writeFigures(figures, to: directory)
        let index = (directory as NSString).appendingPathComponent("index.html")
        try Data(indexPage(figures, title: title, note: note).utf8).write(to: URL(fileURLWithPath: index), options: .atomic)
        paths.append(index)
        return paths
    }

    /// The index page: one section per figure, the SVG by reference, the caption under it.
    public static func indexPage(_ figures: [Figure], title: String, note: String) -> String {
        var html = HTMLPage.head(title: title)
        html += "<h1>\(HTMLPage.escape(title))</h1>\n"
        if !note.isEmpty { html += "<p class=\"note\">\(HTMLPage.escape(note))</p>\n" }
        html += "<nav><ol>\n" + figures.map { "<li><a href=\"#\(HTMLPage.escape($0.name, attribute: true))\">\(HTMLPage.escape($0.title))</a></li>" }.joined(separator: "\n") + "\n</ol></nav>\n"
        for f in figures {
            html += "<figure id=\"\(HTMLPage.escape(f.name, attribute: true))\">\n<img src=\"\(HTMLPage.escape(f.name, attribute: true)).svg\" alt=\"\(HTMLPage.escape(f.title, attribute: true))\">\n"
            html += "<figcaption><strong>\(HTMLPage.escape(f.title)).</strong> \(HTMLPage.escape(f.caption))</figcaption>\n</figure>\n"
        }
        return html + "</body>\n</html>\n"
    }
}

/// The HTML both the index and the notebook share: head, style, escaping.
enum HTMLPage {
    static func head(title: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>
        body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; max-width: 820px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.5; }
        h1 { font-size: 1.7em; } h2 { font-size: 1.3em; margin-top: 2em; border-bottom: 1px solid #ddd; }
        figure { margin: 1.5em 0; } figure img, figure svg { max-width: 100%; height: auto; border: 1px solid #eee; }
        figcaption { font-size: 0.9em; color: #555; }
        table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; } th, td { border-bottom: 1px solid #ddd; padding: 0.25em 0.7em; text-align: right; }
        th:first-child, td:first-child { text-align: left; }
        code, pre { font-family: "DejaVu Sans Mono", monospace; font-size: 0.88em; background: #f5f5f5; }
        pre { padding: 0.7em; overflow-x: auto; } .note { color: #555; }
        </style>
        </head>
        <body>

        """
    }

    /// Text for HTML content, or with `attribute` for a quoted attribute value (the same
    /// escaping as the SVG text).
    static func escape(_ s: String, attribute: Bool = false) -> String { xmlEscape(s, attribute: attribute) }
}
