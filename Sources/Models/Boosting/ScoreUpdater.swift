import Foundation

/// The booster's running scores (LightGBM's `ScoreUpdater`): each row's raw score, the
/// initial score plus the trees so far, and its mean μ = e^min(score, 30), which the
/// gradients and the deviance read.
///
/// A tree's output reaches the rows it was grown on through the leaves they ended in, and
/// every other row (left out of the tree's sample, or held out for early stopping) by a walk
/// down the tree's binned form.
struct ScoreUpdater {
    private(set) var score: [Double]
    private(set) var mean: [Double]

    init(rowCount: Int, initialScore: Double) {
        score = [Double](repeating: initialScore, count: rowCount)
        mean = [Double](repeating: exp(initialScore), count: rowCount)
    }

    /// Adds `tree` to the rows it was grown on: `rows[leafRanges[k]]` ended in leaf k.
    mutating func add(_ tree: RegressionTree, leafRanges: [Range<Int>], rows: UnsafeBufferPointer<Int32>) {
        score.withUnsafeMutableBufferPointer { sc in
            mean.withUnsafeMutableBufferPointer { mp in
                for (leaf, range) in leafRanges.enumerated() {
                    let v = tree.leafValue[leaf]
                    for k in range { let i = Int(rows[k]); sc[i] += v; mp[i] = PoissonObjective.mean(score: sc[i]) }
                }
            }
        }
    }

    /// Adds `tree`, whose binned form is `binned`, to `rows` of `data`.
    mutating func add(_ tree: RegressionTree, binned: BinnedTree, rows: [Int32], data: BinnedDataset) {
        let width = data.featureCount
        score.withUnsafeMutableBufferPointer { sc in
            mean.withUnsafeMutableBufferPointer { mp in
                binned.nodes.withUnsafeBufferPointer { nodes in
                    for r in rows {
                        let i = Int(r)
                        sc[i] += tree.leafValue[BinnedTree.leaf(nodes, data.rowMajor + i * width)]
                        mp[i] = PoissonObjective.mean(score: sc[i])
                    }
                }
            }
        }
    }
}
