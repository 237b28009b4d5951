import Features
import Foundation

/// What every model in the toolkit does: learn from the past, then give each customer an
/// expected number of events (transactions on distinct days) over a horizon.
///
/// The backtest calls `fit` once per cutoff with the training panel allowed for that cutoff
/// (origins whose target month ends on or before it) and the event log, and then `predict`
/// on the features as of the cutoff. A model must never look at events on or after the
/// cutoff; the panel and the feature matrix already enforce that for the inputs they carry.
///
/// Every model is `Codable`: its encoded form is the `model` member of a saved model (see
/// docs/model-store.md), and decoding it gives a model that predicts exactly as before.
public protocol Forecaster: Sendable, Codable {
    /// A short name used in reports and on the command line (`zero`, `last30`, ...).
    var name: String { get }
    /// Whether `fit` needs a training panel (baselines do not; building one costs time).
    var needsTrainingPanel: Bool { get }
    /// Learns the parameters. `cutoff` is the first day that must not be seen. `observer`,
    /// when given, receives each iteration as the model records it (a blend passes it on to
    /// its components).
    mutating func fit(panel: TrainingPanel?, events: EventLog, cutoff: Int, observer: TrainingObserver?) throws
    /// Expected events per row of `features` over the next `horizonDays` days.
    func predict(_ features: FeatureMatrix, horizonDays: Int) throws -> [Double]
    /// Parameters and other facts worth showing.
    func describe() -> ModelDescription
    /// Per-customer predictive summaries: the expected count, P(0) and the central 80%
    /// interval. By default from a Poisson law with the predicted mean; models with a
    /// distribution of their own (BG/NBD, Pareto/NBD) use it.
    func predictive(_ features: FeatureMatrix, horizonDays: Int) throws -> [PredictiveSummary]
    /// What the last `fit` recorded per iteration (empty for models without iterations).
    var trainingLog: [TrainingLogEntry] { get }
}

extension Forecaster {
    /// Learns the parameters without reporting the iterations to anyone.
    public mutating func fit(panel: TrainingPanel?, events: EventLog, cutoff: Int) throws {
        try fit(panel: panel, events: events, cutoff: cutoff, observer: nil)
    }

    public func predictive(_ features: FeatureMatrix, horizonDays: Int) throws -> [PredictiveSummary] {
        try predict(features, horizonDays: horizonDays).map { PoissonPredictive.summary(mean: $0) }
    }

    public var trainingLog: [TrainingLogEntry] { [] }
}
