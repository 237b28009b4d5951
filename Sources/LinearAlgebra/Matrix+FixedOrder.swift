import CLapack
import Core

/// Kernels whose every sum runs in an order fixed by this code, not by the BLAS build.
///
/// OpenBLAS chooses its kernels for the CPU it runs on, and with them the order of the
/// additions, so `dsyrk`, `dgemv` and `dpotrf` give results that differ in the last bits from
/// one processor to another. For small problems (a few dozen columns, as in the GLM's Newton
/// steps) these kernels cost little and make a fit, and the model file written from it, the
/// same bytes on every x86-64 machine. Sums run over SIMD4 lanes in row order and the lanes are
/// combined in a fixed order; Swift does not contract `a * b + c` into fused multiply-adds, so
/// the result does not depend on the instruction set either.
extension Matrix {
    /// `Xᵀ v`, each entry a fixed-order sum over the rows.
    public static func fixedOrderTransposeProduct(_ x: Matrix, _ v: [Double]) throws -> [Double] {
        guard v.count == x.rows else { throw LinearAlgebraError.dimensionMismatch("Xᵀ has \(x.rows) columns, v has \(v.count) entries") }
        var out = [Double](repeating: 0, count: x.columns)
        guard x.rows > 0 else { return out }
        x.storage.withUnsafeBufferPointer { s in
            v.withUnsafeBufferPointer { pv in
                for j in 0..<x.columns { out[j] = dot(s.baseAddress! + j * x.rows, pv.baseAddress!, x.rows) }
            }
        }
        return out
    }

    /// The weighted Gram matrix `Xᵀ W X` (W diagonal, weights finite and non-negative), every
    /// entry a fixed-order sum: the rows are cut into chunks of 65,536 (a fixed size, not one per
    /// thread), each chunk's partial matrix is summed over blocks of 256 rows, and the partial
    /// matrices are added in chunk order. The chunks run in parallel; the result is the same on
    /// any number of threads.
    public static func fixedOrderGram(_ x: Matrix, weights: [Double]) throws -> Matrix {
        guard weights.count == x.rows else { throw LinearAlgebraError.dimensionMismatch("\(weights.count) weights for \(x.rows) rows") }
        for w in weights where !(w >= 0 && w.isFinite) {
            throw LinearAlgebraError.nonFiniteInput("weights (must be finite and >= 0, got \(w))")
        }
        let n = x.rows, p = x.columns
        var c = Matrix(rows: p, columns: p)
        if p == 0 || n == 0 { return c }
        let chunk = 65_536
        let partials = parallelMap((n + chunk - 1) / chunk) { k in
            gramPartial(x, weights, rows: (k * chunk)..<min(n, (k + 1) * chunk))
        }
        for partial in partials { for j in 0..<p { for k in j..<p { c.storage[k * p + j] += partial[k * p + j] } } }
        for j in 0..<p { for i in (j + 1)..<p { c[i, j] = c[j, i] } }
        return c
    }

    /// The upper triangle (column-major, p × p) of `Σ wᵢ xᵢ xᵢᵀ` over `rows`, in blocks of 256
    /// rows: within a block the weighted column is formed once and dotted with the others.
    private static func gramPartial(_ x: Matrix, _ weights: [Double], rows: Range<Int>) -> [Double] {
        let n = x.rows, p = x.columns
        let block = 256
        var out = [Double](repeating: 0, count: p * p)
        var weighted = [Double](repeating: 0, count: block)
        x.storage.withUnsafeBufferPointer { s in
            weights.withUnsafeBufferPointer { w in
                weighted.withUnsafeMutableBufferPointer { wx in
                    out.withUnsafeMutableBufferPointer { o in
                        var start = rows.lowerBound
                        while start < rows.upperBound {
                            let length = min(block, rows.upperBound - start)
                            for j in 0..<p {
                                let column = s.baseAddress! + j * n + start
                                for i in 0..<length { wx[i] = w[start + i] * column[i] }
                                for k in j..<p {
                                    o[k * p + j] += dot(wx.baseAddress!, s.baseAddress! + k * n + start, length)
                                }
                            }
                            start += length
                        }
                    }
                }
            }
        }
        return out
    }

    /// Solves `A x = b` for a small symmetric positive definite `A` by a Cholesky factorisation
    /// and triangular solves written out here (fixed order), with the same checks as
    /// ``choleskySolve(_:_:minimumReciprocalCondition:)``: a breakdown throws
    /// ``LinearAlgebraError/notPositiveDefinite(leadingMinor:)`` and LAPACK's `dpocon` estimate of
    /// the reciprocal condition number below the limit throws
    /// ``LinearAlgebraError/illConditioned(reciprocalCondition:limit:)``. Only the upper triangle
    /// of `a` is read. The work is O(n³): for the few dozen unknowns of a Newton step.
    public static func fixedOrderCholeskySolve(
        _ a: Matrix, _ b: [Double],
        minimumReciprocalCondition: Double = defaultMinimumReciprocalCondition
    ) throws -> [Double] {
        let n = a.rows
        guard a.columns == n else { throw LinearAlgebraError.dimensionMismatch("A is \(a.rows)x\(a.columns), not square") }
        guard b.count == n else { throw LinearAlgebraError.dimensionMismatch("A is \(n)x\(n), b has \(b.count) entries") }
        guard a.isFinite else { throw LinearAlgebraError.nonFiniteInput("A") }
        guard b.allSatisfy(\.isFinite) else { throw LinearAlgebraError.nonFiniteInput("b") }
        if n == 0 { return b }
        // Upper factor U with A = UᵀU, stored column-major like LAPACK's (U[i, j], i <= j).
        var u = Matrix(rows: n, columns: n)
        for j in 0..<n {
            for i in 0...j {
                var sum = a[i, j]
                for k in 0..<i { sum -= u[k, i] * u[k, j] }
                if i == j {
                    guard sum > 0, sum.isFinite else { throw LinearAlgebraError.notPositiveDefinite(leadingMinor: j + 1) }
                    u[j, j] = sum.squareRoot()
                } else {
                    u[i, j] = sum / u[i, i]
                }
            }
        }
        try checkCondition(a, factor: u, minimumReciprocalCondition: minimumReciprocalCondition)
        // Uᵀ y = b, then U x = y.
        var y = b
        for i in 0..<n {
            var sum = y[i]
            for k in 0..<i { sum -= u[k, i] * y[k] }
            y[i] = sum / u[i, i]
        }
        var x = y
        for i in stride(from: n - 1, through: 0, by: -1) {
            var sum = x[i]
            for k in (i + 1)..<n { sum -= u[i, k] * x[k] }
            x[i] = sum / u[i, i]
        }
        return x
    }

    /// LAPACK's condition estimate of `a` from its upper Cholesky factor: it only decides
    /// whether to refuse, so its own rounding does not reach any result.
    private static func checkCondition(_ a: Matrix, factor: Matrix, minimumReciprocalCondition: Double) throws {
        var uplo: CChar = 85  // 'U'
        var norm: CChar = 49  // '1'
        var n32 = Int32(a.rows), lda = Int32(a.rows), info: Int32 = 0
        var work = [Double](repeating: 0, count: 3 * a.rows)
        var iwork = [Int32](repeating: 0, count: a.rows)
        var anorm = a.storage.withUnsafeBufferPointer { pa in dlansy_(&norm, &uplo, &n32, pa.baseAddress, &lda, &work, 1, 1) }
        var rcond = 0.0
        factor.storage.withUnsafeBufferPointer { pf in
            dpocon_(&uplo, &n32, pf.baseAddress, &lda, &anorm, &rcond, &work, &iwork, &info, 1)
        }
        if info < 0 { throw LinearAlgebraError.illegalArgument(routine: "dpocon", position: Int(-info)) }
        if !(rcond >= minimumReciprocalCondition) {
            throw LinearAlgebraError.illConditioned(reciprocalCondition: rcond, limit: minimumReciprocalCondition)
        }
    }

    /// `Σ a[i]·b[i]` for i in 0..<n: four lanes of SIMD4 (16 running sums) in row order,
    /// combined pairwise in a fixed order, then the tail.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
        var s0 = SIMD4<Double>(), s1 = SIMD4<Double>(), s2 = SIMD4<Double>(), s3 = SIMD4<Double>()
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var i = 0
        while i + 16 <= n {
            let o = i * 8
            s0 += ra.loadUnaligned(fromByteOffset: o, as: SIMD4<Double>.self) * rb.loadUnaligned(fromByteOffset: o, as: SIMD4<Double>.self)
            s1 += ra.loadUnaligned(fromByteOffset: o + 32, as: SIMD4<Double>.self) * rb.loadUnaligned(fromByteOffset: o + 32, as: SIMD4<Double>.self)
            s2 += ra.loadUnaligned(fromByteOffset: o + 64, as: SIMD4<Double>.self) * rb.loadUnaligned(fromByteOffset: o + 64, as: SIMD4<Double>.self)
            s3 += ra.loadUnaligned(fromByteOffset: o + 96, as: SIMD4<Double>.self) * rb.loadUnaligned(fromByteOffset: o + 96, as: SIMD4<Double>.self)
            i += 16
        }
        let s = (s0 + s1) + (s2 + s3)
        var total = (s[0] + s[1]) + (s[2] + s[3])
        while i < n { total += a[i] * b[i]; i += 1 }
        return total
    }
}
