import Core

/// k-means clustering (Lloyd's algorithm with k-means++ seeding) and the silhouette score that
/// chooses k.
///
/// Points are the rows of a row-major `[Double]` with `dimension` columns (the layout the
/// callers already hold, so nothing is copied into per-point arrays); distances are Euclidean.
/// Everything is deterministic for a seed: the same points and seed give the same clusters,
/// which is what keeps the marketing audience's committed charts byte-identical.
///
/// ```swift
/// let kmeans = KMeans(seed: 42)
/// let result = kmeans.fit(points, dimension: 2, k: 3)
/// let labels = KMeans.assign(morePoints, dimension: 2, centroids: result.centroids)
/// ```
public struct KMeans: Sendable {
    /// A fitted clustering.
    public struct Result: Sendable, Equatable {
        /// Clusters fitted (the requested k capped at the number of points; 0 for no points).
        public var k: Int
        /// Cluster of each point, 0..<k.
        public var assignment: [Int]
        /// Row-major k x dimension.
        public var centroids: [Double]
        /// Sum of squared distances to the assigned centroid.
        public var inertia: Double
        /// Lloyd iterations of the winning start.
        public var iterations: Int
    }

    /// Lloyd iterations per start at most (a start usually converges much earlier).
    public var maxIterations = 100
    /// Independent k-means++ starts; the one with the least inertia wins.
    public var restarts = 4
    /// The seed of every random choice (seeding, restarts, the silhouette's sample).
    public var seed: UInt64

    /// A clusterer with the default iterations and restarts.
    public init(seed: UInt64 = 42) { self.seed = seed }

    /// Clusters `n = points.count / dimension` points into `k` clusters (k is capped at n).
    public func fit(_ points: [Double], dimension: Int, k requested: Int) -> Result {
        let n = dimension > 0 ? points.count / dimension : 0
        let k = max(1, min(requested, n))
        guard n > 0 else { return Result(k: 0, assignment: [], centroids: [], inertia: 0, iterations: 0) }
        var best: Result?
        var random = RandomSource(seed: seed &+ UInt64(k) &* 0x9E37_79B9)
        for _ in 0..<max(1, restarts) {
            let r = lloyd(points, n: n, dimension: dimension, centroids: seedPlusPlus(points, n: n, dimension: dimension, k: k, random: &random))
            if best == nil || r.inertia < best!.inertia { best = r }
        }
        return best!
    }

    /// k-means++: the first centre uniformly, each next one with probability proportional to
    /// the squared distance to the nearest centre chosen so far.
    private func seedPlusPlus(_ p: [Double], n: Int, dimension d: Int, k: Int, random: inout RandomSource) -> [Double] {
        var centroids: [Double] = []
        centroids.reserveCapacity(k * d)
        let first = random.below(n)
        centroids.append(contentsOf: p[first * d..<(first + 1) * d])
        var nearest = (0..<n).map { squaredDistance(p, $0 * d, centroids, 0, d) }
        while centroids.count < k * d {
            let total = nearest.reduce(0, +)
            var chosen = n - 1
            if total > 0 {
                var target = random.uniform() * total
                for i in 0..<n {
                    target -= nearest[i]
                    if target <= 0 { chosen = i; break }
                }
            } else {
                chosen = random.below(n)  // all points coincide with a centre
            }
            let c = centroids.count
            centroids.append(contentsOf: p[chosen * d..<(chosen + 1) * d])
            for i in 0..<n { nearest[i] = min(nearest[i], squaredDistance(p, i * d, centroids, c, d)) }
        }
        return centroids
    }

    /// Lloyd's iterations from `start` until no point changes cluster (or ``maxIterations``).
    private func lloyd(_ p: [Double], n: Int, dimension d: Int, centroids start: [Double]) -> Result {
        let k = start.count / d
        var centroids = start
        var assignment = [Int](repeating: -1, count: n)
        var iterations = 0
        var inertia = 0.0
        while iterations < maxIterations {
            iterations += 1
            var moved = false
            inertia = 0
            for i in 0..<n {
                var best = 0, bestDistance = Double.infinity
                for c in 0..<k {
                    let dist = squaredDistance(p, i * d, centroids, c * d, d)
                    if dist < bestDistance { bestDistance = dist; best = c }
                }
                if assignment[i] != best { assignment[i] = best; moved = true }
                inertia += bestDistance
            }
            if !moved { break }
            var sums = [Double](repeating: 0, count: k * d)
            var counts = [Int](repeating: 0, count: k)
            for i in 0..<n {
                let c = assignment[i]
                counts[c] += 1
                for j in 0..<d { sums[c * d + j] += p[i * d + j] }
            }
            for c in 0..<k where counts[c] > 0 {
                for j in 0..<d { centroids[c * d + j] = sums[c * d + j] / Double(counts[c]) }
            }
            // An emptied cluster keeps its old centre; Lloyd's step never increases inertia.
        }
        return Result(k: k, assignment: assignment, centroids: centroids, inertia: inertia, iterations: iterations)
    }

    /// The nearest centroid of each point.
    public static func assign(_ p: [Double], dimension d: Int, centroids: [Double]) -> [Int] {
        let n = d > 0 ? p.count / d : 0, k = d > 0 ? centroids.count / d : 0
        return (0..<n).map { i in
            var best = 0, bestDistance = Double.infinity
            for c in 0..<k {
                let dist = squaredDistance(p, i * d, centroids, c * d, d)
                if dist < bestDistance { bestDistance = dist; best = c }
            }
            return best
        }
    }

    /// The mean silhouette of a clustering over the points `sample` (all points when nil):
    /// for each point, (b - a) / max(a, b) with a the mean distance to its own cluster and b the
    /// least mean distance to another cluster; 0 for a point alone in its cluster.
    public static func silhouette(_ p: [Double], dimension d: Int, assignment: [Int], k: Int, sample: [Int]? = nil) -> Double {
        let points = sample ?? Array(0..<assignment.count)
        guard k > 1, points.count > 1 else { return 0 }
        var total = 0.0
        for i in points {
            var sum = [Double](repeating: 0, count: k)
            var count = [Int](repeating: 0, count: k)
            for j in points where j != i {
                sum[assignment[j]] += squaredDistance(p, i * d, p, j * d, d).squareRoot()
                count[assignment[j]] += 1
            }
            let own = assignment[i]
            guard count[own] > 0 else { continue }
            let a = sum[own] / Double(count[own])
            var b = Double.infinity
            for c in 0..<k where c != own && count[c] > 0 { b = min(b, sum[c] / Double(count[c])) }
            guard b.isFinite else { continue }
            let m = max(a, b)
            if m > 0 { total += (b - a) / m }
        }
        return total / Double(points.count)
    }

    /// Fits k = 2...maxK and keeps the k with the best silhouette (measured on a seeded sample
    /// of at most `sampleSize` points, since the silhouette is quadratic).
    ///
    /// - Returns: the chosen fit, and the silhouette of every k tried (none when there are at
    ///   most two points: then k is 1).
    public func fitChoosingK(_ points: [Double], dimension: Int, maxK: Int = 8, sampleSize: Int = 2_000) -> (result: Result, silhouettes: [Int: Double]) {
        let n = dimension > 0 ? points.count / dimension : 0
        guard n > 2 else { return (fit(points, dimension: dimension, k: 1), [:]) }
        var random = RandomSource(seed: seed ^ 0x5151)
        let sample = random.sampleIndices(sampleSize, of: n)
        var scores: [Int: Double] = [:]
        var best: (Result, Double)?
        for k in 2...max(2, min(maxK, n - 1)) {
            let r = fit(points, dimension: dimension, k: k)
            let s = Self.silhouette(points, dimension: dimension, assignment: r.assignment, k: r.k, sample: sample)
            scores[k] = s
            if best == nil || s > best!.1 + 1e-12 { best = (r, s) }
        }
        return (best!.0, scores)
    }
}

/// The squared Euclidean distance between the `d` values of `a` from `i` and of `b` from `j`.
@inline(__always)
private func squaredDistance(_ a: [Double], _ i: Int, _ b: [Double], _ j: Int, _ d: Int) -> Double {
    var s = 0.0
    for t in 0..<d {
        let x = a[i + t] - b[j + t]
        s += x * x
    }
    return s
}
