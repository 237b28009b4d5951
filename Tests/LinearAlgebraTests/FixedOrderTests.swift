import Testing
@testable import LinearAlgebra

private func close(_ a: Double, _ b: Double, _ tol: Double = 1e-12) -> Bool {
    abs(a - b) <= tol * max(1, abs(a), abs(b))
}

/// A deterministic matrix with values of mixed signs and magnitudes (no random source needed).
private func sample(rows: Int, columns: Int) -> Matrix {
    var m = Matrix(rows: rows, columns: columns)
    for j in 0..<columns { for i in 0..<rows { m[i, j] = Double((i * 37 + j * 11) % 23) / 7 - 1.5 + (j == 0 ? 1 : 0) } }
    return m
}

@Suite("Fixed-order kernels")
struct FixedOrderTests {
    @Test func transposeProductMatchesBLAS() throws {
        // 1,000 rows: exercises the 16-wide main loop and a tail.
        let x = sample(rows: 1_003, columns: 7)
        let v = (0..<1_003).map { Double($0 % 13) / 5 - 1 }
        let ours = try Matrix.fixedOrderTransposeProduct(x, v)
        let blas = try Matrix.multiply(x, vector: v, transpose: true)
        #expect(zip(ours, blas).allSatisfy { close($0, $1) })
        // By hand for a small case.
        #expect(try Matrix.fixedOrderTransposeProduct(Matrix([[1, 2], [3, 4], [5, 6]]), [1, 0, -1]) == [-4, -4])
    }

    @Test func gramMatchesHandComputedAndBLAS() throws {
        let x = Matrix([[1, 2], [3, 4], [5, 6]])
        #expect(try Matrix.fixedOrderGram(x, weights: [1, 2, 3]) == Matrix([[94, 116], [116, 144]]))
        // Over several row blocks of 256.
        let big = sample(rows: 700, columns: 9)
        let w = (0..<700).map { 0.5 + Double($0 % 5) }
        let ours = try Matrix.fixedOrderGram(big, weights: w)
        let blas = try Matrix.gram(big, weights: w)
        #expect(zip(ours.storage, blas.storage).allSatisfy { close($0, $1) })
        for i in 0..<9 { for j in 0..<9 { #expect(ours[i, j] == ours[j, i]) } }
    }

    @Test func gramRefusesBadWeights() {
        #expect(throws: LinearAlgebraError.self) { try Matrix.fixedOrderGram(Matrix([[1], [2]]), weights: [1, -1]) }
        #expect(throws: LinearAlgebraError.self) { try Matrix.fixedOrderGram(Matrix([[1], [2]]), weights: [1, .nan]) }
        #expect(throws: LinearAlgebraError.self) { try Matrix.fixedOrderGram(Matrix([[1], [2]]), weights: [1]) }
    }

    @Test func choleskySolveMatchesLAPACK() throws {
        // A = XᵀX + I is positive definite.
        let x = sample(rows: 50, columns: 6)
        var a = try Matrix.gram(x)
        for i in 0..<6 { a[i, i] += 1 }
        let b = [1.0, -2, 3, 0.5, 0, 4]
        let ours = try Matrix.fixedOrderCholeskySolve(a, b)
        let lapack = try Matrix.choleskySolve(a, b)
        #expect(zip(ours, lapack).allSatisfy { close($0, $1, 1e-10) })
        // The residual A x − b is tiny.
        let ax = try Matrix.multiply(a, vector: ours)
        #expect(zip(ax, b).allSatisfy { close($0, $1, 1e-10) })
        // A textbook case: [[4, 2], [2, 3]] x = [2, 1] gives x = [0.5, 0].
        #expect(try Matrix.fixedOrderCholeskySolve(Matrix([[4, 2], [2, 3]]), [2, 1]) == [0.5, 0])
    }

    @Test func choleskySolveRefusesWhatLAPACKRefuses() throws {
        #expect(throws: LinearAlgebraError.notPositiveDefinite(leadingMinor: 2)) {
            try Matrix.fixedOrderCholeskySolve(Matrix([[1, 2], [2, 1]]), [1, 1])
        }
        #expect(throws: LinearAlgebraError.self) { try Matrix.fixedOrderCholeskySolve(Matrix([[1, 1], [1, 1 + 1e-15]]), [1, 1]) }
        #expect(throws: LinearAlgebraError.self) { try Matrix.fixedOrderCholeskySolve(Matrix([[1, .nan], [.nan, 1]]), [1, 1]) }
        #expect(try Matrix.fixedOrderCholeskySolve(Matrix(rows: 0, columns: 0), []) == [])
    }

    @Test func gramOverSeveralChunksMatchesBLAS() throws {
        // 150,000 rows: three chunks of 65,536, summed in parallel and added in order.
        let x = sample(rows: 150_000, columns: 5)
        let w = (0..<150_000).map { 0.25 + Double($0 % 7) / 3 }
        let ours = try Matrix.fixedOrderGram(x, weights: w)
        let blas = try Matrix.gram(x, weights: w)
        #expect(zip(ours.storage, blas.storage).allSatisfy { close($0, $1, 1e-10) })
        #expect(try Matrix.fixedOrderGram(x, weights: w) == ours)
    }

    @Test func resultsDoNotDependOnRowBlocking() throws {
        // The same rows with a different tail length give the same leading sums: the kernels are
        // pure functions of the data and the order written in them.
        let x = sample(rows: 513, columns: 4)
        let w = [Double](repeating: 1, count: 513)
        let once = try Matrix.fixedOrderGram(x, weights: w)
        let twice = try Matrix.fixedOrderGram(x, weights: w)
        #expect(once == twice)
    }
}
