import Core
import Foundation
import Testing
@testable import Features
@testable import Ingestion
@testable import LinearAlgebra
@testable import Models

/// Poisson draws by inversion (small means).
private func poisson(_ mean: Double, _ rng: inout RandomSource) -> Double {
    Double(rng.poisson(mean))
}

@Suite("Poisson regression")
struct PoissonRegressionTests {
    func simulated(n: Int, seed: UInt64) -> (Matrix, [Double]) {
        var rng = RandomSource(seed: seed)
        var x = Matrix(rows: n, columns: 3)
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let a = rng.normal(), b = rng.normal()
            x[i, 0] = 1; x[i, 1] = a; x[i, 2] = b
            y[i] = poisson(exp(0.5 + 0.3 * a - 0.2 * b), &rng)
        }
        return (x, y)
    }

    @Test func recoversKnownCoefficients() throws {
        let (x, y) = simulated(n: 40_000, seed: 5)
        var model = PoissonRegression(alpha: 0)
        try model.fit(x: x, y: y)
        #expect(model.converged)
        #expect(abs(model.coefficients[0] - 0.5) < 0.02 && abs(model.coefficients[1] - 0.3) < 0.02
                    && abs(model.coefficients[2] + 0.2) < 0.02)
        // The objective never rises.
        #expect(zip(model.objectiveTrace, model.objectiveTrace.dropFirst()).allSatisfy { $1 <= $0 + 1e-15 })
    }

    /// First-order optimality, checked independently of the solver: Xᵀ(μ − y)/n + αw = 0.
    @Test func gradientVanishesAtTheSolution() throws {
        let (x, y) = simulated(n: 5000, seed: 9)
        var model = PoissonRegression(alpha: 0.01)
        try model.fit(x: x, y: y)
        let product = try Matrix.multiply(x, Matrix(rows: 3, columns: 1, columnMajor: model.coefficients))
        let eta = product.storage
        for j in 0..<3 {
            var g = 0.0
            for i in 0..<x.rows { g += x[i, j] * (exp(eta[i]) - y[i]) }
            g /= Double(x.rows)
            if j > 0 { g += 0.01 * model.coefficients[j] }
            #expect(abs(g) < 1e-8, "gradient \(j) = \(g)")
        }
    }

    @Test func allZeroTargetsStayFinite() throws {
        var x = Matrix(rows: 100, columns: 2)
        for i in 0..<100 { x[i, 0] = 1; x[i, 1] = Double(i % 7) }
        var model = PoissonRegression()
        try model.fit(x: x, y: [Double](repeating: 0, count: 100))
        #expect(model.coefficients.allSatisfy { $0.isFinite })
    }

    @Test func singularDesignWithoutPenaltyIsATypedError() {
        var x = Matrix(rows: 50, columns: 3)
        for i in 0..<50 { x[i, 0] = 1; x[i, 1] = Double(i); x[i, 2] = Double(i) }
        var model = PoissonRegression(alpha: 0)
        #expect(throws: LinearAlgebraError.self) { try model.fit(x: x, y: (0..<50).map { Double($0 % 3) }) }
    }

    @Test func designImputesAndStandardises() throws {
        let names = ["freq_total", "mean_gap_days", "target_month", "slope_6m"]
        let columns: [[Double]] = [[1, 3, 7], [.nan, 10, 20], [1, 1, 12], [-2, 0, 2]]
        let design = GLMDesign(names: names, columns: columns)
        #expect(design.names == ["intercept", "freq_total", "mean_gap_days", "mean_gap_days_missing", "slope_6m"]
                    + (1...12).map { "month_\($0)" })
        let x = try design.matrix(names: names, columns: columns)
        #expect(x.rows == 3 && x.columns == design.width)
        for j in 1...4 {
            let col = x.column(j)
            #expect(abs(col.reduce(0, +)) < 1e-12)  // standardised: mean 0
        }
        #expect(x[0, 5] == 1 && x[2, 16] == 1 && x[1, 16] == 0)  // month one-hot
        // The missing gap is imputed with the median (15) before the transform.
        #expect(abs(x[0, 2] - x.column(2).reduce(0, +) / 3 - x[0, 2]) < 1e-12)
    }
}

@Suite("Log-linear least squares")
struct LogLinearRegressionTests {
    @Test func recoversAnExactLogLinearRelation() throws {
        var x = Matrix(rows: 200, columns: 2)
        var y = [Double](repeating: 0, count: 200)
        for i in 0..<200 {
            let v = Double(i % 17) / 4 - 2
            x[i, 0] = 1; x[i, 1] = v
            y[i] = expm1(0.5 + 0.3 * v)
        }
        var model = LogLinearRegression()
        try model.fit(x: x, y: y)
        #expect(abs(model.coefficients[0] - 0.5) < 1e-4 && abs(model.coefficients[1] - 0.3) < 1e-4)
    }

    @Test func duplicateColumnsDoNotMakeItSingular() throws {
        var x = Matrix(rows: 100, columns: 3)
        for i in 0..<100 { x[i, 0] = 1; x[i, 1] = Double(i % 9); x[i, 2] = Double(i % 9) }
        var model = LogLinearRegression()
        try model.fit(x: x, y: (0..<100).map { Double($0 % 4) })
        #expect(model.coefficients.allSatisfy { $0.isFinite })
        #expect(abs(model.coefficients[1] - model.coefficients[2]) < 1e-6)  // the ridge splits the weight evenly
    }
}

@Suite("Median by quickselect")
struct MedianTests {
    @Test func agreesWithSorting() {
        var rng = RandomSource(seed: 3)
        for n in [1, 2, 3, 4, 5, 10, 101, 1000, 1001] {
            for _ in 0..<20 {
                var values = (0..<n).map { _ in Double(rng.below(7)) + (rng.chance(0.5) ? rng.uniform() : 0) }
                let sorted = values.sorted()
                let expected = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
                #expect(GLMDesign.median(&values) == expected, "n = \(n)")
            }
        }
        var empty: [Double] = []
        #expect(GLMDesign.median(&empty) == 0)
    }
}
