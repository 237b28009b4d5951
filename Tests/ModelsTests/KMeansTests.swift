import Core
import Foundation
import Models
import Testing

@Suite("k-means and silhouette")
struct KMeansTests {
    /// Three well-separated blobs in 2-D, 50 points each.
    func blobs(seed: UInt64 = 1) -> [Double] {
        var random = RandomSource(seed: seed)
        var points: [Double] = []
        for centre in [(0.0, 0.0), (10.0, 0.0), (0.0, 10.0)] {
            for _ in 0..<50 { points += [centre.0 + random.normal() * 0.5, centre.1 + random.normal() * 0.5] }
        }
        return points
    }

    @Test func recoversSeparatedBlobsAndChoosesThreeBySilhouette() {
        let points = blobs()
        let (result, scores) = KMeans(seed: 7).fitChoosingK(points, dimension: 2, maxK: 6)
        #expect(result.k == 3)
        #expect(scores[3]! > 0.8 && scores.allSatisfy { $0.key == 3 || $0.value < scores[3]! })
        for blob in 0..<3 {
            let labels = Set(result.assignment[blob * 50..<(blob + 1) * 50])
            #expect(labels.count == 1, "blob \(blob) is split")
        }
        #expect(Set(result.assignment).count == 3)
    }

    /// Silhouette by hand: points 0, 1 (cluster A) and 5 (cluster B) on a line.
    /// s(0) = (5 - 1)/5, s(1) = (4 - 1)/4, s(5) = 0 (alone): mean = (0.8 + 0.75) / 3.
    @Test func silhouetteMatchesAHandComputation() {
        let s = KMeans.silhouette([0, 1, 5], dimension: 1, assignment: [0, 0, 1], k: 2)
        #expect(abs(s - (0.8 + 0.75) / 3) < 1e-12)
        #expect(KMeans.silhouette([0, 1], dimension: 1, assignment: [0, 0], k: 1) == 0)
    }

    @Test func deterministicForASeedAndSafeAtEdges() {
        let points = blobs(seed: 3)
        #expect(KMeans(seed: 11).fit(points, dimension: 2, k: 4) == KMeans(seed: 11).fit(points, dimension: 2, k: 4))
        let empty = KMeans().fit([], dimension: 2, k: 3)
        #expect(empty.k == 0 && empty.assignment.isEmpty)
        let one = KMeans().fit([1, 2], dimension: 2, k: 3)
        #expect(one.k == 1 && one.assignment == [0] && one.inertia == 0)
        let same = KMeans().fit([Double](repeating: 4, count: 20), dimension: 2, k: 3)
        #expect(same.inertia == 0 && same.assignment.count == 10)
        #expect(KMeans.assign([0, 0, 9, 9], dimension: 2, centroids: [10, 10, 1, 1]) == [1, 0])
    }
}
