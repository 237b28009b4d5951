import Core
import Foundation
import Testing
@testable import Features
@testable import Ingestion
@testable import Models

@Suite("Gradient-boosted trees")
struct GradientBoostingTests {
    /// y ~ Poisson(exp(−1 + 1.5·[x₀ > 0.3] + 0.5·x₁)) with a useless x₂ and missing x₁ on 10%
    /// of rows (where the rate is high).
    static func synthetic(rows: Int, seed: UInt64) -> (columns: [[Double]], y: [Double], rate: [Double]) {
        var rng = RandomSource(seed: seed)
        var x0: [Double] = [], x1: [Double] = [], x2: [Double] = [], y: [Double] = [], rate: [Double] = []
        for _ in 0..<rows {
            let a = rng.uniform(), b = rng.uniform(), missing = rng.chance(0.1)
            let eta = -1 + (a > 0.3 ? 1.5 : 0) + (missing ? 1.0 : 0.5 * b)
            x0.append(a); x1.append(missing ? .nan : b); x2.append(rng.uniform())
            rate.append(exp(eta))
            y.append(Double(rng.poisson(exp(eta))))
        }
        return ([x0, x1, x2], y, rate)
    }

    @Test func learnsAKnownRateAndIsDeterministic() throws {
        let data = Self.synthetic(rows: 20_000, seed: 7)
        var settings = GradientBoosting.Settings()
        settings.maxTrees = 150
        settings.earlyStoppingRounds = 0
        settings.minDataInLeaf = 50
        var model = GradientBoosting(settings: settings)
        try model.fit(names: ["x0", "x1", "x2"], columns: data.columns, target: data.y)
        let predicted = model.predict(columns: data.columns, rows: data.y.count)
        // Close to the true rates, and far better than a constant.
        let meanAbsoluteError = zip(predicted, data.rate).map { abs($0 - $1) }.reduce(0, +) / Double(data.y.count)
        #expect(meanAbsoluteError < 0.12, "\(meanAbsoluteError)")
        let mean = data.y.reduce(0, +) / Double(data.y.count)
        func deviance(_ p: [Double]) -> Double {
            zip(data.y, p).map { y, mu in 2 * ((y > 0 ? y * log(y / mu) : 0) - y + mu) }.reduce(0, +) / Double(data.y.count)
        }
        #expect(deviance(predicted) < deviance([Double](repeating: mean, count: data.y.count)) - 0.2)
        // The useless feature earns little of the gain.
        let x2Share = model.gainImportance[2] / model.gainImportance.reduce(0, +)
        #expect(x2Share < 0.1, "\(x2Share)")
        // Same seed, same trees; a different thread count too.
        var again = GradientBoosting(settings: settings)
        try again.fit(names: ["x0", "x1", "x2"], columns: data.columns, target: data.y)
        #expect(again.trees == model.trees)
        var oneThread = settings
        oneThread.threads = 1
        var serial = GradientBoosting(settings: oneThread)
        try serial.fit(names: ["x0", "x1", "x2"], columns: data.columns, target: data.y)
        #expect(serial.trees == model.trees)
    }

    @Test func missingValuesGoToTheBetterSide() throws {
        // Only missingness carries signal.
        var rng = RandomSource(seed: 3)
        var x: [Double] = [], y: [Double] = []
        for _ in 0..<4_000 {
            let missing = rng.chance(0.3)
            x.append(missing ? .nan : rng.uniform())
            y.append(Double(rng.poisson(missing ? 3 : 0.3)))
        }
        var settings = GradientBoosting.Settings()
        settings.maxTrees = 100
        settings.learningRate = 0.2
        settings.earlyStoppingRounds = 0
        settings.rowSubsample = 1
        settings.featureSubsample = 1
        var model = GradientBoosting(settings: settings)
        try model.fit(names: ["x"], columns: [x], target: y)
        let p = model.predict(columns: [[.nan, 0.5]], rows: 2)
        #expect(abs(p[0] - 3) < 0.4 && abs(p[1] - 0.3) < 0.1, "\(p)")
    }

    @Test func earlyStoppingStopsOnNoise() throws {
        var rng = RandomSource(seed: 11)
        let n = 6_000
        let columns = (0..<4).map { _ in (0..<n).map { _ in rng.uniform() } }
        let y = (0..<n).map { _ in Double(rng.poisson(0.5)) }
        var settings = GradientBoosting.Settings()
        settings.maxTrees = 400
        settings.earlyStoppingRounds = 10
        var model = GradientBoosting(settings: settings)
        try model.fit(names: ["a", "b", "c", "d"], columns: columns, target: y,
                      training: (0..<Int32(n * 3 / 4)).map { $0 }, validation: (Int32(n * 3 / 4)..<Int32(n)).map { $0 })
        #expect(model.bestIteration < 100, "\(model.bestIteration)")
        #expect(model.trees.count == model.bestIteration)
        #expect(model.trainingLog.contains { $0.metrics["valid_deviance"] != nil })
    }

    /// Bounds lie halfway between adjacent values, so a value a rounding step away from a training value (the same
    /// amounts summed in another order) falls in that value's bin; values equal up to rounding share one bin; the
    /// other training values keep their own bins.
    @Test func boundsLieBetweenValuesNotOnThem() {
        let sum = 62.870000000000005, other = 62.87  // 20.5 + 21.37 + 21.0 in two orders
        let values = [10.0, other, 80.0, 1.0.nextUp, 1.0]
        let binning = FeatureBinning(columns: [values])
        #expect(binning.bin(sum, feature: 0) == binning.bin(other, feature: 0))
        #expect(binning.upperBounds[0] == [1 + (10 - 1) / 2, 10 + (other - 10) / 2, other + (80 - other) / 2, 80])
        let bins = values.map { binning.bin($0, feature: 0) }
        #expect(Set(bins).count == values.count - 1 && bins[3] == bins[4])
        // Both roundings of one sum seen in training are one value: one bin, no threshold between them.
        let both = FeatureBinning(columns: [[10, other, sum, 80]])
        #expect(both.upperBounds[0].count == 3 && both.bin(other, feature: 0) == both.bin(sum, feature: 0))
        #expect(both.bin(other.nextDown.nextDown, feature: 0) == both.bin(sum.nextUp, feature: 0))
        // Quantile bounds (more distinct values than bins) move too, and keep every sampled value in its bin.
        let many = (0..<2_000).map { Double($0) * 0.5 }
        let quantiles = FeatureBinning(columns: [many], maxBins: 16)
        #expect(quantiles.upperBounds[0].dropLast().allSatisfy { $0 != $0.rounded(.down) && ($0 * 2) != ($0 * 2).rounded(.down) })
        for v in many { #expect(v <= quantiles.upperBounds[0][quantiles.bin(v, feature: 0)]) }
    }

    @Test func binningRespectsTheBinLimitAndOrder() {
        let values = (0..<10_000).map { Double($0 % 997) } + [.nan]
        let binning = FeatureBinning(columns: [values, [1, 2, 2, 3, 3, 3, 4, 4, 4, 4, 5]])
        #expect(binning.upperBounds[0].count <= 255 && binning.upperBounds[1] == [1.5, 2.5, 3.5, 4.5, 5])
        #expect(binning.bin(.nan, feature: 0) == binning.missingBin(0))
        #expect(binning.bin(-5, feature: 1) == 0 && binning.bin(2.5, feature: 1) == 1 && binning.bin(2.6, feature: 1) == 2
                && binning.bin(99, feature: 1) == 4)
        var previous = 0
        for v in stride(from: 0.0, to: 997, by: 1) {
            let b = binning.bin(v, feature: 0)
            #expect(b >= previous)
            previous = b
        }
    }

    @Test func emptyOrNegativeTargetsAreTypedErrors() {
        var model = GradientBoosting()
        #expect(throws: ModelFitError.noTrainingData(model: "gbm")) { try model.fit(names: ["a"], columns: [[]], target: []) }
        #expect(throws: ModelFitError.invalidTarget(model: "gbm")) { try model.fit(names: ["a"], columns: [[1]], target: [-1]) }
    }
}

@Suite("Blend")
struct BlendTests {
    @Test func weightsRecoverTheTrueComponentAndStayNonNegative() {
        var rng = RandomSource(seed: 5)
        let n = 20_000
        let good = (0..<n).map { _ in 0.2 + 2 * rng.uniform() }
        let noise = (0..<n).map { _ in 0.2 + 2 * rng.uniform() }
        let y = good.map { Double(rng.poisson(0.9 * $0)) }
        var blend = Blend(components: [ZeroForecaster(), ZeroForecaster()])
        let w = blend.fitWeights([good, noise], y)
        #expect(w.allSatisfy { $0 >= 0 })
        #expect(abs(w[0] - 0.9) < 0.05 && w[1] < 0.05, "\(w)")
        // The EM update never raises the deviance.
        #expect(zip(blend.objectiveTrace, blend.objectiveTrace.dropFirst()).allSatisfy { $1 <= $0 + 1e-12 })
    }
}
