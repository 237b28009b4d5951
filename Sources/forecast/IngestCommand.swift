import ArgumentParser
import ForecastKit
import Foundation

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Read transactions, check their quality, and build the transaction log.",
        discussion: """
            Examples:
              forecast ingest --data CDNOW_master.txt --layout cdnow --format json
              forecast ingest --data data/shop --layout shop --out data/ingested
              forecast ingest --data big.csv --layout transactions --out data/ingested --log-format parquet
              forecast ingest --data sales.csv --customer-col cust --time-col ts --amount-col total --delimiter ';'
            Rows read = rows accepted + rows rejected, always; rejected rows go to rejects.csv with
            line, column and reason. Exit code 1 when the input cannot be read, when --on-bad-row fail
            meets a bad row, or when no row is accepted.
            """
    )

    @OptionGroup var source: MappingOptions
    @OptionGroup var quality: QualityOptions

    @Option(help: "Folder for transactions.csv (or .parquet), rejects.csv, quality.json and quality.md.")
    var out: String?

    @Option(name: .customLong("log-format"), help: "The normalized log in --out: csv or parquet (typed columns, Snappy).")
    var logFormat: LogFormat = .csv

    enum LogFormat: String, ExpressibleByArgument { case csv, parquet }

    @Option(help: "Output on stdout: text or json (one JSON object).")
    var format: OutputFormat = .text

    enum OutputFormat: String, ExpressibleByArgument { case text, json }

    func run() throws {
        let result = try ingest(source, quality)
        var logFile = "transactions.csv"
        if let out {
            if logFormat == .parquet {
                logFile = "transactions.parquet"
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                let began = DispatchTime.now().uptimeNanoseconds
                let written = try ParquetOutputs.writeLog(result.log, to: out + "/" + logFile)
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
                printError("ingest: wrote \(out)/\(logFile): \(written.rows) rows in \(written.rowGroups) row groups, "
                           + "\(written.bytes) bytes, in \(String(format: "%.2f", seconds)) s")
                try IngestOutput.writeQuality(result, to: out)
            } else {
                try IngestOutput.write(result, to: out)
            }
        }
        let summary = IngestSummary(result.report)
        switch format {
        case .json: print(try TextQuoting.jsonText(summary, pretty: false))
        case .text: printSummary(summary, result.report, out: out, logFile: logFile)
        }
        if summary.rowsAccepted == 0 {
            printError("forecast: no row was accepted; see the rejects\(out.map { " in \($0)/rejects.csv" } ?? "")")
            throw ExitCode(1)
        }
    }

    private func printSummary(_ s: IngestSummary, _ r: QualityReport, out: String?, logFile: String) {
        print("read \(s.rowsRead) rows: \(s.rowsAccepted) accepted, \(s.rowsRejected) rejected")
        for t in r.tables where t.rowsRejected > 0 {
            print("  \(t.table): " + t.rejectsByCategory.map { "\($0.count) \($0.label)" }.joined(separator: ", "))
        }
        if let f = s.timestampFormat { print("timestamp format: \(f)\(s.timestampFormatDetected ? " (detected)" : "")") }
        print("log: \(s.transactionRows) rows, \(s.customers) customers, \(s.products) products, \(s.orders) orders, \(s.events) events (customer-days)")
        print("dates: \(s.firstDay ?? "-") .. \(s.lastDay ?? "-")")
        var warnings: [String] = []
        if s.duplicateRows > 0 { warnings.append("\(s.duplicateRows) duplicate rows") }
        if s.excludedByStatus > 0 { warnings.append("\(s.excludedByStatus) rows excluded by status") }
        if r.log.futureTimestamps > 0 { warnings.append("\(r.log.futureTimestamps) timestamps after \(r.log.asOfDay)") }
        if r.log.farOutsideRange > 0 { warnings.append("\(r.log.farOutsideRange) timestamps far outside \(r.log.typicalRange.joined(separator: " .. "))") }
        if r.log.zeroAmountRows > 0 { warnings.append("\(r.log.zeroAmountRows) zero amounts") }
        if r.log.outlierCustomers > 0 { warnings.append("\(r.log.outlierCustomers) customers with > \(r.log.outlierThresholdEvents) events") }
        if !warnings.isEmpty { print("warnings: " + warnings.joined(separator: ", ")) }
        if let out { print("wrote \(out)/\(logFile), rejects.csv, quality.json, quality.md") }
    }
}

/// Ingests according to the mapping flags (flat file or shop folder).
func ingest(_ source: MappingOptions, _ quality: QualityOptions) throws -> IngestResult {
    try source.requireData()
    let rules = try quality.rules()
    if try source.knownLayout() == .shop {
        return try ShopIngest.read(directory: source.data, rules: rules, policy: quality.onBadRow,
                                   excludedStatuses: try source.columnMapping().excludedStatuses, threads: quality.threadCount)
    }
    let result = try TransactionIngest.flat(path: source.data, mapping: try source.columnMapping(),
                                            layoutName: source.layout ?? "custom", rules: rules,
                                            policy: quality.onBadRow, threads: quality.threadCount)
    // Findings that cost no row but change what the numbers mean, with the flag that settles them.
    if let warning = result.report.unmappedStatusWarning, let column = result.report.unmappedStatusColumn {
        printError("warning: \(warning) (map it with --status-col \(TextQuoting.csv(column)))")
    }
    return result
}
