import Features
import Foundation
import LinearAlgebra

/// Least squares on log1p(target) through LAPACK (`dgels`): a fast reference model.
///
/// Inputs go through ``GLMDesign``. The design is not of full rank as it stands: the month
/// dummies sum to the intercept, months absent from training give zero columns, and on CDNOW
/// `freq_365` equals `freq_total` on every training row of the first year. A tiny ridge
/// penalty (λ = 1e-6, as extra rows √(nλ)·I under X and zeros under y, so still one `dgels`
/// solve) makes the system full rank and leaves such directions at zero.
/// The prediction is max(0, e^(Xβ) − 1): the back-transformed mean of log1p(target), which
/// underestimates the expected count (Jensen), so expect a negative bias.
public struct LogLinearRegression: Forecaster {
    public private(set) var design: GLMDesign?
    public private(set) var coefficients: [Double] = []
    public var ridge = 1e-6

    public init() {}

    public var name: String { "ols" }
    public var needsTrainingPanel: Bool { true }

    /// Fits on the panel's rows; a failed least-squares solve becomes
    /// ``ModelFitError/numericalFailure(model:reason:)``.
    public mutating func fit(panel: TrainingPanel?, events: EventLog, cutoff: Int, observer: TrainingObserver?) throws {
        let (design, x) = try GLMDesign.training(panel, model: name)
        guard let panel else { throw ModelFitError.noTrainingData(model: name) }
        do {
            try fit(x: x, y: panel.target)
        } catch let error as LinearAlgebraError {
            throw ModelFitError.numericalFailure(model: name, reason: error.description)
        }
        self.design = design
    }

    /// Fits on a design matrix whose first column is the intercept: solves the augmented
    /// system [X; √(nλ)·I without the intercept] β = [log1p(y); 0] by QR. Throws
    /// ``ModelFitError/noTrainingData(model:)`` without rows or columns and
    /// ``ModelFitError/invalidTarget(model:)`` unless every target is finite and > −1.
    public mutating func fit(x: Matrix, y: [Double]) throws {
        guard x.rows > 0, x.columns > 0, y.count == x.rows else { throw ModelFitError.noTrainingData(model: name) }
        guard y.allSatisfy({ $0 > -1 && $0.isFinite }) else { throw ModelFitError.invalidTarget(model: name) }
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
        let x = try design.matrix(names: features.names, columns: features.columns)
        // Capped as the GLM caps its linear predictor (e^30 ≈ 1e13 events), so that a row far
        // outside the training range cannot overflow to an infinite forecast.
        return try Matrix.rowDotProducts(x, coefficients).map { max(0, expm1(min($0, 30))) }
    }

    public func describe() -> ModelDescription {
        let names = design?.names ?? []
        var parameters: [String: Double] = [:]
        for (k, c) in coefficients.enumerated() where k < names.count { parameters["coef_" + names[k]] = c }
        return ModelDescription(kind: name, parameters: parameters, notes: ["least squares on log1p(target); back-transformed with expm1"])
    }
}
