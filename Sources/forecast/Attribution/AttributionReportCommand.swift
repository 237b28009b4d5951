import ArgumentParser
import Attribution

struct AttributionReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Step 3: fill channel_reporting (cost, ihc, ihc_revenue per channel and session date).",
        discussion: "Refreshes the range's dates and every session date of the range's journeys, in one transaction."
    )

    @OptionGroup var database: AttributionDatabaseOption
    @OptionGroup var range: ConversionRangeOptions
    @Option(help: "Output: text or json.")
    var format: TextOrJSON = .text

    func run() throws {
        let summary = try ReportStep.run(try database.open(), range: try range.range())
        try printSummary(summary, format: format, text: AttributionText.report)
    }
}
