import Core
import Foundation

/// The tree learner (LightGBM's `SerialTreeLearner`): grows one regression tree leaf-wise on
/// binned rows from gradients and hessians, the LightGBM way:
///
/// - a histogram per leaf holds, per feature and bin, the sums of g, h and the row count;
/// - after a split only the smaller child's histogram is built from its rows; the larger
///   child's is the parent's minus it;
/// - the leaf with the largest gain is split next, until `maxLeaves` leaves or no split gains;
/// - a split's gain is G_L²/(H_L + λ) + G_R²/(H_R + λ) − G²/(H + λ), each side needing at
///   least `minDataInLeaf` rows and `minHessianInLeaf` hessian; missing values go to the side
///   that gains more;
/// - a leaf's value is −G/(H + λ) (the booster applies the learning rate).
///
/// Histograms of large leaves are built in parallel over fixed blocks of rows and summed in
/// block order, so the tree does not depend on the number of threads.
struct TreeLearner {
    struct Settings {
        var maxLeaves: Int
        var minDataInLeaf: Int
        var minHessianInLeaf: Double
        var l2: Double
        var threads: Int
    }

    /// The bin edges (split thresholds on raw values come from them).
    let binning: FeatureBinning
    /// Row-major bins, `width` per row (for histograms).
    let bins: UnsafePointer<UInt8>
    /// Column-major bins, `rowCount` per feature (for partitions, which read one feature).
    let columnBins: UnsafePointer<UInt8>
    let rowCount: Int
    let width: Int
    /// Value bins per feature (the missing bin comes after them).
    let valueBins: [Int]
    /// Start of feature f's bins in a histogram, in entries (Σg, Σh, count, unused).
    let offset: [Int]
    let entries: Int
    let settings: Settings
    static let blockRows = 32_768

    init(data: BinnedDataset, settings: Settings) {
        let binning = data.binning
        self.binning = binning
        self.bins = data.rowMajor
        self.columnBins = data.columnMajor
        self.rowCount = data.rowCount
        self.width = binning.featureCount
        self.valueBins = binning.upperBounds.map(\.count)
        var offset: [Int] = []
        var total = 0
        for f in 0..<width { offset.append(total); total += valueBins[f] + 1 }
        self.offset = offset
        self.entries = total
        self.settings = settings
    }

    struct Split {
        var gain = 0.0
        var feature = -1
        /// Value bins ≤ this go left.
        var bin = 0
        var missingLeft = false
        var leftG = 0.0, leftH = 0.0
    }

    struct Leaf {
        var begin: Int
        var end: Int
        var g: Double
        var h: Double
        var histogram: [SIMD4<Double>]
        var best: Split
        var count: Int { end - begin }
    }

    /// The tree grown on `rows` (an index list this call reorders), with the bin of each split
    /// (for updating scores on binned rows), the gain of each split, and for each leaf the
    /// positions in `rows` of its rows.
    func grow(rows: UnsafeMutableBufferPointer<Int32>, gh: UnsafePointer<SIMD4<Double>>,
              allowed: [Bool]) -> (tree: RegressionTree, splitBins: [Int], gains: [(Int, Double)], leafRanges: [Range<Int>]) {
        var tree = RegressionTree()
        var splitBins: [Int] = []
        var gains: [(Int, Double)] = []
        var sumG = 0.0, sumH = 0.0
        for r in rows { sumG += gh[Int(r)].x; sumH += gh[Int(r)].y }
        let rootHistogram = histogram(rows, 0, rows.count, gh)
        var leaves = [Leaf(begin: 0, end: rows.count, g: sumG, h: sumH, histogram: rootHistogram, best: Split())]
        leaves[0].best = bestSplit(leaves[0], allowed)
        var leafParent: [(node: Int, isLeft: Bool)?] = [nil]
        var scratch = [Int32](repeating: 0, count: rows.count)

        while leaves.count < settings.maxLeaves {
            var chosen = -1
            var bestGain = 1e-12
            for (i, leaf) in leaves.enumerated() where leaf.best.feature >= 0 && leaf.best.gain > bestGain {
                chosen = i
                bestGain = leaf.best.gain
            }
            if chosen < 0 { break }
            let parent = leaves[chosen]
            let s = parent.best
            // Stable partition of the parent's rows: left first.
            let missing = valueBins[s.feature]
            var l = parent.begin, rCount = 0
            let column = columnBins + s.feature * rowCount
            scratch.withUnsafeMutableBufferPointer { scratch in
                for k in parent.begin..<parent.end {
                    let b = Int(column[Int(rows[k])])
                    if b == missing ? s.missingLeft : b <= s.bin { rows[l] = rows[k]; l += 1 } else { scratch[rCount] = rows[k]; rCount += 1 }
                }
                for k in 0..<rCount { rows[l + k] = scratch[k] }
            }
            var leftLeaf = Leaf(begin: parent.begin, end: l, g: s.leftG, h: s.leftH, histogram: [], best: Split())
            var rightLeaf = Leaf(begin: l, end: parent.end, g: parent.g - s.leftG, h: parent.h - s.leftH, histogram: [], best: Split())
            // Build the smaller child's histogram; the larger is the parent's minus it.
            var larger = parent.histogram
            if leftLeaf.count <= rightLeaf.count {
                leftLeaf.histogram = histogram(rows, leftLeaf.begin, leftLeaf.end, gh)
                subtract(&larger, leftLeaf.histogram)
                rightLeaf.histogram = larger
            } else {
                rightLeaf.histogram = histogram(rows, rightLeaf.begin, rightLeaf.end, gh)
                subtract(&larger, rightLeaf.histogram)
                leftLeaf.histogram = larger
            }
            leftLeaf.best = bestSplit(leftLeaf, allowed)
            rightLeaf.best = bestSplit(rightLeaf, allowed)
            // Record the split: the left child keeps the parent's leaf number, the right is new.
            let node = tree.feature.count
            tree.feature.append(s.feature)
            tree.threshold.append(binning.upperBounds[s.feature][s.bin])
            tree.missingLeft.append(s.missingLeft)
            tree.left.append(~chosen)
            tree.right.append(~leaves.count)
            splitBins.append(s.bin)
            gains.append((s.feature, s.gain))
            if let p = leafParent[chosen] {
                if p.isLeft { tree.left[p.node] = node } else { tree.right[p.node] = node }
            }
            leafParent[chosen] = (node, true)
            leafParent.append((node, false))
            leaves[chosen] = leftLeaf
            leaves.append(rightLeaf)
        }
        tree.leafValue = leaves.map { -$0.g / ($0.h + settings.l2) }
        return (tree, splitBins, gains, leaves.map { $0.begin..<$0.end })
    }

    /// The histogram of rows[begin..<end]: (Σg, Σh, count, 0) per feature and bin; `gh[row]`
    /// is (g, h, 1, 0).
    func histogram(_ rows: UnsafeMutableBufferPointer<Int32>, _ begin: Int, _ end: Int,
                   _ gh: UnsafePointer<SIMD4<Double>>) -> [SIMD4<Double>] {
        let n = end - begin
        let blocks = max(1, (n + Self.blockRows - 1) / Self.blockRows)
        if blocks == 1 { return fill(rows, begin, end, gh) }
        let threads = max(1, min(settings.threads, blocks))
        // Thread t fills blocks t, t + threads, ...; the sum then runs in block order.
        let perThread: [[(Int, [SIMD4<Double>])]] = parallelMap(threads) { t in
            stride(from: t, to: blocks, by: threads).map { b in
                (b, fill(rows, begin + b * Self.blockRows, min(end, begin + (b + 1) * Self.blockRows), gh))
            }
        }
        var byBlock = [[SIMD4<Double>]](repeating: [], count: blocks)
        for list in perThread { for (b, hist) in list { byBlock[b] = hist } }
        var total = byBlock[0]
        for b in 1..<blocks { add(&total, byBlock[b]) }
        return total
    }

    private func fill(_ rows: UnsafeMutableBufferPointer<Int32>, _ begin: Int, _ end: Int,
                      _ gh: UnsafePointer<SIMD4<Double>>) -> [SIMD4<Double>] {
        var hist = [SIMD4<Double>](repeating: .zero, count: entries)
        let width = self.width
        offset.withUnsafeBufferPointer { offset in
            hist.withUnsafeMutableBufferPointer { out in
                let o = out.baseAddress!, off = offset.baseAddress!
                for k in begin..<end {
                    let r = Int(rows[k])
                    let v = gh[r]
                    let row = bins + r * width
                    for f in 0..<width { o[off[f] + Int(row[f])] += v }
                }
            }
        }
        return hist
    }

    private func add(_ a: inout [SIMD4<Double>], _ b: [SIMD4<Double>]) {
        a.withUnsafeMutableBufferPointer { a in b.withUnsafeBufferPointer { b in for i in a.indices { a[i] += b[i] } } }
    }

    private func subtract(_ a: inout [SIMD4<Double>], _ b: [SIMD4<Double>]) {
        a.withUnsafeMutableBufferPointer { a in b.withUnsafeBufferPointer { b in for i in a.indices { a[i] -= b[i] } } }
    }

    /// The best split of a leaf over the allowed features (feature −1 when none is valid).
    func bestSplit(_ leaf: Leaf, _ allowed: [Bool]) -> Split {
        var best = Split()
        let n = leaf.count
        guard n >= 2 * settings.minDataInLeaf else { return best }
        let lambda = settings.l2
        let parentScore = leaf.g * leaf.g / (leaf.h + lambda)
        return leaf.histogram.withUnsafeBufferPointer { hist in
            offset.withUnsafeBufferPointer { offset in
                for f in 0..<width where allowed[f] {
                    let bins = valueBins[f]
                    let missing = hist[offset[f] + bins]
                    let mc = Int(missing.z)
                    var c = SIMD4<Double>.zero
                    for t in 0..<bins {
                        c += hist[offset[f] + t]
                        // Missing values right, then (when there are any) left.
                        for side in 0..<(mc > 0 ? 2 : 1) {
                            let l = side == 0 ? c : c + missing
                            let lc = Int(l.z), rc = n - lc
                            if lc < settings.minDataInLeaf || rc < settings.minDataInLeaf { continue }
                            let rg = leaf.g - l.x, rh = leaf.h - l.y
                            if l.y < settings.minHessianInLeaf || rh < settings.minHessianInLeaf { continue }
                            let gain = l.x * l.x / (l.y + lambda) + rg * rg / (rh + lambda) - parentScore
                            if gain > best.gain {
                                best = Split(gain: gain, feature: f, bin: t, missingLeft: side == 1, leftG: l.x, leftH: l.y)
                            }
                        }
                    }
                }
                return best
            }
        }
    }
}
