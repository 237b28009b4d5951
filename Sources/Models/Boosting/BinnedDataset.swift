/// The training rows as bins, in the two layouts the tree learner reads (LightGBM's
/// `Dataset`): row-major for histograms, which read every feature of a row, and column-major
/// for partitions, which read one feature of many rows.
///
/// The bins live in buffers allocated for one fit: ``withBins(_:columns:rowCount:threads:_:)``
/// builds them, lends them to its body and frees them when the body returns.
struct BinnedDataset {
    let binning: FeatureBinning
    let rowCount: Int
    /// `rowMajor[row * featureCount + f]`: the bin of feature f in a row.
    let rowMajor: UnsafePointer<UInt8>
    /// `columnMajor[f * rowCount + row]`: the same bins, feature by feature.
    let columnMajor: UnsafePointer<UInt8>

    var featureCount: Int { binning.featureCount }

    /// Bins the first `rowCount` rows of `columns[f][row]` with `binning` and runs `body` on
    /// them.
    static func withBins<R>(_ binning: FeatureBinning, columns: [[Double]], rowCount n: Int, threads: Int,
                            _ body: (BinnedDataset) throws -> R) rethrows -> R {
        let rowMajor = binning.binRows(columns: columns, threads: threads)
        let bins = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, rowMajor.count))
        let columnBins = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, rowMajor.count))
        defer { bins.deallocate(); columnBins.deallocate() }
        _ = bins.initialize(from: rowMajor)
        let width = binning.featureCount
        for i in 0..<n { for f in 0..<width { columnBins[f * n + i] = rowMajor[i * width + f] } }
        return try body(BinnedDataset(binning: binning, rowCount: n, rowMajor: UnsafePointer(bins.baseAddress!),
                                      columnMajor: UnsafePointer(columnBins.baseAddress!)))
    }
}
