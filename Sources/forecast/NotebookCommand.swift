import ArgumentParser
import ForecastKit
import Foundation
import Reports

/// `forecast notebook`: the exported analysis, as Markdown and as one self-contained HTML page.
struct NotebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notebook",
        abstract: "Write the customer-dynamics analysis: customer-dynamics.md (with figures/*.svg) and a self-contained customer-dynamics.html.",
        discussion: """
            Walks through the five questions of `forecast report` with the numbers of the data: how concentrated \
            purchasing is, one product by month, the top products, how well the models forecast, seasonality and \
            retention, and how to reproduce each figure.

            Example: forecast notebook --data data/shop/transactions.csv --layout transactions --as-of 2019-12-31 --out Notebooks-export
            """
    )

    @OptionGroup var source: MappingOptions
    @OptionGroup var quality: QualityOptions
    @OptionGroup var choice: ReportCommand.ModelChoice

    @Option(help: "Output folder.")
    var out = "Notebooks-export"

    @Option(help: "The notebook's title.")
    var title = "Customer dynamics"

    @Flag(name: .customLong("no-model"), help: "Skip the model backtest.")
    var noModel = false

    @Option(help: "Also write every chart and index.html into this folder, as `forecast report --out` would (saves running the backtest twice).")
    var charts: String?

    func run() throws {
        var options = CustomerDynamicsReport.Options(dataName: (source.data as NSString).lastPathComponent)
        options.models = noModel ? [] : try choice.names()
        options.backtestMonths = choice.backtestMonths
        let report = try buildReport(source, quality, options, command: "notebook")
        let arguments = Array(CommandLine.arguments.dropFirst(2))
        let figures = report.figures()
        let doc = CustomerDynamicsNotebook.build(report, figures: figures, title: title, reproduce: [
            "forecast notebook " + arguments.map(shellQuoted).joined(separator: " "),
            "forecast report " + dropping(["--out", "--title", "--charts"], from: arguments).map(shellQuoted).joined(separator: " ")
                + " --out " + shellQuoted(charts ?? "reports"),
        ], followUps: notebookFollowUps)
        try ReportWriter.writeFigures(figures, to: (out as NSString).appendingPathComponent("figures"))
        if let charts { try writeReport(figures, to: charts, source: source).forEach { print($0) } }
        let md = (out as NSString).appendingPathComponent("customer-dynamics.md")
        let html = (out as NSString).appendingPathComponent("customer-dynamics.html")
        try Data(doc.markdown(figuresFolder: "figures").utf8).write(to: URL(fileURLWithPath: md), options: .atomic)
        try Data(doc.html().utf8).write(to: URL(fileURLWithPath: html), options: .atomic)
        print(md)
        print(html)
    }
}

/// The commands the notebook suggests for any product and for the top products at any date.
let notebookFollowUps = CustomerDynamicsNotebook.FollowUps(
    productByMonth: "forecast report product --product ID --year YYYY",
    topProducts: "forecast top-products --data ... --as-of YYYY-MM-DD --months 6 --top 5 --by transactions|revenue --format text|json|csv")

/// An argument as a POSIX shell would need it.
func shellQuoted(_ s: String) -> String {
    guard s.isEmpty || s.contains(where: { !($0.isLetter || $0.isNumber || "-_./=,:@%+".contains($0)) }) else { return s }
    return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

/// `arguments` without the given options and their values (`--out X` and `--out=X`).
func dropping(_ options: Set<String>, from arguments: [String]) -> [String] {
    var out: [String] = []
    var skipNext = false
    for a in arguments {
        if skipNext { skipNext = false; continue }
        if options.contains(a) { skipNext = true; continue }
        if let eq = a.firstIndex(of: "="), options.contains(String(a[..<eq])) { continue }
        out.append(a)
    }
    return out
}
