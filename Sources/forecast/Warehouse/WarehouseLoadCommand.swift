import Analytics
import ArgumentParser
import ForecastKit
import Warehouse

struct WarehouseLoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Load a shop's files into the warehouse (one transaction; idempotent; upserts on business keys).",
        discussion: """
            The files get the data-quality checks of `forecast ingest` (rows read = accepted + rejected;
            duplicate keys and orphans rejected with reasons). Accepted rows replace the staging tables,
            then dim_customer, dim_product, dim_date, fct_orders and fct_order_lines are upserted.
            Loading the same files again changes nothing; a later day's files add what is new.
            With --db postgresql://..., the rows go to the staging tables by COPY and are upserted
            inside PostgreSQL, with the same counts.
            """
    )

    @OptionGroup var source: ShopSourceOptions
    @OptionGroup var database: DatabaseOption

    @Option(help: "Write rejects.csv, quality.json and quality.md to this folder.")
    var qualityOut: String?

    @Option(help: "Output: text or json.")
    var format: TextOrJSON = .text

    @Flag(help: "No progress lines on stderr.")
    var quiet = false

    func run() async throws {
        let progress = progressLine(quiet: quiet)
        progress?("reading \(source.source)")
        let tables = try source.read()
        if let qualityOut { try IngestOutput.writeQuality(tables.ingestResult(rules: try source.quality.rules()), to: qualityOut) }
        let warehouse = try database.backend(create: true)
        let summary = try await warehouse.load(tables, progress: progress)
        try await warehouse.logStep("load", seconds: summary.seconds, source: source.source,
                              rowsIn: summary.tables.reduce(0) { $0 + $1.staged },
                              rowsOut: summary.tables.reduce(0) { $0 + $1.inserted + $1.updated }, detail: nil)
        switch format {
        case .json: print(try TextQuoting.jsonText(LoadOutput(quality: tables.tableQuality, load: summary), pretty: true), terminator: "")
        case .text:
            for t in tables.tableQuality {
                print("\(t.table): read \(t.rowsRead), accepted \(t.rowsAccepted), rejected \(t.rowsRejected)")
            }
            print(WarehouseText.load(summary, database: warehouse.name))
        }
    }

    struct LoadOutput: Encodable {
        var quality: [TableQuality]
        var load: LoadSummary
    }
}
