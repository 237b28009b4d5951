import Testing
@testable import LinearAlgebra

private func close(_ a: Double, _ b: Double, _ tol: Double = 1e-10) -> Bool {
    abs(a - b) <= tol * max(1, abs(a), abs(b))
}

@Suite("BLAS products")
struct ProductTests {
    @Test func gemmMatchesHandComputedProduct() throws {
        let a = Matrix([[1, 2], [3, 4]])
        let b = Matrix([[5, 6], [7, 8]])
        #expect(try a * b == Matrix([[19, 22], [43, 50]]))
        #expect(try Matrix.multiply(a, b, transposeA: true) == Matrix([[26, 30], [38, 44]]))
        #expect(try Matrix.multiply(a, b, transposeB: true) == Matrix([[17, 23], [39, 53]]))
    }

    @Test func gemmRejectsMismatchedShapes() {
        #expect(throws: LinearAlgebraError.self) { try Matrix(rows: 2, columns: 3) * Matrix(rows: 2, columns: 3) }
    }

    @Test func gramIsXtWX() throws {
        let x = Matrix([[1, 2], [3, 4], [5, 6]])
        #expect(try Matrix.gram(x) == Matrix([[35, 44], [44, 56]]))
        let g = try Matrix.gram(x, weights: [1, 2, 3])
        // Weights enter as sqrt(w) scaling, so compare with a tolerance.
        #expect(zip(g.storage, [94.0, 116, 116, 144]).allSatisfy { close($0, $1, 1e-14) })
        // Second implementation: Xᵀ (W X) through gemm.
        var wx = x
        for i in 0..<3 { for j in 0..<2 { wx[i, j] *= Double(i + 1) } }
        let viaGemm = try Matrix.multiply(x, wx, transposeA: true)
        #expect(zip(viaGemm.storage, g.storage).allSatisfy { close($0, $1, 1e-14) })
    }

    @Test func gramRejectsNegativeWeights() {
        #expect(throws: LinearAlgebraError.self) { try Matrix.gram(Matrix([[1], [2]]), weights: [1, -1]) }
    }
}

@Suite("Cholesky solve")
struct CholeskyTests {
    @Test func solvesTextbookSystem() throws {
        // A = L Lᵀ with L = [[2,0,0],[6,1,0],[-8,5,3]]; A x = b for x = (1, 2, 3).
        let a = Matrix([[4, 12, -16], [12, 37, -43], [-16, -43, 98]])
        let x = try Matrix.choleskySolve(a, [-20, -43, 192])
        #expect(zip(x, [1.0, 2, 3]).allSatisfy { close($0, $1) })
    }

    @Test func moderatelyConditionedHilbertIsAccurate() throws {
        let n = 5
        let h = Matrix((0..<n).map { i in (0..<n).map { j in 1.0 / Double(i + j + 1) } })
        let truth = [Double](repeating: 1, count: n)
        let b = try (h * Matrix(rows: n, columns: 1, columnMajor: truth)).storage
        let x = try Matrix.choleskySolve(h, b)
        #expect(zip(x, truth).allSatisfy { close($0, $1, 1e-8) })
    }

    @Test func illConditionedHilbertIsRefused() {
        let n = 14  // condition number ~ 1e19: no digit of a solution would be right
        let h = Matrix((0..<n).map { i in (0..<n).map { j in 1.0 / Double(i + j + 1) } })
        do {
            _ = try Matrix.choleskySolve(h, [Double](repeating: 1, count: n))
            Issue.record("expected an error for a numerically singular matrix")
        } catch let error as LinearAlgebraError {
            switch error {
            case .illConditioned, .notPositiveDefinite: break
            default: Issue.record("unexpected error \(error)")
            }
        } catch { Issue.record("unexpected error \(error)") }
    }

    @Test func singularMatrixGivesClearError() {
        #expect(throws: LinearAlgebraError.notPositiveDefinite(leadingMinor: 2)) {
            try Matrix.choleskySolve(Matrix([[1, 2], [2, 4]]), [1, 2])
        }
        #expect(throws: LinearAlgebraError.notPositiveDefinite(leadingMinor: 1)) {
            try Matrix.choleskySolve(Matrix([[-1, 0], [0, 1]]), [1, 2])
        }
        let message = LinearAlgebraError.notPositiveDefinite(leadingMinor: 2).description
        #expect(message.contains("not positive definite"))
    }

    @Test func nonFiniteInputIsRefused() {
        #expect(throws: LinearAlgebraError.nonFiniteInput("A")) {
            try Matrix.choleskySolve(Matrix([[Double.nan, 0], [0, 1]]), [1, 2])
        }
    }

    @Test func emptySystem() throws {
        #expect(try Matrix.choleskySolve(Matrix(rows: 0, columns: 0), []).isEmpty)
    }
}

@Suite("Least squares")
struct LeastSquaresTests {
    @Test func fitsTheClassicLine() throws {
        // Points (1,6), (2,5), (3,7), (4,10): best line y = 3.5 + 1.4 x.
        let a = Matrix([[1, 1], [1, 2], [1, 3], [1, 4]])
        let beta = try Matrix.leastSquares(a, [6, 5, 7, 10])
        #expect(close(beta[0], 3.5) && close(beta[1], 1.4))
    }

    @Test func agreesWithNormalEquations() throws {
        // A second implementation: (AᵀA) β = Aᵀ y solved by Cholesky.
        let a = Matrix([[1, 0.5, 2], [1, 1.5, -1], [1, 3, 0.25], [1, -2, 4], [1, 0, 1]])
        let y = [1.0, 2, 0.5, 3, -1]
        let qr = try Matrix.leastSquares(a, y)
        let rhs = try Matrix.multiply(a, Matrix(rows: 5, columns: 1, columnMajor: y), transposeA: true)
        let normal = try Matrix.choleskySolve(Matrix.gram(a), rhs.storage)
        #expect(zip(qr, normal).allSatisfy { close($0, $1, 1e-9) })
    }

    @Test func rankDeficientDesignIsRefused() {
        let a = Matrix([[1, 2], [1, 2], [1, 2]])
        #expect(throws: LinearAlgebraError.self) { try Matrix.leastSquares(a, [1, 2, 3]) }
    }

    @Test func nearlyCollinearDesignIsRefused() {
        let a = Matrix([[1, 1], [1, 1 + 1e-15], [1, 1 - 1e-15]])
        #expect(throws: LinearAlgebraError.self) { try Matrix.leastSquares(a, [1, 2, 3]) }
    }

    @Test func wideSystemIsRefused() {
        #expect(throws: LinearAlgebraError.self) { try Matrix.leastSquares(Matrix([[1, 2]]), [1]) }
    }
}

@Suite("Symmetric eigen")
struct EigenTests {
    @Test func twoByTwo() throws {
        let e = try Matrix.symmetricEigen(Matrix([[2, 1], [1, 2]]))
        #expect(close(e.values[0], 1) && close(e.values[1], 3))
        let v = e.vectors.column(1)
        #expect(close(abs(v[0]), 0.5.squareRoot()) && close(v[0], v[1]))
    }

    @Test func tridiagonalKnownSpectrum() throws {
        let e = try Matrix.symmetricEigen(Matrix([[2, -1, 0], [-1, 2, -1], [0, -1, 2]]))
        let s = 2.0.squareRoot()
        #expect(zip(e.values, [2 - s, 2, 2 + s]).allSatisfy { close($0, $1) })
    }

    @Test func reconstructsTheMatrix() throws {
        let a = Matrix([[4, 1, 0.5], [1, 3, -1], [0.5, -1, 5]])
        let e = try Matrix.symmetricEigen(a)
        var vd = e.vectors
        for j in 0..<3 { for i in 0..<3 { vd[i, j] *= e.values[j] } }
        let back = try Matrix.multiply(vd, e.vectors, transposeB: true)
        #expect(zip(back.storage, a.storage).allSatisfy { close($0, $1, 1e-12) })
    }

    @Test func singularMatrixHasZeroEigenvalue() throws {
        let e = try Matrix.symmetricEigen(Matrix([[1, 2], [2, 4]]))
        #expect(abs(e.values[0]) < 1e-12 && close(e.values[1], 5))
    }
}

@Suite("Matrix-vector products")
struct MatrixVectorTests {
    @Test func gemvAgreesWithGemm() throws {
        let a = Matrix([[1, 2, 3], [4, 5, 6]])
        #expect(try Matrix.multiply(a, vector: [1, 0, -1]) == [-2, -2])
        #expect(try Matrix.multiply(a, vector: [1, 2], transpose: true) == [9, 12, 15])
        let viaGemm = try Matrix.multiply(a, Matrix(rows: 3, columns: 1, columnMajor: [0.5, -1, 2])).storage
        #expect(try Matrix.multiply(a, vector: [0.5, -1, 2]) == viaGemm)
        #expect(throws: LinearAlgebraError.self) { try Matrix.multiply(a, vector: [1, 2]) }
    }
}
