import ArgumentParser
import Attribution

struct AttributionExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Step 4: channel_reporting as CSV (or Parquet), with cpo = cost / ihc and roas = ihc_revenue / cost.",
        discussion: "A zero denominator leaves the field empty (undefined; null in Parquet). --from/--to select session dates."
    )

    @OptionGroup var database: AttributionDatabaseOption
    @OptionGroup var range: ConversionRangeOptions
    @Option(help: "The file to write: CSV, or Parquet when it ends in .parquet.")
    var out: String

    func run() throws {
        let rows = try ChannelExport.rows(try database.open(), dates: try range.range())
        if ParquetOutputs.isParquet(out) {
            try ParquetOutputs.writeChannelReport(rows, to: out)
        } else {
            try ChannelExport.write(rows, to: out)
        }
        print(AttributionText.export(rows, path: out))
    }
}
