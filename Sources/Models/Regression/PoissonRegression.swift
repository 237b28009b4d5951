import Features
import Foundation
import LinearAlgebra

/// Poisson regression with a log link and an L2 penalty, fitted by Newton's method
/// (iteratively reweighted least squares).
///
/// Minimises (1/n)·Σ(μᵢ − yᵢ·ηᵢ) + (α/2)·‖w‖², η = Xβ, μ = e^η, the intercept not penalised:
/// scikit-learn's `PoissonRegressor` objective. Each step solves
/// (XᵀWX/n + αĨ)·Δ = −∇ with W = diag(μ) by Cholesky, then halves the step until the
/// objective decreases. Inputs go through ``GLMDesign``.
///
/// Every sum of the fit (Xβ, Xᵀ(μ − y), XᵀWX and the Cholesky solve) runs in an order fixed by
/// LinearAlgebra's fixed-order kernels, not by the BLAS kernel OpenBLAS picks for the CPU: the
/// problem is small (a few dozen columns), and so a model file is the same bytes on every
/// x86-64 machine. LAPACK still estimates the condition number, which only decides whether to
/// refuse a step.
public struct PoissonRegression: Forecaster {
    public var alpha: Double
    public var maxIterations: Int
    public var tolerance: Double
    public private(set) var design: GLMDesign?
    public private(set) var coefficients: [Double] = []
    public private(set) var iterations = 0
    public private(set) var converged = false
    /// The objective after each iteration (the training log).
    public private(set) var objectiveTrace: [Double] = []
    /// The negative binomial size fitted on the training rows (nil: Poisson; see ``CountDispersion``).
    public private(set) var dispersionSize: Double?

    public init(alpha: Double = 1e-4, maxIterations: Int = 100, tolerance: Double = 1e-8) {
        self.alpha = alpha
        self.maxIterations = maxIterations
        self.tolerance = tolerance
    }

    public var name: String { "glm" }
    public var needsTrainingPanel: Bool { true }

    /// Fits on the panel's rows. A linear solve that fails on them (a singular system, which
    /// the penalty α > 0 prevents) becomes ``ModelFitError/numericalFailure(model:reason:)``.
    public mutating func fit(panel: TrainingPanel?, events: EventLog, cutoff: Int, observer: TrainingObserver?) throws {
        let (design, x) = try GLMDesign.training(panel, model: name)
        guard let panel else { throw ModelFitError.noTrainingData(model: name) }
        do {
            try fit(x: x, y: panel.target, observer: observer)
        } catch let error as LinearAlgebraError {
            throw ModelFitError.numericalFailure(model: name, reason: error.description)
        }
        self.design = design
        let fitted = (try? Matrix.rowDotProducts(x, coefficients))?.map { exp(min($0, 30)) } ?? []
        dispersionSize = CountDispersion.fitSize(actual: panel.target, mean: fitted)
    }

    /// Fits on a ready design matrix (first column the intercept); `observer` receives each
    /// Newton step. Throws ``ModelFitError/noTrainingData(model:)`` without rows or columns
    /// and ``ModelFitError/invalidTarget(model:)`` unless every target is a finite count ≥ 0.
    public mutating func fit(x: Matrix, y: [Double], observer: TrainingObserver? = nil) throws {
        guard x.rows > 0, x.columns > 0, y.count == x.rows else { throw ModelFitError.noTrainingData(model: name) }
        guard y.allSatisfy({ $0 >= 0 && $0.isFinite }) else { throw ModelFitError.invalidTarget(model: name) }
        let n = Double(x.rows), p = x.columns
        let meanY = y.reduce(0, +) / n
        var beta = [Double](repeating: 0, count: p)
        beta[0] = log(max(meanY, 1e-10))
        func objective(_ b: [Double], _ eta: [Double]) -> Double {
            var s = 0.0
            for i in 0..<y.count { s += exp(min(eta[i], 30)) - y[i] * eta[i] }
            var pen = 0.0
            for j in 1..<p { pen += b[j] * b[j] }
            return s / n + alpha / 2 * pen
        }
        func linear(_ b: [Double]) throws -> [Double] { try Matrix.rowDotProducts(x, b) }
        var eta = try linear(beta)
        var current = objective(beta, eta)
        objectiveTrace = [current]
        converged = false
        iterations = 0
        for iteration in 1...max(1, maxIterations) {
            iterations = iteration
            let mu = eta.map { exp(min($0, 30)) }
            var gradient = try Matrix.fixedOrderTransposeProduct(x, zip(mu, y).map { $0 - $1 }).map { $0 / n }
            for j in 1..<p { gradient[j] += alpha * beta[j] }
            var hessian = try Matrix.fixedOrderGram(x, weights: mu)
            for k in hessian.storage.indices { hessian.storage[k] /= n }
            for j in 1..<p { hessian[j, j] += alpha }
            hessian[0, 0] += 1e-12  // keeps an all-zero intercept curvature from being exactly singular
            let step = try Matrix.fixedOrderCholeskySolve(hessian, gradient.map { -$0 })
            let slope = zip(gradient, step).reduce(0) { $0 + $1.0 * $1.1 }
            var t = 1.0
            var candidate = beta, candidateEta = eta, value = current
            while true {
                candidate = zip(beta, step).map { $0 + t * $1 }
                candidateEta = try linear(candidate)
                value = objective(candidate, candidateEta)
                if value <= current + 1e-4 * t * slope || t < 1e-10 { break }
                t /= 2
            }
            guard value.isFinite, candidate.allSatisfy(\.isFinite) else {
                throw ModelFitError.diverged(model: name, iteration: iteration)
            }
            let change = zip(beta, candidate).map { abs($0 - $1) }.max() ?? 0
            beta = candidate
            eta = candidateEta
            let improvement = current - value
            current = value
            objectiveTrace.append(current)
            observer?(name, TrainingLogEntry(iteration: iteration, metrics: ["objective": current, "step": t]))
            if change <= tolerance * (1 + (beta.map(abs).max() ?? 0)) || abs(improvement) <= 1e-14 * max(1, abs(current)) {
                converged = true
                break
            }
        }
        coefficients = beta
    }

    public func predict(_ features: FeatureMatrix, horizonDays: Int) throws -> [Double] {
        guard let design, !coefficients.isEmpty else { throw ModelFitError.notFitted(model: name) }
        let x = try design.matrix(names: features.names, columns: features.columns)
        return try Matrix.rowDotProducts(x, coefficients).map { exp(min($0, 30)) }
    }

    public var trainingLog: [TrainingLogEntry] {
        objectiveTrace.enumerated().map { TrainingLogEntry(iteration: $0.offset, metrics: ["objective": $0.element]) }
    }

    public func describe() -> ModelDescription {
        let names = design?.names ?? []
        var parameters: [String: Double] = ["alpha": alpha, "iterations": Double(iterations), "converged": converged ? 1 : 0]
        if let dispersionSize { parameters["dispersion_size"] = dispersionSize }
        for (k, c) in coefficients.enumerated() where k < names.count { parameters["coef_" + names[k]] = c }
        return ModelDescription(kind: name, parameters: parameters,
                                notes: converged ? [] : ["stopped after \(iterations) iterations without meeting the tolerance"])
    }
}
