import ArgumentParser
import Attribution

struct AttributionExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Step 4: channel_reporting as CSV, with cpo = cost / ihc and roas = ihc_revenue / cost.",
        discussion: "A zero denominator leaves the field empty (undefined). --from/--to select session dates."
    )

    @OptionGroup var database: AttributionDatabaseOption
    @OptionGroup var range: ConversionRangeOptions
    @Option(help: "The CSV file to write.")
    var out: String

    func run() throws {
        let rows = try ChannelExport.rows(try database.open(), dates: try range.range())
        try ChannelExport.write(rows, to: out)
        print(AttributionText.export(rows, path: out))
    }
}
