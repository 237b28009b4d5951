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
    /// interval. By default from a negative binomial law around the predicted mean with
    /// ``dispersionSize`` (Poisson without one); models with a distribution of their own
    /// (BG/NBD, Pareto/NBD, MBG/NBD) use it.
    func predictive(_ features: FeatureMatrix, horizonDays: Int) throws -> [PredictiveSummary]
    /// The probability each row's predictive distribution gives to `counts[row]` (the
    /// backtest's log score and calibration read it): by default from the Poisson law of
    /// ``predictive(_:horizonDays:)``.
    func probabilities(of counts: [Int], _ features: FeatureMatrix, horizonDays: Int) throws -> [Double]
    /// What the last `fit` recorded per iteration (empty for models without iterations).
    var trainingLog: [TrainingLogEntry] { get }
    /// The size θ of the negative binomial law around the mean that the default
    /// ``predictive(_:horizonDays:)`` and ``probabilities(of:_:horizonDays:)`` use; nil for a
    /// Poisson law (the default).
    var dispersionSize: Double? { get }
}

extension Forecaster {
    /// Learns the parameters without reporting the iterations to anyone.
    public mutating func fit(panel: TrainingPanel?, events: EventLog, cutoff: Int) throws {
        try fit(panel: panel, events: events, cutoff: cutoff, observer: nil)
    }

    public func predictive(_ features: FeatureMatrix, horizonDays: Int) throws -> [PredictiveSummary] {
        let size = dispersionSize
        return try predict(features, horizonDays: horizonDays).map { CountDispersion.summary(mean: $0, size: size) }
    }

    public func probabilities(of counts: [Int], _ features: FeatureMatrix, horizonDays: Int) throws -> [Double] {
        let size = dispersionSize
        return try zip(predict(features, horizonDays: horizonDays), counts).map { CountDispersion.probability($1, mean: $0, size: size) }
    }

    public var dispersionSize: Double? { nil }

    public var trainingLog: [TrainingLogEntry] { [] }
}
