import Features
import Foundation
import LinearAlgebra

/// Least squares on log1p(target) through LAPACK (`dgels`): a fast reference model.
///
/// Inputs go through ``GLMDesign``. Month columns that never occur in training are dropped
/// (they would be all zero), and so is the first month that does occur (the month dummies
/// would otherwise sum to the intercept); the kept columns are remembered for prediction.
/// A column identical to an earlier kept one is dropped too (on CDNOW, `freq_365` equals
/// `freq_total` on every training row of the first year), and a tiny ridge penalty
/// (λ = 1e-6, as extra rows √(nλ)·I under X and zeros under y, so still one `dgels` solve)
/// keeps nearly collinear features from making the system singular.
/// The prediction is max(0, e^(Xβ) − 1): the back-transformed mean of log1p(target), which
/// underestimates the expected count (Jensen), so expect a negative bias.
public struct LogLinearRegression: Forecaster {
    public private(set) var design: GLMDesign?
    public private(set) var kept: [Int] = []
    public private(set) var coefficients: [Double] = []
    public var ridge = 1e-6

    public init() {}

    public var name: String { "ols" }
    public var needsTrainingPanel: Bool { true }

    public mutating func fit(panel: TrainingPanel?, events: EventLog, cutoff: Int) throws {
        let (design, full) = try GLMDesign.training(panel, model: name)
        let firstMonth = 1 + design.columns.count
        var keep: [Int] = []
        var droppedReference = false
        for j in 0..<full.columns {
            let column = full.column(j)
            let used = column.contains { $0 != 0 }
            if j >= firstMonth, design.monthOneHot {
                guard used else { continue }
                if !droppedReference { droppedReference = true; continue }
            } else if j > 0, !used {
                continue
            }
            if keep.contains(where: { k in zip(full.column(k), column).allSatisfy { abs($0 - $1) < 1e-12 } }) { continue }
            keep.append(j)
        }
        let x = Matrix(rows: full.rows, columns: keep.count, columnMajor: keep.flatMap { full.column($0) })
        try fit(x: x, y: panel!.target)
        kept = keep
        self.design = design
    }

    /// Fits on a design matrix whose first column is the intercept: solves the augmented
    /// system [X; √(nλ)·I without the intercept] β = [log1p(y); 0] by QR.
    public mutating func fit(x: Matrix, y: [Double]) throws {
        let n = x.rows, p = x.columns
        var augmented = Matrix(rows: n + p - 1, columns: p)
        for k in 0..<p {
            for i in 0..<n { augmented[i, k] = x[i, k] }
            if k > 0 { augmented[n + k - 1, k] = (Double(n) * ridge).squareRoot() }
        }
        coefficients = try Matrix.leastSquares(augmented, y.map { log1p($0) } + [Double](repeating: 0, count: p - 1))
    }

    public func predict(_ features: FeatureMatrix, horizonDays: Int) throws -> [Double] {
        guard let design, !coefficients.isEmpty else { throw ModelFitError.notFitted(model: name) }
        let full = try design.matrix(names: features.names, columns: features.columns)
        var out = [Double](repeating: 0, count: full.rows)
        for (k, j) in kept.enumerated() {
            let b = coefficients[k]
            full.storage.withUnsafeBufferPointer { s in
                let base = j * full.rows
                for i in 0..<full.rows { out[i] += b * s[base + i] }
            }
        }
        return out.map { max(0, expm1($0)) }
    }

    public func describe() -> ModelDescription {
        let names = design?.names ?? []
        var parameters: [String: Double] = [:]
        for (k, j) in kept.enumerated() where j < names.count { parameters["coef_" + names[j]] = coefficients[k] }
        return ModelDescription(kind: name, parameters: parameters, notes: ["least squares on log1p(target); back-transformed with expm1"])
    }
}
