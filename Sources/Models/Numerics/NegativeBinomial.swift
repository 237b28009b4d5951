import Foundation

/// The negative binomial law of a Poisson count whose rate is Gamma distributed: the count a
/// customer alive over an exposure makes in BG/NBD and Pareto/NBD, where λ ~ Gamma(r+x, α+T)
/// given the history.
enum NegativeBinomial {
    /// P(N = k) for N ~ Poisson(λu), λ ~ Gamma(shape, rate).
    static func probability(_ k: Int, shape: Double, rate: Double, exposure u: Double) -> Double {
        if u <= 0 { return k == 0 ? 1 : 0 }
        let kk = Double(k)
        return exp(lgamma(shape + kk) - lgamma(shape) - lgamma(kk + 1) + shape * log(rate / (rate + u)) + kk * log(u / (rate + u)))
    }
}
