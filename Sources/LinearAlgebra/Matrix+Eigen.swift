import CLapack

/// Eigenvalues (ascending) and orthonormal eigenvectors (the columns of `vectors`) of a
/// symmetric matrix.
public struct SymmetricEigen: Sendable {
    /// Eigenvalues in ascending order.
    public let values: [Double]
    /// Column `j` is the unit eigenvector of `values[j]`.
    public let vectors: Matrix
}

extension Matrix {
    /// Eigen-decomposition of a symmetric matrix by divide and conquer (`dsyevd`, with the
    /// workspace query). Only the upper triangle is read.
    public static func symmetricEigen(_ a: Matrix) throws -> SymmetricEigen {
        let n = a.rows
        guard a.columns == n else { throw LinearAlgebraError.dimensionMismatch("A is \(a.rows)x\(a.columns), not square") }
        guard a.isFinite else { throw LinearAlgebraError.nonFiniteInput("A") }
        if n == 0 { return SymmetricEigen(values: [], vectors: Matrix(rows: 0, columns: 0)) }
        var v = a
        var w = [Double](repeating: 0, count: n)
        var jobz: CChar = 86, uplo: CChar = 85  // 'V', 'U'
        var n32 = Int32(n), lda = Int32(n), info: Int32 = 0
        var lwork: Int32 = -1, liwork: Int32 = -1
        var workQuery = 0.0
        var iworkQuery: Int32 = 0
        dsyevd_(&jobz, &uplo, &n32, &v.storage, &lda, &w, &workQuery, &lwork, &iworkQuery, &liwork, &info, 1, 1)
        if info < 0 { throw LinearAlgebraError.illegalArgument(routine: "dsyevd", position: Int(-info)) }
        lwork = Int32(max(1, Int(workQuery)))
        liwork = max(1, iworkQuery)
        var work = [Double](repeating: 0, count: Int(lwork))
        var iwork = [Int32](repeating: 0, count: Int(liwork))
        v.storage.withUnsafeMutableBufferPointer { pv in
            dsyevd_(&jobz, &uplo, &n32, pv.baseAddress, &lda, &w, &work, &lwork, &iwork, &liwork, &info, 1, 1)
        }
        if info < 0 { throw LinearAlgebraError.illegalArgument(routine: "dsyevd", position: Int(-info)) }
        if info > 0 { throw LinearAlgebraError.noConvergence(routine: "dsyevd", info: Int(info)) }
        return SymmetricEigen(values: w, vectors: v)
    }
}
