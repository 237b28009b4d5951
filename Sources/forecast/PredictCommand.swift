import ArgumentParser
import Backtest
import ForecastKit
import Foundation

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Forecast every customer's events in the month after --as-of with a saved model.",
        discussion: """
            Features are computed from the events up to and including --as-of (default: the data's last day). \
            For each customer with an event by then: the expected number of events (distinct purchase days) \
            from the next day to the same day a month later, the probability of none, and the central 80% \
            predictive interval (10% and 90% quantiles). BG/NBD, Pareto/NBD and MBG/NBD use their own predictive \
            distribution and add p_alive, the probability that the customer has not dropped out; the other \
            models a negative binomial law around their expectation, with the dispersion fitted on their \
            training rows (Poisson when the model has none).

            Example: forecast predict --model default --data data/shop/transactions.csv --layout transactions --out predictions.csv
            """
    )

    @OptionGroup var source: MappingOptions
    @OptionGroup var quality: QualityOptions
    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "The saved model: NAME (its latest version) or NAME@VERSION.")
    var model: String

    @Option(help: "Output file: .csv, .json (an array of objects) or .parquet.")
    var out: String

    func validate() throws {
        _ = try ModelReference(parsing: model)
        guard out.hasSuffix(".csv") || out.hasSuffix(".json") || ParquetOutputs.isParquet(out) else {
            throw ValidationError("--out must end in .csv, .json or .parquet, got '\(out)'")
        }
    }

    func run() throws {
        let model = try loadModel(self.model, from: storeOptions.modelStore)
        let (_, events) = try loadEvents(source, quality, command: "predict")
        let cutoff = try cutoffDay(asOf: quality.asOf, events: events)
        let horizon = ForecastModel.horizonDays(from: cutoff)
        let began = DispatchTime.now().uptimeNanoseconds
        let forecasts = try model.forecastKnownCustomers(events, cutoff: cutoff, horizonDays: horizon)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
        if ParquetOutputs.isParquet(out) {
            try ParquetOutputs.writeForecasts(forecasts, to: out)
        } else {
            try ForecastFile.write(forecasts, to: out, format: out.hasSuffix(".json") ? .json : .csv)
        }
        let total = forecasts.reduce(0) { $0 + ($1.prediction?.expected ?? 0) }
        print("\(model.name)@\(model.version) (\(model.kind)): \(forecasts.count) customers, "
              + "\(String(format: "%.1f", total)) events expected from \(CivilDate(dayNumber: cutoff)) over \(horizon) days; "
              + "wrote \(out) (features and predictions in \(String(format: "%.2f", seconds)) s)")
    }
}
