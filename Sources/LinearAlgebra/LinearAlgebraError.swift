/// Why a linear-algebra routine refused to give an answer.
///
/// Every routine checks its inputs and LAPACK's `info` code and throws one of these instead
/// of returning numbers that look valid but are not.
public enum LinearAlgebraError: Error, Equatable, CustomStringConvertible {
    /// The operands' shapes do not fit together.
    case dimensionMismatch(String)
    /// An input contains NaN or infinity.
    case nonFiniteInput(String)
    /// Cholesky failed: the leading minor of this order (1-based) is not positive definite.
    case notPositiveDefinite(leadingMinor: Int)
    /// The matrix is numerically singular: its reciprocal condition number is below the limit.
    case illConditioned(reciprocalCondition: Double, limit: Double)
    /// Least squares: the matrix does not have full column rank (diagonal element of R is zero).
    case rankDeficient(column: Int)
    /// The eigen solver did not converge.
    case noConvergence(routine: String, info: Int)
    /// LAPACK reported an illegal argument (a bug in this module, never the caller's data).
    case illegalArgument(routine: String, position: Int)

    public var description: String {
        switch self {
        case .dimensionMismatch(let what): return "dimension mismatch: \(what)"
        case .nonFiniteInput(let what): return "non-finite value (NaN or infinity) in \(what)"
        case .notPositiveDefinite(let k):
            return "matrix is not positive definite (leading minor of order \(k) is not positive)"
        case .illConditioned(let rcond, let limit):
            return "matrix is numerically singular (reciprocal condition number \(rcond) < \(limit))"
        case .rankDeficient(let col):
            return "matrix does not have full column rank (column \(col) is a linear combination of the others)"
        case .noConvergence(let routine, let info): return "\(routine) did not converge (info = \(info))"
        case .illegalArgument(let routine, let pos): return "\(routine): illegal argument \(pos)"
        }
    }
}
