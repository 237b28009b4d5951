import Foundation

/// Special functions the probabilistic models need, in double precision.
public enum SpecialFunctions {
    /// ψ(x) = d/dx ln Γ(x) for x > 0: the recurrence ψ(x) = ψ(x + 1) − 1/x up to x ≥ 10,
    /// then the asymptotic series (error below 1e-15 there).
    public static func digamma(_ x: Double) -> Double {
        precondition(x > 0, "digamma needs x > 0")
        var v = x
        var result = 0.0
        while v < 10 { result -= 1 / v; v += 1 }
        let f = 1 / (v * v)
        let series = f * (-1.0 / 12 + f * (1.0 / 120 + f * (-1.0 / 252 + f * (1.0 / 240 + f * (-1.0 / 132)))))
        return result + log(v) - 0.5 / v + series
    }

    /// ln Γ(x) for x > 0.
    @inline(__always)
    public static func logGamma(_ x: Double) -> Double { lgamma(x) }

    /// The Gaussian hypergeometric function ₂F₁(a, b; c; z) for 0 ≤ z < 1 by its power series,
    /// summed until a term no longer changes the sum (at most 100,000 terms).
    public static func hypergeometric2F1(_ a: Double, _ b: Double, _ c: Double, _ z: Double) -> Double {
        precondition(z >= 0 && z < 1, "the series needs 0 <= z < 1")
        var term = 1.0, sum = 1.0
        var k = 0.0
        while k < 100_000 {
            term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z
            sum += term
            if abs(term) <= 1e-15 * abs(sum) { break }
            k += 1
        }
        return sum
    }
}
