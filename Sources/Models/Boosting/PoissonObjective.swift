import Foundation

/// The booster's loss, LightGBM's `objective=poisson`: the raw score f is log μ, each tree
/// fits the gradient g = μ − y and the hessian h = μ · e^maxDeltaStep (the max-delta-step
/// safeguard keeps early steps small where μ is tiny), and the score starts at log(mean y).
struct PoissonObjective {
    /// Scores are capped here before exponentiating (e^30 ≈ 1e13 events), so that no leaf
    /// can overflow μ.
    static let maxScore = 30.0
    /// Rows per block of the passes over all rows (gradients, deviance), which run in parallel.
    static let blockRows = 65_536

    /// e^maxDeltaStep, the factor from μ to the hessian.
    let hessianScale: Double
    let threads: Int

    init(maxDeltaStep: Double, threads: Int) {
        hessianScale = exp(maxDeltaStep)
        self.threads = threads
    }

    /// The score before any tree: log(mean of the targets of `rows`), at least log(1e-10).
    func initialScore(target: [Double], rows: [Int32]) -> Double {
        let meanY = rows.reduce(0.0) { $0 + target[Int($1)] } / Double(rows.count)
        return log(max(meanY, 1e-10))
    }

    /// μ = e^min(f, maxScore) of a raw score f.
    @inline(__always)
    static func mean(score: Double) -> Double { exp(min(score, maxScore)) }

    /// Writes (g, h) of each of `rows` into `gh[row]`, from the current means.
    func gradients(mean: [Double], target: [Double], rows: [Int32], into gh: inout [SIMD2<Float>]) {
        let delta = hessianScale
        gh.withUnsafeMutableBufferPointer { gh in
            mean.withUnsafeBufferPointer { mu in
                target.withUnsafeBufferPointer { y in
                    rows.withUnsafeBufferPointer { rows in
                        _ = parallelBlocks(rows.count, blockSize: Self.blockRows, threads: threads) { block in
                            for k in block { let i = Int(rows[k]); gh[i] = SIMD2(Float(mu[i] - y[i]), Float(mu[i] * delta)) }
                        }
                    }
                }
            }
        }
    }

    /// The part of the deviance of `rows` that does not depend on the scores:
    /// Σ (y · log y − y), for ``deviance(constant:target:score:mean:rows:)``.
    func devianceConstant(target y: [Double], rows: [Int32]) -> Double {
        var total = 0.0
        for r in rows { let v = y[Int(r)]; total += (v > 0 ? v * log(v) : 0) - v }
        return total
    }

    /// The mean Poisson deviance of `rows`, 2 · Σ (y · log y − y · f − y + μ) / n with f the
    /// raw score capped at `maxScore`: the constant part precomputed, the rest summed block by
    /// block in parallel (the same sum on any number of threads).
    func deviance(constant: Double, target y: [Double], score: [Double], mean mu: [Double], rows: [Int32]) -> Double {
        let partial = rows.withUnsafeBufferPointer { rows in
            parallelBlocks(rows.count, blockSize: Self.blockRows, threads: threads) { block in
                var total = 0.0
                for k in block { let i = Int(rows[k]); total += mu[i] - y[i] * min(score[i], Self.maxScore) }
                return total
            }
        }
        return 2 * (constant + partial.reduce(0, +)) / Double(max(1, rows.count))
    }
}
