import Features
import Foundation
import LinearAlgebra

/// The GLM's input transformation, fitted on the training rows and applied unchanged to
/// prediction rows, as scikit-learn's pipeline in the Python reference does:
///
/// 1. a feature with missing values (NaN) in training gets its training median imputed and
///    a 0/1 "was missing" indicator column;
/// 2. counts and amounts go through log1p (slopes, which can be negative, through the signed
///    version sign(x)·log1p(|x|));
/// 3. every column is standardised with the training mean and standard deviation (a
///    constant column becomes 0);
/// 4. `target_month` becomes 12 one-hot columns (an unseen month gets all zeros);
/// 5. an intercept column of ones comes first.
public struct GLMDesign: Codable, Sendable, Equatable {
    public struct Column: Codable, Sendable, Equatable {
        /// Source feature name.
        public var feature: String
        /// True for the "was missing" indicator of `feature`.
        public var indicator: Bool
        public var median: Double
        public var signedLog: Bool
        public var mean: Double
        public var scale: Double
    }

    public var columns: [Column]
    /// Whether the 12 month columns follow the numeric ones.
    public var monthOneHot: Bool

    /// Number of design-matrix columns including the intercept.
    public var width: Int { 1 + columns.count + (monthOneHot ? 12 : 0) }

    /// Column names in design order.
    public var names: [String] {
        ["intercept"] + columns.map { $0.indicator ? "\($0.feature)_missing" : $0.feature }
            + (monthOneHot ? (1...12).map { "month_\($0)" } : [])
    }

    static let signedFeatures: Set<String> = ["slope_6m", "slope_12m"]

    /// The design fitted on a training panel and the panel's design matrix.
    static func training(_ panel: TrainingPanel?, model: String) throws -> (design: GLMDesign, matrix: Matrix) {
        guard let panel, panel.rowCount > 0 else { throw ModelFitError.noTrainingData(model: model) }
        let design = GLMDesign(names: panel.names, columns: panel.columns)
        return (design, try design.matrix(names: panel.names, columns: panel.columns))
    }

    /// Fits the transformation on training columns (`columns[f][row]`; a name without a
    /// column counts as a column with no rows).
    public init(names: [String], columns data: [[Double]]) {
        var cols: [Column] = []
        // The training column each design column reads: the first with its feature's name.
        var source: [Int] = []
        func column(_ f: Int) -> [Double] { f < data.count ? data[f] : [] }
        for (f, name) in names.enumerated() where name != "target_month" {
            let values = column(f)
            var present = values.filter { !$0.isNaN }
            let median = GLMDesign.median(&present)
            let signed = GLMDesign.signedFeatures.contains(name)
            let first = names.firstIndex(of: name) ?? f
            cols.append(Column(feature: name, indicator: false, median: median, signedLog: signed, mean: 0, scale: 1))
            source.append(first)
            if present.count < values.count {
                cols.append(Column(feature: name, indicator: true, median: 0, signedLog: false, mean: 0, scale: 1))
                source.append(first)
            }
        }
        self.columns = cols
        self.monthOneHot = names.contains("target_month")
        // Means and scales of the transformed training values; a constant column gets scale 0,
        // and `matrix` then writes 0 for it instead of dividing by 0.
        for k in columns.indices {
            let raw = column(source[k])
            var sum = 0.0, sumSq = 0.0
            for v in raw { let t = transform(v, columns[k]); sum += t; sumSq += t * t }
            let n = Double(max(1, raw.count))
            let mean = sum / n
            let variance = max(0, sumSq / n - mean * mean)
            columns[k].mean = mean
            columns[k].scale = variance > 1e-24 ? variance.squareRoot() : 0
        }
    }

    /// The median (mean of the two middle values for an even count; 0 when empty), by
    /// quickselect: linear time, where sorting 300,000 values per feature was the fit's
    /// largest cost. Reorders `values`.
    static func median(_ values: inout [Double]) -> Double {
        let n = values.count
        if n == 0 { return 0 }
        func select(_ k: Int) -> Double {
            var lo = 0, hi = n - 1
            while lo < hi {
                let pivot = values[lo + (hi - lo) / 2]
                var i = lo, j = hi
                while i <= j {
                    while values[i] < pivot { i += 1 }
                    while values[j] > pivot { j -= 1 }
                    if i <= j { values.swapAt(i, j); i += 1; j -= 1 }
                }
                if k <= j { hi = j } else if k >= i { lo = i } else { return values[k] }
            }
            return values[k]
        }
        if n % 2 == 1 { return select(n / 2) }
        let upper = select(n / 2)
        // After selecting n/2, everything before it is <= it: the lower middle is their maximum.
        let lower = values[0..<(n / 2)].max() ?? upper  // n ≥ 2 here: never empty
        return (lower + upper) / 2
    }

    @inline(__always)
    func transform(_ v: Double, _ c: Column) -> Double {
        if c.indicator { return v.isNaN ? 1 : 0 }
        let x = v.isNaN ? c.median : v
        return c.signedLog ? (x < 0 ? -log1p(-x) : log1p(x)) : log1p(max(x, -0.999_999))
    }

    /// The design matrix (rows × width, column-major) of feature columns named `names`.
    /// Throws ``ForecasterError/missingFeature(_:)`` for a feature without a full column.
    public func matrix(names: [String], columns data: [[Double]]) throws -> Matrix {
        let rows = data.first?.count ?? 0
        var x = Matrix(rows: rows, columns: width)
        for i in 0..<rows { x[i, 0] = 1 }
        func column(_ feature: String) throws -> [Double] {
            guard let f = names.firstIndex(of: feature), f < data.count, data[f].count == rows else {
                throw ForecasterError.missingFeature(feature)
            }
            return data[f]
        }
        for (k, c) in columns.enumerated() {
            let values = try column(c.feature)
            x.storage.withUnsafeMutableBufferPointer { s in
                let base = (k + 1) * rows
                for i in 0..<rows { s[base + i] = c.scale > 0 ? (transform(values[i], c) - c.mean) / c.scale : 0 }
            }
        }
        if monthOneHot {
            let months = try column("target_month")
            let first = 1 + columns.count
            for i in 0..<rows {
                // 1 ≤ v < 13 is exactly Int(v) ∈ 1...12, without Int's trap on NaN or huge values.
                let v = months[i]
                if v >= 1, v < 13 { x[i, first + Int(v) - 1] = 1 }
            }
        }
        return x
    }
}
