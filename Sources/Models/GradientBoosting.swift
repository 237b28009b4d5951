import Features
import Foundation
import Ingestion

/// Gradient-boosted regression trees with a Poisson objective (log link), written natively.
///
/// Conventions as in LightGBM's `objective=poisson`: the raw score f starts at log(mean y);
/// each tree fits the gradient g = e^f − y and the hessian h = e^(f + maxDeltaStep) (the
/// max-delta-step safeguard keeps early steps small where e^f is tiny); the prediction is
/// e^f. Trees grow leaf-wise on features binned to at most 255 bins (``TreeGrower``), with
/// shrinkage, an L2 penalty on leaf values, at least `minDataInLeaf` rows per leaf, and a
/// fresh random subset of rows (`rowSubsample`) and of features (`featureSubsample`) per
/// tree. Everything random comes from `seed`: the same data and settings give the same trees.
///
/// Early stopping is time-ordered: the panel's last origin is held out, trees are added
/// while its deviance improves (up to `earlyStoppingRounds` without improvement), then the
/// model is refitted on every origin with the best number of trees.
public struct GradientBoosting: Forecaster {
    public struct Settings: Codable, Sendable, Equatable {
        public var maxTrees = 500
        public var learningRate = 0.05
        public var maxLeaves = 31
        public var minDataInLeaf = 100
        public var minHessianInLeaf = 1e-3
        public var l2 = 1.0
        public var rowSubsample = 0.8
        public var featureSubsample = 0.8
        public var maxDeltaStep = 0.7
        /// 0 turns early stopping off (then exactly `maxTrees` trees on all origins).
        public var earlyStoppingRounds = 30
        public var seed: UInt64 = 42
        public var threads = 0

        public init() {}
    }

    public var settings: Settings
    public private(set) var featureNames: [String] = []
    public private(set) var initialScore = 0.0
    public private(set) var trees: [RegressionTree] = []
    /// Trees chosen by early stopping (the number refitted on all origins).
    public private(set) var bestIteration = 0
    /// Total split gain per feature, in `featureNames` order.
    public private(set) var gainImportance: [Double] = []
    private var iterationLog: [TrainingLogEntry] = []

    public init(settings: Settings = Settings()) { self.settings = settings }

    public var name: String { "gbm" }
    public var needsTrainingPanel: Bool { true }
    public var trainingLog: [TrainingLogEntry] { iterationLog }

    public mutating func fit(panel: TrainingPanel?, events: EventLog, cutoff: Int, observer: TrainingObserver?) throws {
        guard let panel, panel.rowCount > 0 else { throw ModelFitError.noTrainingData(model: name) }
        let lastOrigin = Int32(panel.origins.count - 1)
        var holdout: [Int32] = [], earlier: [Int32] = []
        if settings.earlyStoppingRounds > 0, panel.origins.count >= 2 {
            for i in 0..<panel.rowCount { if panel.origin[i] == lastOrigin { holdout.append(Int32(i)) } else { earlier.append(Int32(i)) } }
        }
        try fit(names: panel.names, columns: panel.columns, target: panel.target, training: earlier, validation: holdout, observer: observer)
    }

    /// Fits on `columns[f][row]`. With validation rows, first grows trees on `training` while
    /// the validation deviance improves, then refits on all rows with the best tree count.
    /// `observer` receives each tree's deviances.
    public mutating func fit(names: [String], columns: [[Double]], target: [Double], training: [Int32] = [], validation: [Int32] = [],
                             observer: TrainingObserver? = nil) throws {
        let n = target.count
        guard n > 0 else { throw ModelFitError.noTrainingData(model: name) }
        guard target.allSatisfy({ $0 >= 0 && $0.isFinite }) else { throw ModelFitError.invalidTarget(model: name) }
        let threads = settings.threads > 0 ? settings.threads : defaultThreadCount
        let binning = FeatureBinning(columns: columns)
        // Row-major bins for histograms, column-major for partitions; freed when the fit ends.
        let rowMajor = binning.binRows(columns: columns, threads: threads)
        let bins = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, rowMajor.count))
        let columnBins = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, rowMajor.count))
        defer { bins.deallocate(); columnBins.deallocate() }
        _ = bins.initialize(from: rowMajor)
        let width = binning.featureCount
        for i in 0..<n { for f in 0..<width { columnBins[f * n + i] = rowMajor[i * width + f] } }
        featureNames = names
        iterationLog = []
        var rounds = settings.maxTrees
        if !validation.isEmpty, !training.isEmpty {
            let run = boost(bins: UnsafeBufferPointer(bins), columnBins: UnsafeBufferPointer(columnBins), binning: binning, target: target, rows: training, validation: validation,
                            rounds: settings.maxTrees, threads: threads, phase: 0, observer: observer)
            rounds = max(1, run.best)
        }
        let all = (0..<Int32(n)).map { $0 }
        let final = boost(bins: UnsafeBufferPointer(bins), columnBins: UnsafeBufferPointer(columnBins), binning: binning, target: target, rows: all, validation: [], rounds: rounds, threads: threads,
                          phase: validation.isEmpty ? 0 : 1, observer: observer)
        trees = final.trees
        initialScore = final.initial
        bestIteration = rounds
        gainImportance = final.importance
    }

    private struct Run {
        var trees: [RegressionTree]
        var initial: Double
        var best: Int
        var importance: [Double]
    }

    /// Adds up to `rounds` trees on `rows`; with validation rows, stops after
    /// `earlyStoppingRounds` trees without a better validation deviance.
    private mutating func boost(bins: UnsafeBufferPointer<UInt8>, columnBins: UnsafeBufferPointer<UInt8>, binning: FeatureBinning, target: [Double], rows: [Int32], validation: [Int32],
                                rounds: Int, threads: Int, phase: Int, observer: TrainingObserver?) -> Run {
        let width = binning.featureCount
        let n = target.count
        let meanY = rows.reduce(0.0) { $0 + target[Int($1)] } / Double(rows.count)
        let initial = log(max(meanY, 1e-10))
        var score = [Double](repeating: initial, count: n)
        var mu = [Double](repeating: exp(initial), count: n)
        var gh = [SIMD4<Double>](repeating: .zero, count: n)
        var rng = RandomSource(seed: settings.seed)
        var trees: [RegressionTree] = []
        var importance = [Double](repeating: 0, count: width)
        var best = 0, bestDeviance = Double.infinity
        let grower = TreeGrower(bins: bins.baseAddress!, columnBins: columnBins.baseAddress!, rowCount: n, binning: binning, settings: .init(
            maxLeaves: settings.maxLeaves, minDataInLeaf: settings.minDataInLeaf, minHessianInLeaf: settings.minHessianInLeaf,
            l2: settings.l2, threads: threads))
        var sample = [Int32](repeating: 0, count: rows.count)
        // Rows outside this tree's sample: the training rows left out, then the validation rows.
        var outOfBag: [Int32] = []
        let lr = settings.learningRate, delta = exp(settings.maxDeltaStep)
        for iteration in 1...max(1, rounds) {
            // Gradients on the training rows, then this tree's rows and features.
            gh.withUnsafeMutableBufferPointer { gh in
                mu.withUnsafeBufferPointer { mu in
                    target.withUnsafeBufferPointer { y in
                        for r in rows { let i = Int(r); gh[i] = SIMD4(mu[i] - y[i], mu[i] * delta, 1, 0) }
                    }
                }
            }
            var m = 0
            outOfBag.removeAll(keepingCapacity: true)
            for r in rows {
                if settings.rowSubsample >= 1 || rng.uniform() < settings.rowSubsample { sample[m] = r; m += 1 } else { outOfBag.append(r) }
            }
            var allowed = [Bool](repeating: settings.featureSubsample >= 1, count: width)
            if settings.featureSubsample < 1 {
                var order = Array(0..<width)
                let keep = max(1, Int((Double(width) * settings.featureSubsample).rounded()))
                for k in 0..<keep { order.swapAt(k, k + rng.below(width - k)); allowed[order[k]] = true }
            }
            var grown = sample.withUnsafeMutableBufferPointer { s in
                gh.withUnsafeBufferPointer { p in
                    grower.grow(rows: UnsafeMutableBufferPointer(rebasing: s[0..<m]), gh: p.baseAddress!, allowed: allowed, binning: binning)
                }
            }
            for k in grown.tree.leafValue.indices { grown.tree.leafValue[k] *= lr }
            for (f, gain) in grown.gains { importance[f] += gain }
            // Update the scores: the sampled rows from the leaves they ended in, the others
            // (rows left out of the sample, validation rows) by walking the binned tree.
            let tree = grown.tree
            let nodes = BinnedNodes(tree, splitBins: grown.splitBins, missingBins: binning.upperBounds.map(\.count))
            outOfBag.append(contentsOf: validation)
            score.withUnsafeMutableBufferPointer { sc in
                mu.withUnsafeMutableBufferPointer { mp in
                    for (leaf, range) in grown.leafRanges.enumerated() {
                        let v = tree.leafValue[leaf]
                        for k in range { let i = Int(sample[k]); sc[i] += v; mp[i] = exp(min(sc[i], 30)) }
                    }
                    nodes.nodes.withUnsafeBufferPointer { nodes in
                        for r in outOfBag {
                            let i = Int(r)
                            sc[i] += tree.leafValue[BinnedNodes.leaf(nodes, bins.baseAddress! + i * width)]
                            mp[i] = exp(min(sc[i], 30))
                        }
                    }
                }
            }
            trees.append(tree)
            var metrics = ["train_deviance": Self.deviance(target, score, mu, rows)]
            if phase == 1 { metrics["refit"] = 1 }
            if !validation.isEmpty {
                let d = Self.deviance(target, score, mu, validation)
                metrics["valid_deviance"] = d
                if d < bestDeviance - 1e-12 { bestDeviance = d; best = iteration }
            } else {
                best = iteration
            }
            let entry = TrainingLogEntry(iteration: iteration, metrics: metrics)
            iterationLog.append(entry)
            observer?(name, entry)
            if !validation.isEmpty, iteration - best >= settings.earlyStoppingRounds { break }
        }
        return Run(trees: Array(trees.prefix(best)), initial: initial, best: best, importance: importance)
    }

    /// Mean Poisson deviance of the rows, from raw scores and means.
    static func deviance(_ y: [Double], _ score: [Double], _ mu: [Double], _ rows: [Int32]) -> Double {
        var total = 0.0
        for r in rows {
            let i = Int(r)
            total += PoissonDeviance.unit(actual: y[i], logMean: min(score[i], 30), mean: mu[i])
        }
        return total / Double(max(1, rows.count))
    }

    public func predict(_ features: FeatureMatrix, horizonDays: Int) throws -> [Double] {
        guard !featureNames.isEmpty else { throw ModelFitError.notFitted(model: name) }
        let columns = try featureNames.map { name in
            guard let c = features.column(name) else { throw ForecasterError.missingFeature(name) }
            return c
        }
        return predict(columns: columns, rows: features.rowCount)
    }

    /// e^(initial score + Σ trees) per row of `columns[f][row]` (in `featureNames` order).
    public func predict(columns: [[Double]], rows: Int) -> [Double] {
        let threads = settings.threads > 0 ? settings.threads : defaultThreadCount
        let width = columns.count
        let flat = trees.map(FlatTree.init)
        let pieces = parallelMapRanges(rows, parts: rows >= 100_000 ? threads : 1) { range in
            // Row-major copy of the slice, so a row's features share cache lines.
            var values = [Double](repeating: 0, count: range.count * width)
            for f in 0..<width { for (k, i) in range.enumerated() { values[k * width + f] = columns[f][i] } }
            return values.withUnsafeBufferPointer { v in
                (0..<range.count).map { k in
                    let row = v.baseAddress! + k * width
                    var f = initialScore
                    for tree in flat { f += tree.predict(row) }
                    return exp(min(f, 30))
                }
            }
        }
        return pieces.flatMap { $0 }
    }

    public func describe() -> ModelDescription {
        var parameters: [String: Double] = [
            "trees": Double(trees.count), "learning_rate": settings.learningRate, "max_leaves": Double(settings.maxLeaves),
            "min_data_in_leaf": Double(settings.minDataInLeaf), "l2": settings.l2, "row_subsample": settings.rowSubsample,
            "feature_subsample": settings.featureSubsample, "max_delta_step": settings.maxDeltaStep, "initial_score": initialScore,
        ]
        let total = gainImportance.reduce(0, +)
        for (f, name) in featureNames.enumerated() where total > 0 { parameters["importance_" + name] = gainImportance[f] / total }
        return ModelDescription(kind: name, parameters: parameters,
                                notes: ["importance_*: share of the total split gain (refitted model)"])
    }
}

/// A tree's internal nodes in the binned form the booster walks while training: one 8-byte
/// record per node.
struct BinnedNodes {
    struct Node {
        var feature: UInt16
        var bin: UInt8
        var missingBin: UInt8
        var missingLeft: Bool
        var left: Int32
        var right: Int32
    }

    let nodes: [Node]

    init(_ tree: RegressionTree, splitBins: [Int], missingBins: [Int]) {
        nodes = tree.feature.indices.map { k in
            Node(feature: UInt16(tree.feature[k]), bin: UInt8(splitBins[k]), missingBin: UInt8(truncatingIfNeeded: missingBins[tree.feature[k]]),
                 missingLeft: tree.missingLeft[k], left: Int32(tree.left[k]), right: Int32(tree.right[k]))
        }
    }

    /// The leaf of a row of bins.
    @inline(__always)
    static func leaf(_ p: UnsafeBufferPointer<Node>, _ row: UnsafePointer<UInt8>) -> Int {
        if p.isEmpty { return 0 }
        var k = 0
        while true {
            let node = p[k]
            let v = row[Int(node.feature)]
            let goLeft = v == node.missingBin ? node.missingLeft : v <= node.bin
            let child = Int(goLeft ? node.left : node.right)
            if child < 0 { return ~child }
            k = child
        }
    }
}

/// A saved tree as one contiguous array of node records, for fast prediction on raw values.
struct FlatTree {
    struct Node {
        var threshold: Double
        var feature: Int32
        var left: Int32
        var right: Int32
        var missingLeft: Bool
    }

    let nodes: [Node]
    let leafValue: [Double]

    init(_ tree: RegressionTree) {
        nodes = tree.feature.indices.map { k in
            Node(threshold: tree.threshold[k], feature: Int32(tree.feature[k]), left: Int32(tree.left[k]), right: Int32(tree.right[k]),
                 missingLeft: tree.missingLeft[k])
        }
        leafValue = tree.leafValue
    }

    @inline(__always)
    func predict(_ row: UnsafePointer<Double>) -> Double {
        if nodes.isEmpty { return leafValue[0] }
        return nodes.withUnsafeBufferPointer { p in
            var k = 0
            while true {
                let node = p[k]
                let v = row[Int(node.feature)]
                let goLeft = v.isNaN ? node.missingLeft : v <= node.threshold
                let child = Int(goLeft ? node.left : node.right)
                if child < 0 { return leafValue[~child] }
                k = child
            }
        }
    }
}
