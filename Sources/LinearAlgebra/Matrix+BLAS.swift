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

    /// The matrix-vector product `op(A) x` through BLAS `dgemv` (no packing of A, unlike a
    /// one-column `dgemm`).
    /// A·x with each entry summed in column order, one row at a time: the result of a row
    /// does not depend on the other rows (BLAS picks kernels, and so rounding, by size), so a
    /// prediction is the same bit for bit in a batch of one or of a million, and equal to a
    /// plain loop in another language. For predictions; fitting uses ``multiply(_:vector:transpose:)``.
    public static func rowDotProducts(_ a: Matrix, _ x: [Double]) throws -> [Double] {
        guard x.count == a.columns else {
            throw LinearAlgebraError.dimensionMismatch("A has \(a.columns) columns, x has \(x.count) entries")
        }
        var out = [Double](repeating: 0, count: a.rows)
        guard a.rows > 0 else { return out }
        a.storage.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { o in
                for k in 0..<a.columns {
                    let column = s.baseAddress! + k * a.rows
                    let b = x[k]
                    for i in 0..<a.rows { o[i] += column[i] * b }
                }
            }
        }
        return out
    }

    public static func multiply(_ a: Matrix, vector x: [Double], transpose: Bool = false) throws -> [Double] {
        let inner = transpose ? a.rows : a.columns
        let outer = transpose ? a.columns : a.rows
        guard x.count == inner else {
            throw LinearAlgebraError.dimensionMismatch("op(A) has \(inner) columns, x has \(x.count) entries")
        }
        var y = [Double](repeating: 0, count: outer)
        if outer == 0 || inner == 0 { return y }
        var trans: CChar = transpose ? 84 : 78
        var m = Int32(a.rows), n = Int32(a.columns), lda = Int32(max(1, a.rows)), inc: Int32 = 1
        var alpha = 1.0, beta = 0.0
        a.storage.withUnsafeBufferPointer { pa in
            x.withUnsafeBufferPointer { px in
                y.withUnsafeMutableBufferPointer { py in
                    dgemv_(&trans, &m, &n, &alpha, pa.baseAddress, &lda, px.baseAddress, &inc, &beta, py.baseAddress, &inc, 1)
                }
            }
        }
        return y
    }

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
            // One pass: write sqrt(w_i)·x_ij into a fresh buffer (no copy of X first).
            scaled = Matrix(rows: x.rows, columns: x.columns, columnMajor: [Double](unsafeUninitializedCapacity: x.storage.count) { out, count in
                x.storage.withUnsafeBufferPointer { s in
                    roots.withUnsafeBufferPointer { r in
                        for j in 0..<x.columns {
                            let base = j * x.rows
                            for i in 0..<x.rows { out.initializeElement(at: base + i, to: s[base + i] * r[i]) }
                        }
                    }
                }
                count = x.storage.count
            })
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
