import Foundation

/// The negative binomial law around a model's mean, for the models that predict only a mean
/// (the GLM, the booster, the blend): N ~ NB(mean μ, size θ), Var N = μ + μ²/θ.
///
/// A Poisson law around the mean treats every customer's rate as known exactly, so its
/// intervals are too narrow: two customers with the same forecast differ in ways no feature
/// shows. The size θ is fitted by maximum likelihood on training rows (actual counts beside
/// the model's forecasts of them); a fit that runs to the upper end (no overdispersion)
/// means Poisson.
public enum CountDispersion {
    /// The range of θ searched; at the top the law is Poisson to four digits for any mean
    /// a customer has.
    static let sizeRange = (lower: 1e-3, upper: 1e4)
    /// At most this many rows enter the fit (every k-th row; the fit is one number).
    static let maxRows = 200_000

    /// log P(N = k) under NB(μ, θ).
    public static func logProbability(_ k: Int, mean: Double, size theta: Double) -> Double {
        guard k >= 0 else { return -.infinity }
        let mu = max(mean, 0)
        if mu == 0 { return k == 0 ? 0 : -.infinity }
        let kk = Double(k)
        return lgamma(kk + theta) - lgamma(theta) - lgamma(kk + 1) + theta * log(theta / (theta + mu)) + kk * log(mu / (theta + mu))
    }

    /// P(N = k) under NB(μ, θ), or Poisson(μ) when `size` is nil.
    public static func probability(_ k: Int, mean: Double, size: Double?) -> Double {
        guard let size else { return PoissonPredictive.probability(k, mean: mean) }
        return exp(logProbability(k, mean: mean, size: size))
    }

    /// Expected count, P(0) and the central 80% interval of NB(μ, θ) (Poisson without a size).
    public static func summary(mean: Double, size: Double?) -> PredictiveSummary {
        guard let size else { return PoissonPredictive.summary(mean: mean) }
        let mu = max(mean, 0)
        // P(k+1) = P(k) · (k+θ)/(k+1) · μ/(θ+μ)
        var p = exp(logProbability(0, mean: mu, size: size))
        let q = mu / (size + mu)
        var last = 0
        return PredictiveSummary.fromDistribution(expected: mean) { k in
            while last < k {
                p *= (Double(last) + size) / Double(last + 1) * q
                last += 1
            }
            return p
        }
    }

    /// The maximum-likelihood size θ for `actual` counts around `mean` forecasts (same
    /// length), by golden-section search on log θ; nil when the counts are not overdispersed
    /// (the optimum is at the top of the range) or there are no usable rows.
    public static func fitSize(actual: [Double], mean: [Double]) -> Double? {
        let n = min(actual.count, mean.count)
        guard n > 0 else { return nil }
        let step = max(1, n / maxRows)
        var rows: [(Int, Double)] = []
        for i in stride(from: 0, to: n, by: step) where actual[i].isFinite && actual[i] >= 0 && mean[i].isFinite && mean[i] > 0 {
            rows.append((Int(actual[i].rounded()), mean[i]))
        }
        guard !rows.isEmpty else { return nil }
        // log P(k) = Σ_{j<k} log(θ + j) − log k! + θ log θ + k log μ − (θ + k) log(θ + μ): the
        // first sum depends on the row only through k, so it is taken once per distinct count
        // (weighted by how many rows have it), and log k! and k log μ do not depend on θ.
        // This leaves one log per row per step instead of three lgamma calls.
        var rowsWithCount: [Int: Int] = [:]
        for (k, _) in rows { rowsWithCount[k, default: 0] += 1 }
        let countWeights = rowsWithCount.sorted { $0.key < $1.key }
        func negativeLogLikelihood(_ logTheta: Double) -> Double {
            let theta = exp(logTheta)
            var total = Double(rows.count) * theta * logTheta
            for (k, weight) in countWeights where k > 0 {
                var risingLog = 0.0
                if k <= 64 {
                    for j in 0..<k { risingLog += log(theta + Double(j)) }
                } else {
                    risingLog = lgamma(Double(k) + theta) - lgamma(theta)
                }
                total += Double(weight) * risingLog
            }
            for (k, mu) in rows { total -= (theta + Double(k)) * log(theta + mu) }
            return -total
        }
        var lo = log(sizeRange.lower), hi = log(sizeRange.upper)
        let ratio = (sqrt(5.0) - 1) / 2
        var a = hi - ratio * (hi - lo), b = lo + ratio * (hi - lo)
        var fa = negativeLogLikelihood(a), fb = negativeLogLikelihood(b)
        for _ in 0..<60 where hi - lo > 1e-4 {
            if fa < fb {
                hi = b; b = a; fb = fa
                a = hi - ratio * (hi - lo); fa = negativeLogLikelihood(a)
            } else {
                lo = a; a = b; fa = fb
                b = lo + ratio * (hi - lo); fb = negativeLogLikelihood(b)
            }
        }
        let theta = exp((lo + hi) / 2)
        return theta.isFinite && theta < sizeRange.upper * 0.99 ? theta : nil
    }
}
