import ArgumentParser
import ForecastKit
import Foundation

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score a saved model (no retraining) on the month after its training cutoff, or on --month.",
        discussion: """
            Loads the model, computes every customer's features as of the month's first day from --data, \
            predicts, and prints the metrics of docs/evaluation.md over the customers with an event before that day: \
            deviance (mean Poisson deviance, the primary metric), RMSE, MAE, bias and top10_capture, beside the \
            baseline hist_rate for scale. The data must cover the month.

            Example: forecast evaluate --model default --data data/shop/transactions.csv --layout transactions
            """
    )

    @OptionGroup var source: MappingOptions
    @OptionGroup var quality: QualityOptions
    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "The saved model: NAME (its latest version) or NAME@VERSION.")
    var model: String

    @Option(help: "The month to score, YYYY-MM (default: the month after the model's training cutoff).")
    var month: String?

    @Option(help: "Output: table or json.")
    var format: Format = .table

    enum Format: String, ExpressibleByArgument { case table, json }

    /// One evaluation, as printed by `--format json`.
    struct Evaluation: Codable {
        var model: String
        var kind: String
        var month: String
        var customers: Int
        var actualEvents: Double
        var predictedEvents: Double
        var metrics: ForecastMetrics
        var baselineHistRate: ForecastMetrics
        var dataComplete: Bool
    }

    func parsedMonth() throws -> CivilDate? {
        guard let month else { return nil }
        guard let d = CivilDate(iso: month + "-01") else { throw ValidationError("--month must look like 2019-12, got '\(month)'") }
        return d
    }

    func validate() throws {
        _ = try parsedMonth()
        _ = try ModelReference(parsing: model)
    }

    func run() throws {
        try runReportingErrors {
            let saved = try loadModel(model, from: storeOptions.modelStore)
            let (_, events) = try loadEvents(source, quality, command: "evaluate")
            guard let trainedCutoff = CivilDate(iso: saved.training.cutoff) else {
                throw ModelStoreError.corrupt(path: model, reason: "training.cutoff '\(saved.training.cutoff)' is not a date")
            }
            // A cutoff in the middle of a month scores the next whole month.
            let start = try parsedMonth() ?? (trainedCutoff.day == 1 ? trainedCutoff : trainedCutoff.firstOfMonth(adding: 1))
            let c = start.dayNumber
            let end = start.firstOfMonth(adding: 1).dayNumber
            let complete = events.lastDay >= end - 1
            if !complete {
                printError("evaluate: warning: the data end on \(CivilDate(dayNumber: events.lastDay)), before the month's last day "
                           + "\(CivilDate(dayNumber: end - 1)): the actual counts are incomplete")
            }
            if c < trainedCutoff.dayNumber {
                printError("evaluate: warning: \(start) is before the model's training cutoff \(trainedCutoff): the model has seen this month")
            }
            let features = events.features(asOf: c)
            let predicted = try saved.model.predict(features, horizonDays: end - c)
            let baseline = try HistoricalRateForecaster().predict(features, horizonDays: end - c)
            let month = String(start.description.prefix(7))
            let result = Evaluation(
                model: "\(saved.name)@\(saved.version)", kind: saved.kind, month: month, customers: features.rowCount,
                actualEvents: features.nextMonthEvents.reduce(0, +), predictedEvents: predicted.reduce(0, +),
                metrics: ForecastMetrics.score(actual: features.nextMonthEvents, predicted: predicted),
                baselineHistRate: ForecastMetrics.score(actual: features.nextMonthEvents, predicted: baseline), dataComplete: complete)
            switch format {
            case .json: print(try IngestOutput.jsonText(result), terminator: "")
            case .table:
                print("\(result.model) (\(saved.kind), trained as of \(saved.training.asOf)) on \(month): "
                      + "\(result.customers) customers, \(Int(result.actualEvents)) events, \(String(format: "%.1f", result.predictedEvents)) predicted")
                print("| model | deviance | rmse | mae | bias | top10_capture |\n| --- | --- | --- | --- | --- | --- |")
                for (label, m) in [(result.model, result.metrics), ("hist_rate (baseline)", result.baselineHistRate)] {
                    print("| \(label) | " + [m.deviance, m.rmse, m.mae].map { String(format: "%.4f", $0) }.joined(separator: " | ")
                          + String(format: " | %+.4f | %.4f |", m.bias, m.top10Capture))
                }
            }
        }
    }
}
