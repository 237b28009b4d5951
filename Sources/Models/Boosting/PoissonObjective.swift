import Foundation

/// The booster's loss, LightGBM's `objective=poisson`: the raw score f is log μ, each tree
/// fits the gradient g = μ − y and the hessian h = μ · e^maxDeltaStep (the max-delta-step
/// safeguard keeps early steps small where μ is tiny), and the score starts at log(mean y).
struct PoissonObjective {
    /// Scores are capped here before exponentiating (e^30 ≈ 1e13 events), so that no leaf
    /// can overflow μ.
    static let maxScore = 30.0

    /// e^maxDeltaStep, the factor from μ to the hessian.
    let hessianScale: Double

    init(maxDeltaStep: Double) {
        hessianScale = exp(maxDeltaStep)
    }

    /// The score before any tree: log(mean of the targets of `rows`), at least log(1e-10).
    func initialScore(target: [Double], rows: [Int32]) -> Double {
        let meanY = rows.reduce(0.0) { $0 + target[Int($1)] } / Double(rows.count)
        return log(max(meanY, 1e-10))
    }

    /// μ = e^min(f, maxScore) of a raw score f.
    @inline(__always)
    static func mean(score: Double) -> Double { exp(min(score, maxScore)) }

    /// Writes (g, h, 1, 0) of each of `rows` into `gh[row]`, from the current means.
    func gradients(mean: [Double], target: [Double], rows: [Int32], into gh: inout [SIMD4<Double>]) {
        let delta = hessianScale
        gh.withUnsafeMutableBufferPointer { gh in
            mean.withUnsafeBufferPointer { mu in
                target.withUnsafeBufferPointer { y in
                    for r in rows { let i = Int(r); gh[i] = SIMD4(mu[i] - y[i], mu[i] * delta, 1, 0) }
                }
            }
        }
    }

    /// The mean Poisson deviance of `rows`, from their raw scores and means.
    func deviance(target y: [Double], score: [Double], mean mu: [Double], rows: [Int32]) -> Double {
        var total = 0.0
        for r in rows {
            let i = Int(r)
            total += PoissonDeviance.unit(actual: y[i], logMean: min(score[i], Self.maxScore), mean: mu[i])
        }
        return total / Double(max(1, rows.count))
    }
}
