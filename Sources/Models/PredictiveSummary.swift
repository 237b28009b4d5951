import Foundation

/// One customer's forecast over the horizon.
public struct PredictiveSummary: Sendable, Equatable {
    /// The expected number of events.
    public var expected: Double
    /// The probability of no event.
    public var probabilityOfZero: Double
    /// The central 80% predictive interval: its ends are the 10% and 90% quantiles.
    public var interval80: ClosedRange<Int>

    public init(expected: Double, probabilityOfZero: Double, interval80: ClosedRange<Int>) {
        self.expected = expected
        self.probabilityOfZero = probabilityOfZero
        self.interval80 = interval80
    }

    /// The summary of a distribution whose probabilities come in tables: `table(n)` returns
    /// P(0) ... P(m) for some m ≥ n, and is asked again, for a longer one, only when the
    /// cumulative probability has not reached 90% by its end.
    public static func fromProbabilityTable(expected: Double, _ table: (Int) -> [Double]) -> PredictiveSummary {
        var probabilities: [Double] = []
        return fromDistribution(expected: expected) { k in
            if k >= probabilities.count { probabilities = table(max(2 * k, 8)) }
            return probabilities[k]
        }
    }

    /// The summary of a count distribution given by its probabilities P(0), P(1), ...
    /// (`pmf(k)`), read until the cumulative probability reaches 90%.
    public static func fromDistribution(expected: Double, maxCount: Int = 100_000, _ pmf: (Int) -> Double) -> PredictiveSummary {
        let p0 = pmf(0)
        var cumulative = p0
        var lower = cumulative >= 0.1 ? 0 : -1
        var k = 0
        while cumulative < 0.9, k < maxCount {
            k += 1
            cumulative += pmf(k)
            if lower < 0, cumulative >= 0.1 { lower = k }
        }
        return PredictiveSummary(expected: expected, probabilityOfZero: p0, interval80: max(0, lower)...k)
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

    /// Expected count, P(0) and the 80% interval of a Poisson law with mean `mean`.
    @Sendable public static func summary(mean: Double) -> PredictiveSummary {
        PredictiveSummary(expected: mean, probabilityOfZero: probabilityOfZero(mean: mean), interval80: interval80(mean: mean))
    }
}
