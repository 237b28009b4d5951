import ArgumentParser
import ForecastKit
import Foundation
import Reports

/// Reads a command's data, reporting the row counts on standard error.
func readLog(_ source: MappingOptions, _ quality: QualityOptions, command: String = "report") throws -> TransactionLog {
    let log = try readData(source, quality, command: command).log
    printError("\(command): \(log.customerCount) customers")
    return log
}

/// The charts and index.html of `forecast report` (and `forecast notebook --charts`) in `directory`.
func writeReport(_ figures: [Figure], to directory: String, source: MappingOptions) throws -> [String] {
    try ReportWriter.write(figures, to: directory, title: "Customer dynamics: \((source.data as NSString).lastPathComponent)",
                           note: "Made from \(source.data) by `forecast report`. Every chart is an SVG file beside this page.")
}

/// Reads the data and runs every analysis of the report.
func buildReport(_ source: MappingOptions, _ quality: QualityOptions, _ options: CustomerDynamicsReport.Options,
                 command: String = "report") throws -> CustomerDynamicsReport {
    let log = try readLog(source, quality, command: command)
    return try CustomerDynamicsReport(log: log, options: options, progress: printError)
}

/// The top-products ranking at --as-of (or the data's last day).
func rankTopProducts(_ source: MappingOptions, _ quality: QualityOptions, _ top: ReportCommand.TopOptions) throws -> TopProducts {
    let baskets = Baskets(try readLog(source, quality, command: "top-products"))
    guard let range = baskets.dayRange else { throw ValidationError("the data hold no transactions") }
    var asOf = range.upperBound
    if let text = quality.asOf {
        guard let d = CivilDate(iso: text) else { throw ValidationError("--as-of must be a date like 2019-12-31, got '\(text)'") }
        guard d.dayNumber >= range.lowerBound else {
            throw ValidationError("--as-of \(text) is before the data's first day, \(CivilDate(dayNumber: range.lowerBound))")
        }
        asOf = d.dayNumber
    }
    return try TopProducts(baskets, asOf: asOf, months: top.months, top: top.top, by: top.by)
}
