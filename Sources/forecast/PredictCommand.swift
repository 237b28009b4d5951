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
            predictive interval (10% and 90% quantiles). BG/NBD and Pareto/NBD use their own predictive \
            distribution; the other models a Poisson law around their expectation.

            Example: forecast predict --model default --data data/shop/transactions.csv --layout transactions --out predictions.csv
            """
    )

    @OptionGroup var source: MappingOptions
    @OptionGroup var quality: QualityOptions
    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "The saved model: NAME (its latest version) or NAME@VERSION.")
    var model: String

    @Option(help: "Output file: .csv or .json (an array of objects).")
    var out: String

    func validate() throws {
        _ = try ModelReference(parsing: model)
        guard out.hasSuffix(".csv") || out.hasSuffix(".json") else { throw ValidationError("--out must end in .csv or .json, got '\(out)'") }
    }

    func run() throws {
        let saved = try loadModel(model, from: storeOptions.modelStore)
        let (_, events) = try loadEvents(source, quality, command: "predict")
        let cutoff = try cutoffDay(asOf: quality.asOf, events: events)
        let horizon = ModelTraining.horizonDays(from: cutoff)
        let began = DispatchTime.now().uptimeNanoseconds
        let features = events.features(asOf: cutoff)
        let summaries = try saved.model.predictive(features, horizonDays: horizon)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
        let w = try ByteWriter(path: out)
        let json = out.hasSuffix(".json")
        w.text(json ? "[\n" : "customer_id,expected_events,p_zero,lower_80,upper_80\n")
        for (r, s) in summaries.enumerated() {
            let id = events.customerIDs[Int(features.customers[r])]
            // The shortest decimal that reads back to the same double: files and services agree exactly.
            let numbers = [String(s.expected), String(s.probabilityOfZero),
                           String(s.interval80.lowerBound), String(s.interval80.upperBound)]
            if json {
                w.text("{\"customer_id\":\(IngestOutput.jsonQuoted(id)),\"expected_events\":\(numbers[0]),\"p_zero\":\(numbers[1]),"
                       + "\"lower_80\":\(numbers[2]),\"upper_80\":\(numbers[3])}" + (r + 1 < summaries.count ? ",\n" : "\n"))
            } else {
                w.field(id)
                w.text("," + numbers.joined(separator: ",") + "\n")
            }
        }
        if json { w.text("]\n") }
        try w.close()
        let total = summaries.reduce(0) { $0 + $1.expected }
        print("\(saved.name)@\(saved.version) (\(saved.kind)): \(summaries.count) customers, "
              + "\(String(format: "%.1f", total)) events expected from \(CivilDate(dayNumber: cutoff)) over \(horizon) days; "
              + "wrote \(out) (features and predictions in \(String(format: "%.2f", seconds)) s)")
    }
}
