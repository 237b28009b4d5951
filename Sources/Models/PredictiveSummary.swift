import Foundation

/// One customer's forecast over the horizon.
public struct PredictiveSummary: Sendable, Equatable {
    /// The expected number of events.
    public var expected: Double
    /// The probability of no event.
    public var probabilityOfZero: Double
    /// The central 80% predictive interval: its ends are the 10% and 90% quantiles.
    public var interval80: ClosedRange<Int>
    /// The probability that the customer is still a customer (has not dropped out) at the
    /// cutoff, for the models that say (BG/NBD, Pareto/NBD, MBG/NBD); nil for the others.
    public var probabilityAlive: Double?
    /// The probability the law gives to ``interval80`` (at least 0.8; more, often much more,
    /// for a count that is nearly always 0): what a calibrated model's coverage should be. Nil when the summary was not built from a law.
    public var interval80Probability: Double?

    public init(expected: Double, probabilityOfZero: Double, interval80: ClosedRange<Int>, probabilityAlive: Double? = nil,
                interval80Probability: Double? = nil) {
        self.expected = expected
        self.probabilityOfZero = probabilityOfZero
        self.interval80 = interval80
        self.probabilityAlive = probabilityAlive
        self.interval80Probability = interval80Probability
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
        var belowLower = 0.0
        var k = 0
        while cumulative < 0.9, k < maxCount {
            k += 1
            let p = pmf(k)
            if lower < 0, cumulative + p >= 0.1 { lower = k; belowLower = cumulative }
            cumulative += p
        }
        return PredictiveSummary(expected: expected, probabilityOfZero: p0, interval80: max(0, lower)...k,
                                 interval80Probability: min(1, cumulative - belowLower))
    }
}

/// The predictive distribution of a count whose mean is a model's prediction, assuming a
/// Poisson law (the models without a distribution of their own use it).
public enum PoissonPredictive {
    /// P(N = 0) = e^(−μ).
    public static func probabilityOfZero(mean: Double) -> Double { exp(-max(0, mean)) }

    /// P(N = k) = e^(−μ) μ^k / k!.
    public static func probability(_ k: Int, mean: Double) -> Double {
        let mu = max(0, mean)
        guard k >= 0 else { return 0 }
        if mu == 0 { return k == 0 ? 1 : 0 }
        return exp(-mu + Double(k) * log(mu) - lgamma(Double(k) + 1))
    }

    /// The central 80% interval [10% quantile, 90% quantile].
    public static func interval80(mean: Double) -> ClosedRange<Int> { summary(mean: mean).interval80 }

    /// Expected count, P(0) and the 80% interval of a Poisson law with mean `mean`.
    @Sendable public static func summary(mean: Double) -> PredictiveSummary {
        let mu = max(0, mean)
        var p = exp(-mu)
        var last = 0
        return PredictiveSummary.fromDistribution(expected: mean) { k in
            while last < k { last += 1; p *= mu / Double(last) }
            return p
        }
    }
}
