import Foundation

/// A small BFGS minimiser with backtracking (Armijo) line search, for a handful of
/// parameters (the probabilistic models' four, in log space).
enum BFGS {
    /// Why a minimisation could not start.
    enum Failure: Error, Equatable {
        /// The objective or its gradient is not finite at the start (or the start lies outside
        /// the box): there is no point to descend from.
        case nonFiniteStart(value: Double)
    }

    /// Minimises `f`, which returns the objective and its gradient, from `start`, over the box
    /// |xᵢ| ≤ `bound`. Stops when the largest gradient component is below
    /// `gradientTolerance`, when an iteration no longer changes the objective in its 13th
    /// digit, when the line search cannot make progress, or after `maxIterations`.
    /// `onIteration` sees each accepted step's number and objective. Returns the point reached
    /// and the iteration it stopped at (the start and 0 when there is nothing to minimise).
    ///
    /// The line search accepts only points inside the box where the objective and its gradient
    /// are finite, and halves the step otherwise, as it does for a step that does not decrease
    /// enough. So every iterate is a point where `f` could be evaluated: a likelihood pushed
    /// towards a parameter of 0 or ∞ (data that do not identify it) ends at the box's edge with
    /// finite values instead of overflowing. The box does not move a minimum inside it, nor
    /// any path that stays inside it. Throws ``Failure/nonFiniteStart(value:)`` when `f` is not
    /// finite at `start`.
    static func minimize(_ f: ([Double]) -> (Double, [Double]), start: [Double], bound: Double = .infinity,
                         maxIterations: Int = 500, gradientTolerance: Double = 1e-10,
                         onIteration: (Int, Double) -> Void = { _, _ in }) throws -> ([Double], Int) {
        let n = start.count
        guard n > 0, maxIterations > 0 else { return (start, 0) }
        func admissible(_ x: [Double]) -> Bool { x.allSatisfy { abs($0) <= bound } }
        func finite(_ value: Double, _ gradient: [Double]) -> Bool {
            value.isFinite && gradient.count == n && gradient.allSatisfy(\.isFinite)
        }
        var x = start
        var (fx, g) = f(x)
        guard admissible(x), finite(fx, g) else { throw Failure.nonFiniteStart(value: fx) }
        var h = (0..<n).map { i in (0..<n).map { $0 == i ? 1.0 : 0.0 } }
        for iteration in 1...maxIterations {
            // g is finite (checked at the start and at every accepted point), so its maximum is defined.
            if g.reduce(0, { max($0, abs($1)) }) < gradientTolerance { return (x, iteration) }
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
                // Outside the box the objective is not evaluated at all: it may overflow there.
                if admissible(xNew) {
                    (fNew, gNew) = f(xNew)
                    if finite(fNew, gNew) && fNew <= fx + 1e-4 * t * slope { break }
                }
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
