import Core
import Features
import Foundation

/// Gradient-boosted regression trees with a Poisson objective (log link), written natively.
///
/// Conventions as in LightGBM's `objective=poisson`: the raw score f starts at log(mean y);
/// each tree fits the gradient g = e^f − y and the hessian h = e^(f + maxDeltaStep) (the
/// max-delta-step safeguard keeps early steps small where e^f is tiny); the prediction is
/// e^f. Trees grow leaf-wise on features binned to at most 255 bins, with shrinkage, an L2
/// penalty on leaf values, at least `minDataInLeaf` rows per leaf, and a fresh random subset
/// of rows (`rowSubsample`) and of features (`featureSubsample`) per tree. Everything random
/// comes from `seed`: the same data and settings give the same trees.
///
/// The parts are laid out as in LightGBM, one small internal type each: `FeatureBinning` and
/// `BinnedDataset` (the binned rows), `PoissonObjective` (gradients, hessians, deviance),
/// `Bagging` (the rows and features of each tree), `TreeLearner` (one tree from gradients),
/// `ScoreUpdater` (the running scores) and `Booster` (the loop over trees).
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
    /// The negative binomial size fitted on the training rows (nil: Poisson; see ``CountDispersion``).
    public private(set) var dispersionSize: Double?

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
        let means = try boost(names: panel.names, columns: panel.columns, target: panel.target, training: earlier, validation: holdout,
                              observer: observer)
        // The final run's means are the model's in-sample predictions (to the last few bits:
        // they are e^score updated tree by tree), so no second pass over the panel.
        dispersionSize = CountDispersion.fitSize(actual: panel.target, mean: means)
    }

    /// Fits on `columns[f][row]`. With validation rows, first grows trees on `training` while
    /// the validation deviance improves, then refits on all rows with the best tree count.
    /// `observer` receives each tree's deviances. Throws ``ModelFitError/noTrainingData(model:)``
    /// without rows, or without feature columns as long as the targets (one per name), and
    /// ``ModelFitError/invalidTarget(model:)`` unless every target is a finite count ≥ 0.
    public mutating func fit(names: [String], columns: [[Double]], target: [Double], training: [Int32] = [], validation: [Int32] = [],
                             observer: TrainingObserver? = nil) throws {
        _ = try boost(names: names, columns: columns, target: target, training: training, validation: validation, observer: observer)
    }

    /// ``fit(names:columns:target:training:validation:observer:)``, returning every row's
    /// in-sample mean under the final trees.
    private mutating func boost(names: [String], columns: [[Double]], target: [Double], training: [Int32], validation: [Int32],
                                observer: TrainingObserver?) throws -> [Double] {
        dispersionSize = nil
        let n = target.count
        guard n > 0, !columns.isEmpty, columns.count == names.count, columns.allSatisfy({ $0.count == n }),
              training.allSatisfy({ $0 >= 0 && Int($0) < n }), validation.allSatisfy({ $0 >= 0 && Int($0) < n }) else { throw ModelFitError.noTrainingData(model: name) }
        guard target.allSatisfy({ $0 >= 0 && $0.isFinite }) else { throw ModelFitError.invalidTarget(model: name) }
        let threads = settings.threads > 0 ? settings.threads : defaultThreadCount
        let binning = FeatureBinning(columns: columns)
        let name = self.name, settings = self.settings
        var log: [TrainingLogEntry] = []
        func record(_ entry: TrainingLogEntry) {
            log.append(entry)
            observer?(name, entry)
        }
        let (final, rounds) = BinnedDataset.withBins(binning, columns: columns, rowCount: n, threads: threads) { data in
            let booster = Booster(settings: settings, data: data, target: target, threads: threads)
            var rounds = settings.maxTrees
            if !validation.isEmpty, !training.isEmpty {
                let run = booster.run(rows: training, validation: validation, rounds: settings.maxTrees, refit: false, record: record)
                rounds = max(1, run.best)
            }
            let all = (0..<Int32(n)).map { $0 }
            let final = booster.run(rows: all, validation: [], rounds: rounds, refit: !validation.isEmpty, record: record)
            return (final, rounds)
        }
        featureNames = names
        iterationLog = log
        trees = final.trees
        initialScore = final.initialScore
        bestIteration = rounds
        gainImportance = final.importance
        return final.means
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
                    return PoissonObjective.mean(score: f)
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
        if let dispersionSize { parameters["dispersion_size"] = dispersionSize }
        let total = gainImportance.reduce(0, +)
        for (f, name) in featureNames.enumerated() where total > 0 { parameters["importance_" + name] = gainImportance[f] / total }
        return ModelDescription(kind: name, parameters: parameters,
                                notes: ["importance_*: share of the total split gain (refitted model)"])
    }
}
