import Analytics
import ArgumentParser
import ForecastKit
import Warehouse

struct WarehouseMartsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "marts",
        abstract: "Build the marts: daily customer summary, sales roll-ups, segments and the marketing audience.",
        discussion: """
            The marketing audience holds names, emails and phones: it is built only with --include-pii
            (and dropped otherwise). The segments and cluster profiles carry no personal data.

            After the first build, each `warehouse load` logs the orders it changes, and the next build \
            updates the daily summary and the sales roll-ups from those orders alone (the same rows as a \
            full build); --full rebuilds them from all the facts. The segments and the audience are computed \
            again every time (each new day moves every buyer's recency).

            With --db postgresql://..., every mart is computed inside PostgreSQL (in full: the server
            does the work) and the roles of `warehouse roles` are granted on the new tables.
            """
    )

    @OptionGroup var database: DatabaseOption
    @Flag(name: .customLong("include-pii"), help: "Also build mart_marketing_audience (personal data).")
    var includePII = false
    @Option(help: "Number of k-means clusters (default: chosen by silhouette over 2...8).")
    var clusters: Int?
    @Option(help: "Seed of the clustering.")
    var seed: UInt64 = 42
    @Option(name: .customLong("as-of"), help: "Recency is measured to this day, YYYY-MM-DD (default: the last order day).")
    var asOf: String?
    @Flag(name: .customLong("daily-spine"), help: "Daily summary on the full date spine (every day from a customer's first order), not active days only.")
    var dailySpine = false
    @Flag(help: "Rebuild the daily summary and the roll-ups from all the facts, not from the orders changed since the last build.")
    var full = false
    @Option(help: "Output: text or json.")
    var format: TextOrJSON = .text
    @Flag(help: "No progress lines on stderr.")
    var quiet = false

    func validate() throws {
        if let clusters, !(1...50).contains(clusters) { throw ValidationError("--clusters must be between 1 and 50") }
        if let asOf, CivilDate(iso: asOf) == nil { throw ValidationError("--as-of must be a date like 2019-12-31, got '\(asOf)'") }
    }

    func options() -> Marts.Options {
        var o = Marts.Options()
        o.audience.includePII = includePII
        o.audience.clusters = clusters
        o.audience.seed = seed
        o.audience.asOf = asOf
        o.dailySpine = dailySpine
        o.incremental = !full
        return o
    }

    func run() async throws {
        let warehouse = try database.backend(create: false)
        let summary = try await warehouse.buildMarts(options(), progress: progressLine(quiet: quiet))
        try await warehouse.logStep("marts", seconds: summary.seconds.values.reduce(0, +), source: nil, rowsIn: nil,
                              rowsOut: summary.customerDailyRows + summary.productRollupRows + summary.categoryRollupRows, detail: nil)
        switch format {
        case .json: print(try TextQuoting.jsonText(summary, pretty: true), terminator: "")
        case .text: print(WarehouseText.marts(summary))
        }
    }
}
