import ArgumentParser
import Backtest
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
        let model = try loadModel(self.model, from: storeOptions.modelStore)
        let (_, events) = try loadEvents(source, quality, command: "evaluate")
        let trainedCutoff = CivilDate(dayNumber: model.cutoff)
        let month = try parsedMonth() ?? MonthEvaluation.defaultMonth(trainedCutoff: trainedCutoff)
        for warning in MonthEvaluation.warnings(month: month, trainedCutoff: trainedCutoff, lastDay: events.lastDay) {
            printError("evaluate: warning: \(warning)")
        }
        let features = model.features(from: events, cutoff: month.dayNumber).matrix
        let predicted = try model.expectedEvents(features, horizonDays: MonthHorizon.daysToNextMonthStart(from: month.dayNumber))
        let result = try MonthEvaluation.score(model: "\(model.name)@\(model.version)", kind: model.kind, month: month,
                                               features: features, predicted: predicted, lastDay: events.lastDay)
        switch format {
        case .json: print(try TextQuoting.jsonText(result), terminator: "")
        case .table:
            print("\(result.model) (\(model.kind), trained as of \(model.saved.training.asOf)) on \(result.month): "
                  + "\(result.customers) customers, \(Int(result.actualEvents)) events, \(String(format: "%.1f", result.predictedEvents)) predicted")
            print("| model | deviance | rmse | mae | bias | top10_capture |\n| --- | --- | --- | --- | --- | --- |")
            for (label, m) in [(result.model, result.metrics), ("hist_rate (baseline)", result.baselineHistRate)] {
                print("| \(label) | " + [m.deviance, m.rmse, m.mae].map { String(format: "%.4f", $0) }.joined(separator: " | ")
                      + String(format: " | %+.4f | %.4f |", m.bias, m.top10Capture))
            }
        }
    }
}
