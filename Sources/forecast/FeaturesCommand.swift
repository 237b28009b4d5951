import ArgumentParser
import ForecastKit
import Foundation

struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Write every customer's features as of a cutoff day (the model inputs), with next month's events.",
        discussion: """
            One row per customer with an event before --cutoff: customer_id, the features (definitions in \
            docs/features.md) and next_month_events, the events in [cutoff, first day of the next month): \
            the forecasting target when --cutoff is a month start. The features read only events before --cutoff.

            --as-of keeps its ingestion meaning (timestamps after it are rejected as future), as for `forecast ingest`.

            Example: forecast features --data CDNOW_master.txt --layout cdnow --cutoff 1998-01-01 --out f.csv
            """
    )

    @OptionGroup var source: MappingOptions
    @OptionGroup var quality: QualityOptions

    @Option(name: .customLong("cutoff"), help: "The cutoff day (YYYY-MM-DD): features read only events before it.")
    var cutoff: String

    @Option(help: "Output file: .csv, or .parquet (typed columns, missing features as null).")
    var out: String

    func validate() throws {
        guard CivilDate(iso: cutoff) != nil else { throw ValidationError("--cutoff must be a date like 1998-01-01, got '\(cutoff)'") }
    }

    func run() throws {
        let result = try ingest(source, quality)
        let events = EventLog(result.log)
        let began = Date()
        let m = events.features(asOf: CivilDate(iso: cutoff)!.dayNumber, threads: quality.threadCount)
        let seconds = Date().timeIntervalSince(began)
        if ParquetOutputs.isParquet(out) {
            try ParquetOutputs.writeFeatures(m, customerIDs: events.customerIDs, to: out)
        } else {
            try writeCSV(m, customerIDs: events.customerIDs)
        }
        print("wrote \(m.rowCount) customers x \(m.names.count) features as of \(cutoff) to \(out) "
              + "(features computed in \(String(format: "%.3f", seconds)) s)")
    }

    private func writeCSV(_ m: FeatureMatrix, customerIDs: [String]) throws {
        let w = try ByteWriter(path: out)
        w.text((["customer_id"] + m.names + ["next_month_events"]).joined(separator: ","))
        w.newline()
        for r in 0..<m.rowCount {
            w.field(customerIDs[Int(m.customers[r])])
            for f in m.names.indices {
                w.byte(44)
                let v = m.columns[f][r]
                if !v.isNaN { w.text(v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)) }
            }
            w.byte(44)
            w.int(Int(m.nextMonthEvents[r]))
            w.newline()
        }
        try w.close()
    }
}
