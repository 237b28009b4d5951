import Foundation

/// Special functions the probabilistic models need, in double precision.
///
/// Every function is total: where the value is undefined it returns NaN (or ±∞ at a pole
/// approached from one side), never traps. The likelihoods are evaluated wherever the
/// optimizer's line search tries a point; a NaN there makes the line search refuse the point,
/// where a precondition would have ended the process.
public enum SpecialFunctions {
    /// ψ(x) = d/dx ln Γ(x): for x > 0 the recurrence ψ(x) = ψ(x + 1) − 1/x up to x ≥ 10, then
    /// the asymptotic series (error below 1e-15 there); ψ(+∞) = +∞. For negative non-integers
    /// the reflection ψ(x) = ψ(1 − x) − π / tan(πx). NaN at the poles (0 and the negative
    /// integers), at −∞ and for NaN.
    public static func digamma(_ x: Double) -> Double {
        guard x > 0 else {
            // Covers NaN (every comparison fails), the poles and −∞.
            if x.isNaN || x == x.rounded(.down) { return .nan }
            return digamma(1 - x) - Double.pi / tan(Double.pi * x)
        }
        var v = x
        var result = 0.0
        while v < 10 { result -= 1 / v; v += 1 }
        let f = 1 / (v * v)
        let series = f * (-1.0 / 12 + f * (1.0 / 120 + f * (-1.0 / 252 + f * (1.0 / 240 + f * (-1.0 / 132)))))
        return result + log(v) - 0.5 / v + series
    }

    /// ln |Γ(x)|: +∞ at the poles (0 and the negative integers), NaN for NaN.
    @inline(__always)
    public static func logGamma(_ x: Double) -> Double { lgamma(x) }

    /// The Gaussian hypergeometric function ₂F₁(a, b; c; z).
    ///
    /// For −1 < z < 1 by its power series, summed until a term no longer changes the sum (at
    /// most 100,000 terms). At z = 1, for a, b, c > 0 (every term positive), by Gauss's theorem
    /// Γ(c)Γ(c−a−b) / (Γ(c−a)Γ(c−b)) when c > a + b, and +∞ otherwise (the series diverges).
    /// NaN for any other z or parameters at z = 1, and for NaN input.
    public static func hypergeometric2F1(_ a: Double, _ b: Double, _ c: Double, _ z: Double) -> Double {
        if z == 1 {
            guard a > 0, b > 0, c > 0 else { return .nan }
            let excess = c - a - b
            // With a, b > 0, c > a + b also makes c − a and c − b positive: every Γ is positive.
            guard excess > 0 else { return .infinity }
            return exp(lgamma(c) + lgamma(excess) - lgamma(c - a) - lgamma(c - b))
        }
        guard z > -1, z < 1 else { return .nan }
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
