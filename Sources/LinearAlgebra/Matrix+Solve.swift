import CLapack

/// The smallest reciprocal condition number (1-norm) accepted by the solvers by default:
/// below it a solution would have essentially no correct digits.
public let defaultMinimumReciprocalCondition = 1e3 * Double.ulpOfOne

extension Matrix {
    /// Solves `A X = B` for symmetric positive definite `A` by Cholesky (`dpotrf`, `dpotrs`).
    ///
    /// Throws ``LinearAlgebraError/notPositiveDefinite(leadingMinor:)`` when the factorisation
    /// breaks down and ``LinearAlgebraError/illConditioned(reciprocalCondition:limit:)`` when
    /// `dpocon` estimates the reciprocal condition number below `minimumReciprocalCondition`.
    /// Only the upper triangle of `a` is read.
    public static func choleskySolve(
        _ a: Matrix, _ b: Matrix,
        minimumReciprocalCondition: Double = defaultMinimumReciprocalCondition
    ) throws -> Matrix {
        let n = a.rows
        guard a.columns == n else { throw LinearAlgebraError.dimensionMismatch("A is \(a.rows)x\(a.columns), not square") }
        guard b.rows == n else { throw LinearAlgebraError.dimensionMismatch("A is \(n)x\(n), B has \(b.rows) rows") }
        guard a.isFinite else { throw LinearAlgebraError.nonFiniteInput("A") }
        guard b.isFinite else { throw LinearAlgebraError.nonFiniteInput("B") }
        if n == 0 { return b }

        var factor = a
        var uplo: CChar = 85  // 'U'
        var n32 = Int32(n), lda = Int32(n), info: Int32 = 0
        var norm: CChar = 49  // '1'
        var work = [Double](repeating: 0, count: 3 * n)
        var iwork = [Int32](repeating: 0, count: n)
        let anorm = a.storage.withUnsafeBufferPointer { pa in
            dlansy_(&norm, &uplo, &n32, pa.baseAddress, &lda, &work, 1, 1)
        }
        factor.storage.withUnsafeMutableBufferPointer { pf in
            dpotrf_(&uplo, &n32, pf.baseAddress, &lda, &info, 1)
        }
        if info < 0 { throw LinearAlgebraError.illegalArgument(routine: "dpotrf", position: Int(-info)) }
        if info > 0 { throw LinearAlgebraError.notPositiveDefinite(leadingMinor: Int(info)) }

        var rcond = 0.0
        var anormVar = anorm
        factor.storage.withUnsafeBufferPointer { pf in
            dpocon_(&uplo, &n32, pf.baseAddress, &lda, &anormVar, &rcond, &work, &iwork, &info, 1)
        }
        if info < 0 { throw LinearAlgebraError.illegalArgument(routine: "dpocon", position: Int(-info)) }
        if !(rcond >= minimumReciprocalCondition) {
            throw LinearAlgebraError.illConditioned(reciprocalCondition: rcond, limit: minimumReciprocalCondition)
        }

        var x = b
        var nrhs = Int32(b.columns), ldb = Int32(n)
        factor.storage.withUnsafeBufferPointer { pf in
            x.storage.withUnsafeMutableBufferPointer { px in
                dpotrs_(&uplo, &n32, &nrhs, pf.baseAddress, &lda, px.baseAddress, &ldb, &info, 1)
            }
        }
        if info < 0 { throw LinearAlgebraError.illegalArgument(routine: "dpotrs", position: Int(-info)) }
        return x
    }

    /// Solves `A x = b` for one right-hand side by Cholesky; see ``choleskySolve(_:_:minimumReciprocalCondition:)``.
    public static func choleskySolve(
        _ a: Matrix, _ b: [Double],
        minimumReciprocalCondition: Double = defaultMinimumReciprocalCondition
    ) throws -> [Double] {
        try oneColumn(b) { try choleskySolve(a, $0, minimumReciprocalCondition: minimumReciprocalCondition) }
    }

    /// Least-squares solution of `min ‖A x − b‖₂` for a tall `A` (rows ≥ columns) with full
    /// column rank, through QR (`dgels`, with the `lwork = -1` workspace query).
    ///
    /// Throws ``LinearAlgebraError/rankDeficient(column:)`` for an exactly singular `R` and
    /// ``LinearAlgebraError/illConditioned(reciprocalCondition:limit:)`` when `dtrcon`
    /// estimates `R`'s reciprocal condition number below the limit. Returns one solution
    /// column per column of `b`.
    public static func leastSquares(
        _ a: Matrix, _ b: Matrix,
        minimumReciprocalCondition: Double = defaultMinimumReciprocalCondition
    ) throws -> Matrix {
        let m = a.rows, n = a.columns
        guard m >= n else { throw LinearAlgebraError.dimensionMismatch("A is \(m)x\(n): needs rows >= columns") }
        guard b.rows == m else { throw LinearAlgebraError.dimensionMismatch("A has \(m) rows, b has \(b.rows)") }
        guard a.isFinite else { throw LinearAlgebraError.nonFiniteInput("A") }
        guard b.isFinite else { throw LinearAlgebraError.nonFiniteInput("b") }
        if n == 0 { return Matrix(rows: 0, columns: b.columns) }

        var qr = a
        var rhs = b
        var trans: CChar = 78  // 'N'
        var m32 = Int32(m), n32 = Int32(n), nrhs = Int32(b.columns)
        var lda = Int32(m), ldb = Int32(m), info: Int32 = 0
        var lwork: Int32 = -1
        var query = 0.0
        dgels_(&trans, &m32, &n32, &nrhs, &qr.storage, &lda, &rhs.storage, &ldb, &query, &lwork, &info, 1)
        if info < 0 { throw LinearAlgebraError.illegalArgument(routine: "dgels", position: Int(-info)) }
        lwork = Int32(max(1, Int(query)))
        var work = [Double](repeating: 0, count: Int(lwork))
        qr.storage.withUnsafeMutableBufferPointer { pa in
            rhs.storage.withUnsafeMutableBufferPointer { pb in
                dgels_(&trans, &m32, &n32, &nrhs, pa.baseAddress, &lda, pb.baseAddress, &ldb,
                       &work, &lwork, &info, 1)
            }
        }
        if info < 0 { throw LinearAlgebraError.illegalArgument(routine: "dgels", position: Int(-info)) }
        if info > 0 { throw LinearAlgebraError.rankDeficient(column: Int(info)) }

        // R is the upper triangle of the first n rows of `qr`; estimate its conditioning.
        var norm: CChar = 49, uplo: CChar = 85, diag: CChar = 78
        var rcond = 0.0
        var trWork = [Double](repeating: 0, count: 3 * n)
        var iwork = [Int32](repeating: 0, count: n)
        dtrcon_(&norm, &uplo, &diag, &n32, &qr.storage, &lda, &rcond, &trWork, &iwork, &info, 1, 1, 1)
        if !(rcond >= minimumReciprocalCondition) {
            throw LinearAlgebraError.illConditioned(reciprocalCondition: rcond, limit: minimumReciprocalCondition)
        }
        var x = Matrix(rows: n, columns: b.columns)
        for j in 0..<b.columns { for i in 0..<n { x[i, j] = rhs[i, j] } }
        return x
    }

    /// Least squares for one right-hand side; see ``leastSquares(_:_:minimumReciprocalCondition:)``.
    public static func leastSquares(
        _ a: Matrix, _ b: [Double],
        minimumReciprocalCondition: Double = defaultMinimumReciprocalCondition
    ) throws -> [Double] {
        try oneColumn(b) { try leastSquares(a, $0, minimumReciprocalCondition: minimumReciprocalCondition) }
    }

    /// A solver for several right-hand sides applied to one vector.
    private static func oneColumn(_ b: [Double], _ solve: (Matrix) throws -> Matrix) rethrows -> [Double] {
        try solve(Matrix(rows: b.count, columns: 1, columnMajor: b)).storage
    }
}
