import Foundation

extension SpecialFunctions {
    /// log ₂F₁(a, b; c; z) for 0 ≤ z < 1 and a, b, c > 0 with its gradient, by the power
    /// series after Euler's transformation ₂F₁(a, b; c; z) = (1 − z)^(c−a−b) ₂F₁(c − a, c − b; c; z)
    /// whenever c − a − b < 0 and c − a, c − b > 0, which turns a slowly convergent series
    /// (z near 1) into a fast one with positive terms. Each term's derivative is carried along:
    /// ∂ log t_k/∂a = Σ_{j<k} 1/(a + j), likewise b, −c, and k/z for z.
    /// Nil when the series has not converged after `maxTerms` terms (z very near 1 with
    /// small parameters), and when z is outside [0, 1) or NaN (z rounds to 1 when the
    /// parameters it is made of are many orders of magnitude apart): callers then use another
    /// representation, as they would for a series too slow to sum.
    static func logHypergeometric2F1(_ a: Dual, _ b: Dual, _ c: Dual, _ z: Dual, maxTerms: Int = 1_000_000) -> Dual? {
        guard z.value >= 0, z.value < 1 else { return nil }
        let exponent = c - a - b
        if exponent.value < 0, c.value - a.value > 0, c.value - b.value > 0 {
            return logHypergeometric2F1Series(c - a, c - b, c, z, maxTerms).map { exponent * (-z + 1).log() + $0 }
        }
        return logHypergeometric2F1Series(a, b, c, z, maxTerms)
    }

    private static func logHypergeometric2F1Series(_ a: Dual, _ b: Dual, _ c: Dual, _ z: Dual, _ maxTerms: Int) -> Dual? {
        var term = 1.0, sum = 1.0
        // Σ t_k·∂log t_k, split into the parts that multiply ∂a, ∂b, ∂c and ∂z.
        var da = 0.0, db = 0.0, dc = 0.0, dz = 0.0
        var sa = 0.0, sb = 0.0, sc = 0.0
        var k = 0.0
        var converged = false
        while k < Double(maxTerms) {
            sa += 1 / (a.value + k); sb += 1 / (b.value + k); sc += 1 / (c.value + k)
            term *= (a.value + k) * (b.value + k) / ((c.value + k) * (k + 1)) * z.value
            sum += term
            da += term * sa; db += term * sb; dc -= term * sc; dz += term * (k + 1)
            if term <= 1e-17 * sum { converged = true; break }
            k += 1
        }
        guard converged else { return nil }
        // At z = 0 the series' z-derivative is its first coefficient ab/c.
        let dF = z.value > 0 ? dz / z.value : a.value * b.value / c.value
        let gradient = (a.gradient * da + b.gradient * db + c.gradient * dc + z.gradient * dF) / sum
        return Dual(Foundation.log(sum), gradient)
    }
}
