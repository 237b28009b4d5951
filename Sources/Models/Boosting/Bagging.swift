import Core

/// The random part of boosting (LightGBM's bagging and `feature_fraction`): for each tree, a
/// subset of the training rows, each kept with probability `rowFraction`, then a subset of
/// round(`featureFraction` · features) features (at least one) that may split.
///
/// Every draw comes from one generator seeded once per boosting run, rows first, then
/// features, so the same seed gives the same trees.
struct Bagging {
    let rowFraction: Double
    let featureFraction: Double
    let featureCount: Int
    private var random: RandomSource
    /// This tree's rows are `sample[0..<sampleCount]`.
    private var sample: [Int32]
    private(set) var sampleCount = 0
    /// The training rows left out of this tree, in order.
    private(set) var outOfBag: [Int32] = []
    /// Whether each feature may split in this tree.
    private(set) var allowedFeatures: [Bool] = []

    /// A sampler for up to `rowCapacity` training rows.
    init(seed: UInt64, rowFraction: Double, featureFraction: Double, featureCount: Int, rowCapacity: Int) {
        self.rowFraction = rowFraction
        self.featureFraction = featureFraction
        self.featureCount = featureCount
        random = RandomSource(seed: seed)
        sample = [Int32](repeating: 0, count: rowCapacity)
    }

    /// Draws the next tree's rows from `rows` and then its features.
    mutating func draw(from rows: [Int32]) {
        var m = 0
        outOfBag.removeAll(keepingCapacity: true)
        for r in rows {
            if rowFraction >= 1 || random.uniform() < rowFraction { sample[m] = r; m += 1 } else { outOfBag.append(r) }
        }
        sampleCount = m
        let width = featureCount
        var allowed = [Bool](repeating: featureFraction >= 1, count: width)
        if featureFraction < 1 {
            var order = Array(0..<width)
            let keep = max(1, Int((Double(width) * featureFraction).rounded()))
            for k in 0..<keep { order.swapAt(k, k + random.below(width - k)); allowed[order[k]] = true }
        }
        allowedFeatures = allowed
    }

    /// Runs `body` on this tree's rows, which it may reorder (the tree learner partitions them
    /// by leaf).
    mutating func withSample<R>(_ body: (UnsafeMutableBufferPointer<Int32>) -> R) -> R {
        let m = sampleCount
        return sample.withUnsafeMutableBufferPointer { s in body(UnsafeMutableBufferPointer(rebasing: s[0..<m])) }
    }

    /// Runs `body` on this tree's rows, in the order the tree learner left them.
    func withSampledRows<R>(_ body: (UnsafeBufferPointer<Int32>) -> R) -> R {
        let m = sampleCount
        return sample.withUnsafeBufferPointer { s in body(UnsafeBufferPointer(rebasing: s[0..<m])) }
    }
}
