import Foundation

/// The Poisson deviance, the toolkit's one measure of a count forecast: docs/evaluation.md's
/// primary metric, the booster's training and validation curves, the blend's weighting
/// objective.
///
/// For an observed count y and a predicted mean μ the unit deviance is
///
///     d(y, μ) = 2 · (y · log(y / μ) − y + μ)
///
/// with the convention 0 · log 0 = 0 (a row with no event contributes 2μ), and the mean
/// deviance is Σ d / n over the rows in order (n at least 1).
///
/// Predictions are clipped below at a floor before use, so a zero prediction of a positive
/// count costs a large but finite amount. The floor is a parameter because the users'
/// committed numbers were computed with different ones: the metric clips at 1e-9
/// (docs/evaluation.md); the blend's weighting clips the combined prediction at 1e-12, the same
/// clip its EM update divides by.
///
/// The booster holds log μ (its raw score, capped at 30) rather than μ, and computes
/// y · (log y − log μ) instead of y · log(y / μ): the same quantity rounded differently, so
/// it has its own entry point, ``unit(actual:logMean:mean:)``, and no floor (its μ = e^score
/// enters only as the `− y + μ` term).
public enum PoissonDeviance {
    /// d(y, μ) with μ = max(`predicted`, `floor`).
    @inline(__always)
    public static func unit(actual y: Double, predicted: Double, floor: Double) -> Double {
        let mu = Swift.max(predicted, floor)
        return 2 * ((y > 0 ? y * log(y / mu) : 0) - y + mu)
    }

    /// d(y, μ) for a log-link model that has both log μ (`logMean`) and μ (`mean`):
    /// 2 · (y · (log y − log μ) − y + μ).
    @inline(__always)
    public static func unit(actual y: Double, logMean: Double, mean: Double) -> Double {
        2 * ((y > 0 ? y * (log(y) - logMean) : 0) - y + mean)
    }

    /// The mean deviance of `predicted` against `actual` (one prediction per observation),
    /// predictions clipped below at `floor`.
    public static func mean(actual: [Double], predicted: [Double], floor: Double) -> Double {
        precondition(actual.count == predicted.count, "one prediction per observation")
        var total = 0.0
        for i in actual.indices { total += unit(actual: actual[i], predicted: predicted[i], floor: floor) }
        return total / Double(Swift.max(1, actual.count))
    }
}
