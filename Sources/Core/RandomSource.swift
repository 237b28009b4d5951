import Foundation

/// xoshiro256** seeded through SplitMix64: fast, small, and the same numbers on every
/// platform, so generated data is byte-identical for a seed.
public struct RandomSource: RandomNumberGenerator, Sendable {
    private var s0, s1, s2, s3: UInt64

    public init(seed: UInt64) {
        var x = seed
        func splitmix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitmix(); s1 = splitmix(); s2 = splitmix(); s3 = splitmix()
    }

    /// An independent stream for item `index` of a seed (e.g. one per customer).
    public init(seed: UInt64, stream index: UInt64) {
        self.init(seed: seed ^ (index &+ 1) &* 0xD1B5_4A32_D192_ED03)
    }

    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// Uniform in [0, 1).
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform integer in `0..<n`.
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { uniform() < p }

    /// Exponential with the given rate.
    public mutating func exponential(rate: Double) -> Double { -log(1 - uniform()) / rate }

    /// Standard normal (Box–Muller).
    public mutating func normal() -> Double {
        let u = 1 - uniform(), v = uniform()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }

    /// Gamma(shape, scale) by Marsaglia and Tsang; shape < 1 through the boost u^(1/shape).
    public mutating func gamma(shape: Double, scale: Double) -> Double {
        if shape < 1 {
            return gamma(shape: shape + 1, scale: scale) * pow(1 - uniform(), 1 / shape)
        }
        let d = shape - 1.0 / 3, c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double, v: Double
            repeat { x = normal(); v = 1 + c * x } while v <= 0
            v = v * v * v
            let u = uniform()
            if u < 1 - 0.0331 * x * x * x * x || log(u) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v * scale }
        }
    }

    /// Poisson by inversion (for the small means used here).
    public mutating func poisson(_ mean: Double) -> Int {
        let l = exp(-mean)
        var k = 0
        var p = uniform()
        while p > l, k < 1000 { p *= uniform(); k += 1 }
        return k
    }

    /// An index drawn with probability proportional to the increments of `cumulative`
    /// (non-decreasing, last element = total).
    public mutating func pick(cumulative: [Double]) -> Int {
        let target = uniform() * cumulative[cumulative.count - 1]
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > target { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}

extension RandomSource {
    /// At most `k` distinct indices of 0..<n, drawn without replacement (a partial
    /// Fisher-Yates shuffle), in increasing order; all of them when n <= k.
    public mutating func sampleIndices(_ k: Int, of n: Int) -> [Int] {
        var indices = Array(0..<n)
        guard n > k else { return indices }
        for i in 0..<k { indices.swapAt(i, i + below(n - i)) }
        return Array(indices[0..<k]).sorted()
    }
}

/// Running sums of `weights`, for ``RandomSource/pick(cumulative:)``.
public func cumulativeSums(_ weights: [Double]) -> [Double] {
    var total = 0.0
    return weights.map { total += $0; return total }
}
