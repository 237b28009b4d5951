import Core
import Features
import Foundation
import Models

/// Why a backtest row could not be scored, beyond the model's own errors.
public enum BacktestError: Error, Equatable, CustomStringConvertible {
    case wrongPredictionCount(model: String, rows: Int, predictions: Int)

    public var description: String {
        switch self {
        case .wrongPredictionCount(let m, let rows, let n): return "\(m): \(n) predictions for \(rows) customers"
        }
    }
}

/// The rolling-origin protocol of docs/evaluation.md: for each cutoff c (a month start), every
/// customer with an event before c is scored on the number of events in [c, next month);
/// supervised models train on the origins from `firstOrigin` to c − 1 month (so no target
/// month reaches past c); nothing about the scored month reaches any model.
public struct RollingOriginBacktest: Sendable {
    public var cutoffs: [CivilDate]
    /// The first training origin; default the first month start after the log's first day.
    public var firstOrigin: CivilDate?

    public init(cutoffs: [CivilDate], firstOrigin: CivilDate? = nil) {
        self.cutoffs = cutoffs
        self.firstOrigin = firstOrigin
    }

    /// Month starts from `first` to `last` inclusive.
    public static func monthStarts(from first: CivilDate, through last: CivilDate) -> [CivilDate] {
        var result: [CivilDate] = []
        var d = first.firstOfMonth()
        while d <= last { result.append(d); d = d.firstOfMonth(adding: 1) }
        return result
    }

    /// One model fitted at one cutoff, with its forecasts: what `run` shows to `inspect`.
    public struct Fit {
        public var cutoff: CivilDate
        /// The position of the cutoff in ``RollingOriginBacktest/cutoffs`` and of the model in the
        /// list given to `run`: a model that fails at a cutoff has no `Fit`, so order alone
        /// would not say which is which.
        public var cutoffIndex: Int
        public var modelIndex: Int
        public var model: any Forecaster
        public var features: FeatureMatrix
        public var predicted: [Double]
        /// Each customer's predictive summary (expected count, P(0), 80% interval).
        public var predictive: [PredictiveSummary]
    }

    /// Runs every model at every cutoff; rows in cutoff order, models in the given order.
    /// `inspect` sees each fitted model and its forecasts (for plots that need more than the metrics).
    ///
    /// A model that throws while it fits or predicts at a cutoff gets a failed row (NaN
    /// metrics, the error's description in ``BacktestRow/error``) and the run goes on with the
    /// other models and cutoffs; `progress` is told. Errors of `inspect` still stop the run.
    public func run(events: EventLog, models: [any Forecaster], progress: (String) -> Void = { _ in },
                    inspect: (Fit) throws -> Void = { _ in }) throws -> [BacktestRow] {
        let origin = firstOrigin ?? CivilDate(dayNumber: events.firstDay).firstOfMonth(adding: 1)
        var rows: [BacktestRow] = []
        for (cutoffIndex, cutoff) in cutoffs.enumerated() {
            let c = cutoff.dayNumber
            let horizon = MonthHorizon.daysToNextMonthStart(from: c)
            let features = events.features(asOf: c)
            let panel = models.contains(where: \.needsTrainingPanel)
                ? TrainingPanel(events: events, origins: TrainingPanel.origins(from: origin, cutoff: cutoff)) : nil
            for (modelIndex, template) in models.enumerated() {
                var model = template
                let t0 = DispatchTime.now().uptimeNanoseconds
                let predicted: [Double]
                let predictive: [PredictiveSummary]
                let probabilities: [Double]
                let t1: UInt64
                do {
                    try model.fit(panel: panel, events: events, cutoff: c)
                    t1 = DispatchTime.now().uptimeNanoseconds
                    // The summaries' expected counts are the model's predictions.
                    predictive = try model.predictive(features, horizonDays: horizon)
                    predicted = predictive.map(\.expected)
                    probabilities = try model.probabilities(of: features.nextMonthEvents.map { Int($0) }, features, horizonDays: horizon)
                    guard predicted.count == features.rowCount, predictive.count == features.rowCount,
                          probabilities.count == features.rowCount else {
                        throw BacktestError.wrongPredictionCount(model: model.name, rows: features.rowCount, predictions: predicted.count)
                    }
                } catch {
                    let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
                    rows.append(.failed(model: template.name, cutoff: cutoff.description, customers: features.rowCount,
                                        fitSeconds: seconds, reason: "\(error)"))
                    progress("cutoff \(cutoff): \(template.name) failed: \(error)")
                    continue
                }
                let t2 = DispatchTime.now().uptimeNanoseconds
                let m = ForecastMetrics.score(actual: features.nextMonthEvents, predicted: predicted)
                let intervals = IntervalMetrics.score(actual: features.nextMonthEvents, predictive: predictive,
                                                      probabilities: probabilities)
                rows.append(BacktestRow(model: model.name, cutoff: cutoff.description, customers: features.rowCount,
                                        deviance: m.deviance, rmse: m.rmse, mae: m.mae, bias: m.bias, top10Capture: m.top10Capture,
                                        coverage80: intervals.coverage80, nominal80: intervals.nominal80, logScore: intervals.logScore,
                                        fitSeconds: Double(t1 - t0) / 1e9, predictSeconds: Double(t2 - t1) / 1e9))
                try inspect(Fit(cutoff: cutoff, cutoffIndex: cutoffIndex, modelIndex: modelIndex, model: model,
                                features: features, predicted: predicted, predictive: predictive))
            }
            progress("cutoff \(cutoff): \(features.rowCount) customers, \(Int(features.nextMonthEvents.reduce(0, +))) events in the month")
        }
        return rows
    }

    /// The mean of each metric per model over the cutoffs, in first-appearance order. A model
    /// that failed at some cutoffs is averaged over the others, and its mean row's
    /// ``BacktestRow/error`` says at how many it failed; one that failed everywhere has NaN means.
    public static func means(_ rows: [BacktestRow]) -> [BacktestRow] {
        var order: [String] = []
        var groups: [String: [BacktestRow]] = [:]
        for r in rows {
            if groups[r.model] == nil { order.append(r.model) }
            groups[r.model, default: []].append(r)
        }
        return order.map { name in
            let all = groups[name] ?? []
            let scored = all.filter { $0.error == nil }
            let g = scored.isEmpty ? all : scored
            func mean(_ f: (BacktestRow) -> Double) -> Double {
                scored.isEmpty ? .nan : g.map(f).reduce(0, +) / Double(g.count)
            }
            let failed = all.count - scored.count
            let note: String? = failed == 0 ? nil
                : scored.isEmpty ? "failed at every cutoff (\(failed))" : "failed at \(failed) of \(all.count) cutoffs; the mean of the others"
            return BacktestRow(model: name, cutoff: "mean", customers: Int((g.map { Double($0.customers) }.reduce(0, +) / Double(max(1, g.count))).rounded()),
                               deviance: mean(\.deviance), rmse: mean(\.rmse), mae: mean(\.mae), bias: mean(\.bias),
                               top10Capture: mean(\.top10Capture), coverage80: mean(\.coverage80), nominal80: mean(\.nominal80), logScore: mean(\.logScore),
                               fitSeconds: mean(\.fitSeconds), predictSeconds: mean(\.predictSeconds),
                               error: note)
        }
    }
}
