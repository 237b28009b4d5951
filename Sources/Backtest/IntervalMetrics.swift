import Foundation
import Models

/// The scores of the predictive distributions (docs/evaluation.md): how often the actual count
/// falls inside the 80% interval, and the log score.
public struct IntervalMetrics: Codable, Sendable, Equatable {
    /// The share of customers whose actual count lies inside their central 80% interval. The
    /// counts are discrete, so an interval holds at least 80% of its law and often more (one
    /// that is [0, 0] holds P(0), which is above 90% for most customers of most shops):
    /// a calibrated model scores at or somewhat above 0.8; far above means intervals too wide,
    /// below 0.8 too narrow.
    public var coverage80: Double
    /// The mean of −log P(actual) (lower is better), each probability floored at
    /// ``probabilityFloor`` so that one impossible outcome cannot make the mean infinite.
    public var logScore: Double
    /// The mean probability each customer's law gives to their own interval: the coverage a
    /// calibrated model would have (NaN when the summaries do not say).
    public var nominal80: Double

    /// The smallest probability the log score takes (a score of about 34.5 nats per customer).
    public static let probabilityFloor = 1e-15

    /// Scores the intervals and probabilities of the actual counts (one per customer, same order).
    public static func score(actual: [Double], predictive: [PredictiveSummary], probabilities: [Double]) -> IntervalMetrics {
        let n = min(actual.count, predictive.count, probabilities.count)
        guard n > 0 else { return IntervalMetrics(coverage80: .nan, logScore: .nan, nominal80: .nan) }
        var inside = 0, logSum = 0.0, nominal = 0.0
        for i in 0..<n {
            let y = actual[i]
            let interval = predictive[i].interval80
            if y >= Double(interval.lowerBound) && y <= Double(interval.upperBound) { inside += 1 }
            nominal += predictive[i].interval80Probability ?? .nan
            let p = probabilities[i]
            logSum -= log(p.isFinite ? max(p, probabilityFloor) : probabilityFloor)
        }
        return IntervalMetrics(coverage80: Double(inside) / Double(n), logScore: logSum / Double(n), nominal80: nominal / Double(n))
    }
}
