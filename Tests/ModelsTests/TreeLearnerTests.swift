import Core
import Foundation
import Testing
@testable import Models

/// The booster's fast parts against plain loops: histograms, partitions, the blocks the
/// parallel passes use, the running means, and trees on 1, 2 and 3 threads on data large
/// enough that every parallel path runs (several histogram parts, several partition chunks).
@Suite("Tree learner internals")
struct TreeLearnerTests {
    /// `rows` rows of `width` features with few, many and missing values.
    static func columns(rows: Int, width: Int, seed: UInt64) -> [[Double]] {
        var rng = RandomSource(seed: seed)
        return (0..<width).map { f in
            (0..<rows).map { _ in
                switch f % 3 {
                case 0: Double(rng.below(4))  // few distinct values
                case 1: rng.chance(0.15) ? .nan : rng.uniform()  // many, some missing
                default: rng.normal()
                }
            }
        }
    }

    static func learner(_ data: BinnedDataset, threads: Int, minData: Int = 20) -> TreeLearner {
        TreeLearner(data: data, settings: .init(maxLeaves: 31, minDataInLeaf: minData, minHessianInLeaf: 1e-3, l2: 1, threads: threads))
    }

    @Test func blocksComeBackInOrderOnAnyNumberOfThreads() {
        for threads in [1, 2, 3] {
            let blocks = parallelBlocks(100_001, blockSize: 4_096, threads: threads) { $0 }
            #expect(blocks.count == 25)
            #expect(blocks.first == 0..<4_096 && blocks.last == 98_304..<100_001)
            #expect(zip(blocks, blocks.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        }
        #expect(parallelBlocks(0, blockSize: 10, threads: 2) { $0.count } == [0])
    }

    @Test func histogramsEqualPlainSumsOnEveryThreadCount() throws {
        let n = 150_000, width = 5
        let columns = Self.columns(rows: n, width: width, seed: 11)
        let binning = FeatureBinning(columns: columns)
        var rng = RandomSource(seed: 5)
        let gh = (0..<n).map { _ in SIMD2<Float>(Float(rng.normal()), Float(0.1 + rng.uniform())) }
        // Every third row, in a shuffled order (a leaf's rows after partitions).
        var rows = (0..<Int32(n)).filter { $0 % 3 != 1 }
        rows.shuffle(using: &rng)
        BinnedDataset.withBins(binning, columns: columns, rowCount: n, threads: 2) { data in
            var expectedSums = [[SIMD2<Double>]](repeating: [SIMD2<Double>](repeating: .zero, count: 256), count: width)
            var expectedCounts = [[UInt32]](repeating: [UInt32](repeating: 0, count: 256), count: width)
            for r in rows {
                for f in 0..<width {
                    let b = binning.bin(columns[f][Int(r)], feature: f)
                    expectedSums[f][b] += SIMD2<Double>(gh[Int(r)])
                    expectedCounts[f][b] += 1
                }
            }
            for threads in [1, 2, 3] {
                let learner = Self.learner(data, threads: threads)
                let workspace = learner.makeWorkspace()
                gh.withUnsafeBufferPointer { g in
                    rows.withUnsafeBufferPointer { r in
                        learner.buildHistogram(workspace.histogram(0), rows: r.baseAddress!, count: r.count, gh: g.baseAddress!,
                                               features: Array(0..<width), workspace: workspace)
                    }
                }
                let h = workspace.histogram(0)
                for f in 0..<width {
                    for b in 0...binning.missingBin(f) {
                        let e = learner.offset[f] + b
                        #expect(h.counts[e] == expectedCounts[f][b], "feature \(f) bin \(b), \(threads) threads")
                        let s = h.sums[e], t = expectedSums[f][b]
                        #expect(abs(s.x - t.x) <= 1e-9 * max(1, abs(t.x)) && abs(s.y - t.y) <= 1e-9 * max(1, abs(t.y)))
                    }
                }
            }
        }
    }

    @Test func partitionsAreStableAndTheSameOnEveryThreadCount() {
        let n = 100_000
        let columns = Self.columns(rows: n, width: 3, seed: 2)
        let binning = FeatureBinning(columns: columns)
        BinnedDataset.withBins(binning, columns: columns, rowCount: n, threads: 2) { data in
            var rng = RandomSource(seed: 9)
            var original = (0..<Int32(n)).map { $0 }
            original.shuffle(using: &rng)
            for (feature, missingLeft) in [(0, false), (1, true), (1, false), (2, false)] {
                let split = TreeLearner.Split(gain: 1, feature: feature, bin: binning.upperBounds[feature].count / 2, missingLeft: missingLeft)
                func goesLeft(_ r: Int32) -> Bool {
                    let b = binning.bin(columns[feature][Int(r)], feature: feature)
                    return b == binning.missingBin(feature) ? missingLeft : b <= split.bin
                }
                // Rows 1,000..<95,000 of the shuffled list: a parent in the middle of the array.
                let expected = Array(original[..<1_000]) + original[1_000..<95_000].filter(goesLeft)
                    + original[1_000..<95_000].filter { !goesLeft($0) } + Array(original[95_000...])
                for threads in [1, 2, 3] {
                    let learner = Self.learner(data, threads: threads)
                    let workspace = learner.makeWorkspace()
                    var rows = original
                    let boundary = rows.withUnsafeMutableBufferPointer {
                        learner.partition($0.baseAddress!, 1_000, 95_000, split: split, scratch: workspace.scratch)
                    }
                    #expect(rows == expected, "feature \(feature), \(threads) threads")
                    #expect(boundary == 1_000 + original[1_000..<95_000].filter(goesLeft).count)
                }
            }
        }
    }

    @Test func treesAreTheSameOnOneTwoAndThreeThreads() throws {
        let n = 120_000
        let columns = Self.columns(rows: n, width: 6, seed: 4)
        var rng = RandomSource(seed: 8)
        let y = (0..<n).map { i in
            Double(rng.poisson(exp(-1 + (columns[0][i] > 1 ? 1 : 0) + (columns[1][i].isNaN ? 0.5 : columns[1][i]))))
        }
        var settings = GradientBoosting.Settings()
        settings.maxTrees = 12
        settings.earlyStoppingRounds = 0
        settings.minDataInLeaf = 20
        var fits: [GradientBoosting] = []
        for threads in [1, 2, 3] {
            settings.threads = threads
            var model = GradientBoosting(settings: settings)
            try model.fit(names: (0..<6).map { "x\($0)" }, columns: columns, target: y)
            fits.append(model)
        }
        #expect(fits[0].trees.count == 12)
        #expect(fits[1].trees == fits[0].trees && fits[2].trees == fits[0].trees)
        #expect(fits[0].trees.allSatisfy { $0.leafCount > 8 })
    }

    @Test func runningMeansStayTheExponentialOfTheScores() {
        var scores = ScoreUpdater(rowCount: 4, initialScore: -0.5, threads: 2)
        var tree = RegressionTree()
        tree.leafValue = [0.3]
        let rows: [Int32] = [0, 1, 2, 3]
        for step in 0..<400 {
            tree.leafValue = [step % 2 == 0 ? 0.37 : -0.29]
            rows.withUnsafeBufferPointer { scores.add(tree, leafRanges: [0..<4], rows: $0) }
        }
        for i in 0..<4 { #expect(abs(scores.mean[i] / exp(scores.score[i]) - 1) < 1e-12) }
        // Past the cap the mean is e^cap exactly.
        tree.leafValue = [40]
        rows.withUnsafeBufferPointer { scores.add(tree, leafRanges: [0..<4], rows: $0) }
        #expect(scores.mean[0] == exp(PoissonObjective.maxScore))
        tree.leafValue = [-45]
        rows.withUnsafeBufferPointer { scores.add(tree, leafRanges: [0..<4], rows: $0) }
        #expect(abs(scores.mean[0] / exp(scores.score[0]) - 1) < 1e-12)
    }
}
