import Foundation
import Models

/// The scores of docs/evaluation.md for one set of forecasts.
public struct ForecastMetrics: Codable, Sendable, Equatable {
    /// Mean Poisson deviance, predictions clipped at 1e-9, 0·log 0 = 0: the primary metric.
    public var deviance: Double
    public var rmse: Double
    /// Mean absolute error (rewards the median, so predicting 0 wins it on sparse months).
    public var mae: Double
    /// sum(predicted) / sum(actual) − 1; NaN when nothing happened.
    public var bias: Double
    /// Share of the actual events made by the 10% of customers with the highest predictions,
    /// ties at the cut-off split pro rata (a constant forecast scores 0.10); NaN when nothing happened.
    public var top10Capture: Double

    /// The floor predictions are clipped at for the deviance (docs/evaluation.md).
    static let predictionFloor = 1e-9

    /// Scores `predicted` against `actual` (same length, one entry per customer).
    public static func score(actual y: [Double], predicted p: [Double]) -> ForecastMetrics {
        precondition(y.count == p.count, "one prediction per customer")
        let n = Double(max(1, y.count))
        let deviance = PoissonDeviance.mean(actual: y, predicted: p, floor: predictionFloor)
        var sq = 0.0, abs = 0.0, sumY = 0.0, sumP = 0.0
        for i in y.indices {
            let yi = y[i]
            let e = p[i] - yi
            sq += e * e
            abs += Swift.abs(e)
            sumY += yi
            sumP += p[i]
        }
        return ForecastMetrics(deviance: deviance, rmse: (sq / n).squareRoot(), mae: abs / n,
                               bias: sumY > 0 ? sumP / sumY - 1 : .nan,
                               top10Capture: topShare(actual: y, predicted: p, fraction: 0.1))
    }

    /// Share of the actual total made by the `fraction` of customers with the highest
    /// predictions; customers tied with the last one taken count pro rata.
    public static func topShare(actual y: [Double], predicted p: [Double], fraction: Double) -> Double {
        let total = y.reduce(0, +)
        guard total > 0, !y.isEmpty else { return .nan }
        let k = fraction * Double(y.count)
        let sorted = p.sorted(by: >)
        let threshold = sorted[Swift.max(0, Int(k.rounded(.up)) - 1)]
        var above = 0.0, atSum = 0.0, nAbove = 0, nAt = 0
        for i in p.indices {
            if p[i] > threshold { above += y[i]; nAbove += 1 } else if p[i] == threshold { atSum += y[i]; nAt += 1 }
        }
        return (above + (k - Double(nAbove)) / Double(nAt) * atSum) / total
    }
}
