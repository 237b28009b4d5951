import Foundation

/// The boosting loop (LightGBM's `GBDT`): on a binned dataset, adds trees one at a time, each
/// grown by the tree learner on the objective's gradients at the current scores, over the
/// rows and features bagging drew for it, shrunk by the learning rate and added to the
/// scores.
struct Booster {
    /// What one run of boosting produced.
    struct Run {
        /// The trees kept: the first `best`.
        var trees: [RegressionTree]
        var initialScore: Double
        /// The best number of trees by validation deviance, or every tree grown without
        /// validation rows.
        var best: Int
        /// Total split gain per feature, over every tree grown.
        var importance: [Double]
        /// Each row's mean after every tree grown (training rows and validation rows).
        var means: [Double]
    }

    let settings: GradientBoosting.Settings
    let data: BinnedDataset
    let target: [Double]
    let objective: PoissonObjective
    let learner: TreeLearner

    init(settings: GradientBoosting.Settings, data: BinnedDataset, target: [Double], threads: Int) {
        self.settings = settings
        self.data = data
        self.target = target
        objective = PoissonObjective(maxDeltaStep: settings.maxDeltaStep, threads: threads)
        learner = TreeLearner(data: data, settings: .init(
            maxLeaves: settings.maxLeaves, minDataInLeaf: settings.minDataInLeaf, minHessianInLeaf: settings.minHessianInLeaf,
            l2: settings.l2, threads: threads))
    }

    /// Adds up to `rounds` trees on `rows`; with validation rows, stops after
    /// `earlyStoppingRounds` trees without a better validation deviance. `record` receives
    /// each tree's log entry (`refit` marks the final fit that follows early stopping).
    func run(rows: [Int32], validation: [Int32], rounds: Int, refit: Bool, record: (TrainingLogEntry) -> Void) -> Run {
        let initial = objective.initialScore(target: target, rows: rows)
        var scores = ScoreUpdater(rowCount: target.count, initialScore: initial, threads: learner.settings.threads)
        var gh = [SIMD2<Float>](repeating: .zero, count: target.count)
        let workspace = learner.makeWorkspace()
        let trainingConstant = objective.devianceConstant(target: target, rows: rows)
        let validationConstant = objective.devianceConstant(target: target, rows: validation)
        var bagging = Bagging(seed: settings.seed, rowFraction: settings.rowSubsample, featureFraction: settings.featureSubsample,
                              featureCount: data.featureCount, rowCapacity: rows.count)
        let missingBins = data.binning.upperBounds.map(\.count)
        var trees: [RegressionTree] = []
        var importance = [Double](repeating: 0, count: data.featureCount)
        var best = 0, bestDeviance = Double.infinity
        for iteration in 1...max(1, rounds) {
            // Gradients on the training rows, then this tree's rows and features.
            objective.gradients(mean: scores.mean, target: target, rows: rows, into: &gh)
            bagging.draw(from: rows)
            let allowed = bagging.allowedFeatures
            var grown = bagging.withSample { sample in
                gh.withUnsafeBufferPointer { p in learner.grow(rows: sample, gh: p.baseAddress!, allowed: allowed, workspace: workspace) }
            }
            for k in grown.tree.leafValue.indices { grown.tree.leafValue[k] *= settings.learningRate }
            for (f, gain) in grown.gains { importance[f] += gain }
            // The sampled rows from the leaves they ended in; the others (rows left out of the
            // sample, validation rows) by walking the binned tree.
            let tree = grown.tree, leafRanges = grown.leafRanges
            bagging.withSampledRows { scores.add(tree, leafRanges: leafRanges, rows: $0) }
            let binned = BinnedTree(tree, splitBins: grown.splitBins, missingBins: missingBins)
            scores.add(tree, binned: binned, rows: bagging.outOfBag, data: data)
            scores.add(tree, binned: binned, rows: validation, data: data)
            trees.append(tree)
            var metrics = ["train_deviance": objective.deviance(constant: trainingConstant, target: target, score: scores.score,
                                                               mean: scores.mean, rows: rows)]
            if refit { metrics["refit"] = 1 }
            if !validation.isEmpty {
                let d = objective.deviance(constant: validationConstant, target: target, score: scores.score, mean: scores.mean,
                                           rows: validation)
                metrics["valid_deviance"] = d
                if d < bestDeviance - 1e-12 { bestDeviance = d; best = iteration }
            } else {
                best = iteration
            }
            record(TrainingLogEntry(iteration: iteration, metrics: metrics))
            if !validation.isEmpty, iteration - best >= settings.earlyStoppingRounds { break }
        }
        return Run(trees: Array(trees.prefix(best)), initialScore: initial, best: best, importance: importance, means: scores.mean)
    }
}
