import Foundation

/// The booster's running scores (LightGBM's `ScoreUpdater`): each row's raw score, the
/// initial score plus the trees so far, and its mean μ = e^min(score, 30), which the
/// gradients and the deviance read.
///
/// A tree's output reaches the rows it was grown on through the leaves they ended in, and
/// every other row (left out of the tree's sample, or held out for early stopping) by a walk
/// down the tree's binned form. Both run in parallel over fixed blocks of rows; each row is
/// updated by exactly one block, so the scores do not depend on the number of threads.
///
/// A leaf value v moves μ to μ · e^v, so the means are updated with one multiplication per
/// row and one `exp` per leaf (the cost of an `exp` per row was a sixth of the boosting
/// time); a row whose score reaches the cap gets e^cap exactly. Over a few hundred trees the
/// product drifts from e^score by a few units in the last place.
struct ScoreUpdater {
    private(set) var score: [Double]
    private(set) var mean: [Double]
    let threads: Int

    init(rowCount: Int, initialScore: Double, threads: Int) {
        score = [Double](repeating: initialScore, count: rowCount)
        mean = [Double](repeating: exp(initialScore), count: rowCount)
        self.threads = threads
    }

    /// Adds `tree` to the rows it was grown on: `rows[leafRanges[k]]` ended in leaf k.
    mutating func add(_ tree: RegressionTree, leafRanges: [Range<Int>], rows: UnsafeBufferPointer<Int32>) {
        let threads = self.threads
        score.withUnsafeMutableBufferPointer { sc in
            mean.withUnsafeMutableBufferPointer { mp in
                _ = parallelBlocks(rows.count, blockSize: PoissonObjective.blockRows, threads: threads) { block in
                    for (leaf, range) in leafRanges.enumerated() {
                        let lo = max(block.lowerBound, range.lowerBound), hi = min(block.upperBound, range.upperBound)
                        guard lo < hi else { continue }
                        let v = tree.leafValue[leaf], factor = exp(v)
                        for k in lo..<hi { let i = Int(rows[k]); Self.step(sc, mp, i, v, factor) }
                    }
                }
            }
        }
    }

    /// Adds `tree`, whose binned form is `binned`, to `rows` of `data`.
    mutating func add(_ tree: RegressionTree, binned: BinnedTree, rows: [Int32], data: BinnedDataset) {
        guard !rows.isEmpty else { return }
        let width = data.featureCount, threads = self.threads
        score.withUnsafeMutableBufferPointer { sc in
            mean.withUnsafeMutableBufferPointer { mp in
                binned.nodes.withUnsafeBufferPointer { nodes in
                    rows.withUnsafeBufferPointer { rows in
                        let factors = tree.leafValue.map { exp($0) }
                        _ = parallelBlocks(rows.count, blockSize: PoissonObjective.blockRows, threads: threads) { block in
                            for k in block {
                                let i = Int(rows[k])
                                let leaf = BinnedTree.leaf(nodes, data.rowMajor + i * width)
                                Self.step(sc, mp, i, tree.leafValue[leaf], factors[leaf])
                            }
                        }
                    }
                }
            }
        }
    }

    /// Adds v to row i's score and multiplies its mean by e^v (`factor`), or sets the mean to
    /// e^min(score, cap) when the score is or was beyond the cap.
    @inline(__always)
    private static func step(_ score: UnsafeMutableBufferPointer<Double>, _ mean: UnsafeMutableBufferPointer<Double>,
                             _ i: Int, _ v: Double, _ factor: Double) {
        let old = score[i], new = old + v
        score[i] = new
        if old < PoissonObjective.maxScore, new < PoissonObjective.maxScore {
            mean[i] *= factor
        } else {
            mean[i] = PoissonObjective.mean(score: new)
        }
    }
}
