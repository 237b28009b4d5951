/// The training rows as bins, in the two layouts the tree learner reads (LightGBM's
/// `Dataset`): row-major for histograms, which read every feature of a row, and column-major
/// for partitions, which read one feature of many rows.
///
/// The bins live in arrays made for one fit: ``withBins(_:columns:rowCount:threads:_:)``
/// builds them (each feature binned on its own thread, then transposed) and lends them to
/// its body.
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
        let columnMajor = binning.binColumns(columns: columns, rows: n)
        let width = binning.featureCount
        var rowMajor = [UInt8](repeating: 0, count: n * width)
        rowMajor.withUnsafeMutableBufferPointer { rowBins in
            columnMajor.withUnsafeBufferPointer { columnBins in
                // The transpose, in blocks of rows on `threads` threads.
                _ = parallelBlocks(n, blockSize: 65_536, threads: threads) { block in
                    for f in 0..<width { for i in block { rowBins[i * width + f] = columnBins[f * n + i] } }
                }
            }
        }
        return try rowMajor.withUnsafeBufferPointer { rowBins in
            try columnMajor.withUnsafeBufferPointer { columnBins in
                // Non-nil even when empty, so the learner needs no special case.
                try body(BinnedDataset(binning: binning, rowCount: n, rowMajor: rowBins.baseAddress ?? UnsafePointer(bitPattern: 64)!,
                                       columnMajor: columnBins.baseAddress ?? UnsafePointer(bitPattern: 64)!))
            }
        }
    }
}
