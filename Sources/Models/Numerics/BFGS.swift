import Foundation

/// A small BFGS minimiser with backtracking (Armijo) line search, for a handful of
/// parameters (the probabilistic models' four, in log space).
enum BFGS {
    /// Minimises `f`, which returns the objective and its gradient, from `start`. Stops when
    /// the largest gradient component is below `gradientTolerance`, when an iteration no
    /// longer changes the objective in its 13th digit, when the line search cannot make
    /// progress, or after `maxIterations`. `onIteration` sees each accepted step's number
    /// and objective. Returns the point reached and the iteration it stopped at.
    static func minimize(_ f: ([Double]) -> (Double, [Double]), start: [Double], maxIterations: Int = 500,
                         gradientTolerance: Double = 1e-10,
                         onIteration: (Int, Double) -> Void = { _, _ in }) throws -> ([Double], Int) {
        let n = start.count
        var x = start
        var (fx, g) = f(x)
        var h = (0..<n).map { i in (0..<n).map { $0 == i ? 1.0 : 0.0 } }
        for iteration in 1...maxIterations {
            if g.map(abs).max()! < gradientTolerance { return (x, iteration) }
            var d = (0..<n).map { i in -(0..<n).reduce(0) { $0 + h[i][$1] * g[$1] } }
            var slope = zip(g, d).reduce(0) { $0 + $1.0 * $1.1 }
            if !(slope < 0) {  // not a descent direction: restart from the gradient
                h = (0..<n).map { i in (0..<n).map { $0 == i ? 1.0 : 0.0 } }
                d = g.map { -$0 }
                slope = zip(g, d).reduce(0) { $0 + $1.0 * $1.1 }
            }
            var t = 1.0
            var xNew = x, fNew = fx, gNew = g
            while true {
                xNew = zip(x, d).map { $0 + t * $1 }
                (fNew, gNew) = f(xNew)
                if fNew.isFinite && fNew <= fx + 1e-4 * t * slope { break }
                t /= 2
                if t < 1e-14 { return (x, iteration) }  // no further progress possible
            }
            // Stop when an iteration no longer changes the objective in its 13th digit.
            let settled = abs(fx - fNew) <= 1e-13 * max(1, abs(fx))
            let s = zip(xNew, x).map { $0 - $1 }, y = zip(gNew, g).map { $0 - $1 }
            let sy = zip(s, y).reduce(0) { $0 + $1.0 * $1.1 }
            if sy > 1e-14 {
                let rho = 1 / sy
                let hy = (0..<n).map { i in (0..<n).reduce(0) { $0 + h[i][$1] * y[$1] } }
                let yhy = zip(y, hy).reduce(0) { $0 + $1.0 * $1.1 }
                for i in 0..<n {
                    for j in 0..<n {
                        h[i][j] += -rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j]
                    }
                }
            }
            x = xNew; fx = fNew; g = gNew
            onIteration(iteration, fx)
            if settled { return (x, iteration) }
        }
        return (x, maxIterations)
    }
}
