import Features
import Foundation

/// What every model in the toolkit does: learn from the past, then give each customer an
/// expected number of events (transactions on distinct days) over a horizon.
///
/// The backtest calls `fit` once per cutoff with the training panel allowed for that cutoff
/// (origins whose target month ends on or before it) and the event log, and then `predict`
/// on the features as of the cutoff. A model must never look at events on or after the
/// cutoff; the panel and the feature matrix already enforce that for the inputs they carry.
public protocol Forecaster: Sendable {
    /// A short name used in reports and on the command line (`zero`, `last30`, ...).
    var name: String { get }
    /// Whether `fit` needs a training panel (baselines do not; building one costs time).
    var needsTrainingPanel: Bool { get }
    /// Learns the parameters. `cutoff` is the first day that must not be seen.
    mutating func fit(panel: TrainingPanel?, events: EventLog, cutoff: Int) throws
    /// Expected events per row of `features` over the next `horizonDays` days.
    func predict(_ features: FeatureMatrix, horizonDays: Int) throws -> [Double]
    /// Parameters and other facts worth showing.
    func describe() -> ModelDescription
}

/// A model's self-description: kind, parameters, notes.
public struct ModelDescription: Codable, Sendable, Equatable {
    public var kind: String
    public var parameters: [String: Double]
    public var notes: [String]

    public init(kind: String, parameters: [String: Double] = [:], notes: [String] = []) {
        self.kind = kind
        self.parameters = parameters
        self.notes = notes
    }
}

/// The predictive distribution of a count whose mean is a model's prediction, assuming a
/// Poisson law (the models without a distribution of their own use it).
public enum PoissonPredictive {
    /// P(N = 0) = e^(−μ).
    public static func probabilityOfZero(mean: Double) -> Double { exp(-max(0, mean)) }

    /// The smallest k with P(N ≤ k) ≥ q.
    public static func quantile(mean: Double, _ q: Double) -> Int {
        let mu = max(0, mean)
        var p = exp(-mu)
        var cumulative = p
        var k = 0
        while cumulative < q, k < 100_000 {
            k += 1
            p *= mu / Double(k)
            cumulative += p
        }
        return k
    }

    /// The central 80% interval [10% quantile, 90% quantile].
    public static func interval80(mean: Double) -> ClosedRange<Int> {
        quantile(mean: mean, 0.1)...quantile(mean: mean, 0.9)
    }
}
