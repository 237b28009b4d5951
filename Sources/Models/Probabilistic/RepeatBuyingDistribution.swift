import Foundation

/// The count distribution BG/NBD and MBG/NBD share: a customer alive with probability
/// `alive` buys at a rate λ ~ Gamma(shape, rate) and, after each purchase, drops out with a
/// probability p ~ Beta(a, b), independent of λ; a dead customer buys nothing.
enum RepeatBuyingDistribution {
    /// P(X(t) = k) for k = 0 ... `maxCount`: k purchases all survived, or k purchases and a
    /// drop-out after the k-th,
    /// P = alive · (E[(1−p)^k]·NB(k) + [k > 0]·E[p(1−p)^(k−1)]·(1 − Σ_{j<k} NB(j))) + [k = 0]·(1 − alive),
    /// NB the negative binomial of Gamma(shape, rate) over t. Empty when `maxCount` < 0.
    static func probabilities(alive: Double, shape: Double, rate: Double, a: Double, b: Double,
                              horizon t: Double, upTo maxCount: Int) -> [Double] {
        guard maxCount >= 0 else { return [] }
        let logBeta = lgamma(a) + lgamma(b) - lgamma(a + b)
        var result: [Double] = []
        var cumulativeNB = 0.0
        for k in 0...maxCount {
            let kk = Double(k)
            let nb = NegativeBinomial.probability(k, shape: shape, rate: rate, exposure: t)
            let survive = exp(lgamma(a) + lgamma(b + kk) - lgamma(a + b + kk) - logBeta)
            var given = survive * nb
            if k > 0 {
                let drop = exp(lgamma(a + 1) + lgamma(b + kk - 1) - lgamma(a + b + kk) - logBeta)
                given += drop * max(0, 1 - cumulativeNB)
            }
            cumulativeNB += nb
            result.append(alive * given + (k == 0 ? 1 - alive : 0))
        }
        return result
    }
}
