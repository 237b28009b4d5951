import CLapack

extension Matrix {
    /// General matrix product `alpha * op(A) * op(B)` through BLAS `dgemm`, where `op`
    /// transposes when asked.
    public static func multiply(
        _ a: Matrix, _ b: Matrix, transposeA: Bool = false, transposeB: Bool = false,
        alpha: Double = 1
    ) throws -> Matrix {
        let m = transposeA ? a.columns : a.rows
        let k = transposeA ? a.rows : a.columns
        let kb = transposeB ? b.columns : b.rows
        let n = transposeB ? b.rows : b.columns
        guard k == kb else {
            throw LinearAlgebraError.dimensionMismatch("op(A) is \(m)x\(k), op(B) is \(kb)x\(n)")
        }
        var c = Matrix(rows: m, columns: n)
        if m == 0 || n == 0 || k == 0 { return c }
        var ta: CChar = transposeA ? 84 : 78  // 'T' : 'N'
        var tb: CChar = transposeB ? 84 : 78
        var m32 = Int32(m), n32 = Int32(n), k32 = Int32(k)
        var lda = Int32(max(1, a.rows)), ldb = Int32(max(1, b.rows)), ldc = Int32(max(1, m))
        var al = alpha, beta = 0.0
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                c.storage.withUnsafeMutableBufferPointer { pc in
                    dgemm_(&ta, &tb, &m32, &n32, &k32, &al, pa.baseAddress, &lda, pb.baseAddress,
                           &ldb, &beta, pc.baseAddress, &ldc, 1, 1)
                }
            }
        }
        return c
    }

    /// `A * B`.
    public static func * (a: Matrix, b: Matrix) throws -> Matrix { try multiply(a, b) }

    /// The weighted Gram matrix `Xᵀ W X` (W diagonal, weights non-negative) through BLAS
    /// `dsyrk`, the normal-equations matrix of weighted least squares and of IRLS.
    ///
    /// With no weights this is `XᵀX`. The result is returned as a full symmetric matrix.
    public static func gram(_ x: Matrix, weights: [Double]? = nil) throws -> Matrix {
        var scaled = x
        if let w = weights {
            guard w.count == x.rows else {
                throw LinearAlgebraError.dimensionMismatch("\(w.count) weights for \(x.rows) rows")
            }
            for wi in w where !(wi >= 0 && wi.isFinite) {
                throw LinearAlgebraError.nonFiniteInput("weights (must be finite and >= 0, got \(wi))")
            }
            let roots = w.map { $0.squareRoot() }
            scaled.storage.withUnsafeMutableBufferPointer { s in
                for j in 0..<x.columns {
                    let base = j * x.rows
                    for i in 0..<x.rows { s[base + i] *= roots[i] }
                }
            }
        }
        let p = x.columns
        var c = Matrix(rows: p, columns: p)
        if p == 0 || x.rows == 0 { return c }
        var uplo: CChar = 85  // 'U'
        var trans: CChar = 84  // 'T': C = Aᵀ A
        var n32 = Int32(p), k32 = Int32(x.rows), lda = Int32(x.rows), ldc = Int32(p)
        var alpha = 1.0, beta = 0.0
        scaled.storage.withUnsafeBufferPointer { pa in
            c.storage.withUnsafeMutableBufferPointer { pc in
                dsyrk_(&uplo, &trans, &n32, &k32, &alpha, pa.baseAddress, &lda, &beta,
                       pc.baseAddress, &ldc, 1, 1)
            }
        }
        // dsyrk fills the upper triangle only; mirror it.
        for j in 0..<p { for i in (j + 1)..<p { c[i, j] = c[j, i] } }
        return c
    }
}
