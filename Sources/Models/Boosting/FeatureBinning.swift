import Core
import Foundation

/// Maps each feature's values to at most 255 ordered bins (plus one bin for missing values),
/// the input of histogram-based tree growing.
///
/// A feature with at most `maxBins` distinct values gets one bin per value; otherwise the bin
/// edges are quantiles of the values (of a deterministic sample of at most 200,000 rows). A
/// value v falls in the first bin b with v ≤ `upperBounds[f][b]` (the last bin takes everything
/// above); NaN falls in bin `upperBounds[f].count`, the missing bin. A split "bin ≤ t" is then
/// "value ≤ upperBounds[f][t]" on raw values, which is what the saved trees store.
public struct FeatureBinning: Codable, Sendable, Equatable {
    public static let maxBins = 255
    /// `upperBounds[f]`: ascending bin upper bounds of feature f (the last one is +∞ in effect).
    public var upperBounds: [[Double]]

    public var featureCount: Int { upperBounds.count }
    /// The missing-value bin of feature `f`.
    public func missingBin(_ f: Int) -> Int { upperBounds[f].count }

    /// Learns the bins from `columns[f][row]`.
    public init(columns: [[Double]], maxBins: Int = FeatureBinning.maxBins, sampleSize: Int = 200_000) {
        precondition((2...255).contains(maxBins))
        upperBounds = columns.map { values in
            let n = values.count
            let stride = max(1, n / sampleSize)
            var sample: [Double] = []
            sample.reserveCapacity(min(n, sampleSize + 1))
            var i = 0
            while i < n { if !values[i].isNaN { sample.append(values[i]) }; i += stride }
            sample.sort()
            guard !sample.isEmpty else { return [0] }
            var distinct: [Double] = []
            for v in sample where distinct.last != v { distinct.append(v) }
            if distinct.count <= maxBins { return distinct }
            var bounds: [Double] = []
            for b in 1...maxBins {
                let v = sample[min(sample.count - 1, b * sample.count / maxBins - 1)]
                if bounds.last != v { bounds.append(v) }
            }
            return bounds
        }
    }

    /// The bin of `value` for feature `f`.
    @inline(__always)
    public func bin(_ value: Double, feature f: Int) -> Int {
        let bounds = upperBounds[f]
        if value.isNaN { return bounds.count }
        var lo = 0, hi = bounds.count - 1  // the last bin takes every larger value
        while lo < hi {
            let mid = (lo + hi) / 2
            if value <= bounds[mid] { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// Row-major bins: `result[row * featureCount + f]`.
    public func binRows(columns: [[Double]], threads: Int = 1) -> [UInt8] {
        let width = featureCount
        let rows = columns.first?.count ?? 0
        var out = [UInt8](repeating: 0, count: rows * width)
        out.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress, !buffer.isEmpty else { return }  // no rows or no features
            let parts = max(1, min(threads, rows / 100_000))
            _ = parallelMapRanges(rows, parts: parts) { range in
                for f in 0..<width {
                    let column = columns[f]
                    for r in range { base[r * width + f] = UInt8(bin(column[r], feature: f)) }
                }
            }
        }
        return out
    }
}
